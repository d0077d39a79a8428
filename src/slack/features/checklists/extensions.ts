/**
 * Step extensions: behaviour attached to checklist steps by their directives, so other features (AWS
 * evidence, Route 53 failover, notifications, canary monitoring) hook into checklists without the
 * checklist code knowing them.
 *
 * A step with `<!-- bot: evidence=primary-health -->` uses the extension registered for `evidence`, with
 * `value` `primary-health`. Hooks:
 * - `renderBlocks` — up to 3 blocks shown under the step while it is expanded (its next actionable
 *   steps). Called on every message update: keep it fast and cached; it is cut off after `RENDER_TIMEOUT_MS`.
 * - `guardDone` — asked before Done is recorded. `{ ok: false, reason }` refuses (ephemeral reason);
 *   with `overridable: true` the user is offered "Done anyway" with a reason, recorded as the override.
 * - `onDone` — told after Done was recorded (post a notice, start monitoring).
 *
 * Every hook gets `drill`: in a drill, live actions (Route 53 changes, stakeholder notices) must not execute.
 * Whether a click may act at all is decided by `authorize()` (src/workflows/authorize.ts), before the hook
 * runs: extensions never decide who may do what. Record what an extension did with `recordRunNote`
 * (src/slack/features/checklists/checklists.ts), which lands in the thread and the exported timeline.
 */
import type { webApi } from '@slack/bolt';
import type { Checklist } from '../../../runbooks/model/model';
import type { RunEvent, RunState, RunStep } from '../../../workflows/run-state';
import type { AppDeps } from '../../deps';
import type { Block } from '../../render/blocks';

export interface StepExtensionContext {
  run: RunState;
  step: RunStep;
  /** The directive's value (`primary-health` for `evidence=primary-health`). */
  value: string;
  /** The checklist as in the current artifact (for `records`, templates, ...), when it still exists. */
  checklist: Checklist | undefined;
  /** True for a drill: never execute live actions. */
  drill: boolean;
  deps: AppDeps;
  client: webApi.WebClient;
  /** The run's events when the caller has read them already (guards before the ack read them in parallel). */
  events?: readonly RunEvent[];
}

export interface StepActionContext extends StepExtensionContext {
  /** Who clicked. */
  user: string;
}

export type GuardResult = { ok: true } | { ok: false; reason: string; overridable?: boolean };

export interface StepExtension {
  renderBlocks?(ctx: StepExtensionContext): Block[] | Promise<Block[]>;
  guardDone?(ctx: StepActionContext): GuardResult | Promise<GuardResult>;
  onDone?(ctx: StepActionContext): void | Promise<void>;
}

export const RENDER_TIMEOUT_MS = 1500;

const registry = new Map<string, StepExtension>();

/** Register (or replace) the extension for a step directive key such as `evidence` or `action`. */
export function registerStepExtension(directiveKey: string, extension: StepExtension): void {
  registry.set(directiveKey, extension);
}

/** For tests: forget one registration, or all. */
export function unregisterStepExtension(directiveKey?: string): void {
  if (directiveKey === undefined) registry.clear();
  else registry.delete(directiveKey);
}

/** The extensions that apply to a step, in the order of its directives. */
export function extensionsFor(
  step: Pick<RunStep, 'directives'>,
): { key: string; value: string; extension: StepExtension }[] {
  return Object.entries(step.directives).flatMap(([key, value]) => {
    const extension = registry.get(key);
    return extension ? [{ key, value, extension }] : [];
  });
}
