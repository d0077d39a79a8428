/**
 * Live actions behind a second person's approval, for any step action that registers a `LiveAction` (the
 * failover and failback, ./route53.ts: the failover switch, or the records where a checklist has no switch;
 * the record-swap fallback, ./fallback.ts):
 *
 * 1. "Execute …" (after Slack's confirmation dialog) → deferred: authorize `request_action`, plan the change
 *    (reading live state), store the request WITH its plan on the run, post it in the run's thread with
 *    Approve / Cancel buttons that carry `<runId>|<requestId>` only.
 * 2. Approve / Cancel / Retry → deferred: a `RunCommand` through `apply()`, authorized from the stored request
 *    and the approvers file (second person, approver role, step current and unlocked); the first decision
 *    wins by the conditional write.
 * 3. The execute task takes the request's lease (`begin_execution`), re-authorizes, carries out the approved
 *    plan (the action re-plans and refuses when the live state no longer matches), and records the outcome.
 *    A transient failure is recorded and THROWN, so Lambda retries the task; the last attempt says in the
 *    thread what happened and leaves a Retry button.
 * 4. In a drill, steps 1 and 2 are the same (issue 18.3: the drill rehearses the request and the second
 *    person's approval); step 3 rehearses instead (`rehearse_request`, with a gateway that refuses every
 *    write): it reads what the change would act on and shows the exact change, and writes nothing.
 *
 * Every message about a request is rendered from the stored request.
 */
import { createHash } from 'node:crypto';
import { AwsCallError } from '../../../aws/errors';
import type { AwsGateway } from '../../../aws/gateway';
import { toPartFailure } from '../../../aws/outcome';
import { readOnlyGateway } from '../../../aws/read-only';
import type { Checklist } from '../../../runbooks/model/model';
import { type ExecuteResult, executeCommand } from '../../../store/runs';
import type { Store } from '../../../store/store';
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import type { ExecutionReport } from '../../../workflows/request-commands';
import { type ActionRequest, findRequest, REQUEST_ID } from '../../../workflows/requests';
import type { RunState, RunStep } from '../../../workflows/run-state';
import { ActionIds } from '../../action-ids';
import { registerDeferred } from '../../deferred';
import type { AppDeps } from '../../deps';
import { asClick, type Click, replyTargetOf } from '../../interaction';
import { RUN_ID } from '../../render/checklist';
import { refusalText } from '../../render/checklist-format';
import { type RequestView, requestMessage } from '../../render/status-steps';
import { replyTo } from '../../reply';
import { type ChecklistRuntime, recordRunNote, runtimeFor } from '../checklists/runtime';
import { runbookChangedSince } from './shared';

export const REQUEST_TASK = 'aws.route53.request';
export const DECIDE_TASK = 'aws.request.decide';
export const RETRY_TASK = 'aws.request.retry';
export const EXECUTE_TASK = 'aws.route53.execute';

/** Longer than the function's timeout: a live lease means its executor may still be working. */
export const EXECUTION_LEASE_MS = 6 * 60_000;

export interface PlanContext {
  deps: AppDeps;
  rt: ChecklistRuntime;
  run: RunState;
  step: RunStep;
  checklist: Checklist | undefined;
  requestedBy: string;
  /** The request's kind (the step's `action=`, or a fallback of it). */
  kind: string;
  /** The click's time and key: notes the plan records are keyed by them (once per click). */
  at: string;
  key: string;
}

export type PlanOutcome =
  /** A change to approve: `plan` is stored with the request, `detail` shows it (mrkdwn). */
  | { kind: 'change'; plan: unknown }
  /** Nothing to approve (already in the target state, or the plan failed): said in the thread (unless empty). */
  | { kind: 'nothing'; text: string };

export interface ExecuteContext {
  deps: AppDeps;
  rt: ChecklistRuntime;
  run: RunState;
  request: ActionRequest;
  checklist: Checklist | undefined;
  /** The gateway to use: read-only in a drill's rehearsal. */
  gateway: AwsGateway;
  /** This delivery's attempt (1-based) and how many deliveries there are at most. */
  attempt: number;
  maxAttempts: number;
  /**
   * Record that the change was submitted: from then on a retry only waits for it. A change made of parts
   * (one Route 53 batch per hosted zone) records each: `part` names it, `complete` says whether it was the last.
   */
  submitted(changeId: string, text: string, part?: { part: string; complete: boolean }): Promise<void>;
}

export interface LiveAction {
  /** "Route 53 failover", for messages. */
  label(kind: string): string;
  /** "failover", for buttons (`Approve failover`). */
  verb(kind: string): string;
  plan(ctx: PlanContext): Promise<PlanOutcome>;
  /** Carry out the approved request; throw to report a failure (an `AwsCallError` says whether to retry). */
  execute(ctx: ExecuteContext): Promise<{ outcome: string; text: string }>;
  /**
   * A drill's approved request: read what the change would act on and show the exact change, writing
   * nothing (`ctx.gateway` refuses every write). The outcome is recorded as `rehearsed`.
   */
  rehearse(ctx: ExecuteContext): Promise<{ text: string }>;
  /** The stored plan as mrkdwn, for the request message. */
  describe(plan: unknown): string;
  /** What a failure means, for the thread (e.g. "was submitted but not confirmed"). */
  failureText(request: ActionRequest, message: string, simulated: string | null): string;
}

/** Live actions by step `action=` value. */
const liveActions = new Map<string, LiveAction>();

export function registerLiveAction(kinds: readonly string[], action: LiveAction): void {
  for (const kind of kinds) liveActions.set(kind, action);
}

export function liveActionFor(kind: string | undefined): LiveAction | undefined {
  return kind ? liveActions.get(kind) : undefined;
}

/** `<runId>|<requestId>`, or null for anything else (an old button carrying the request, an edited value). */
export function decodeRequestValue(value: string | undefined): { runId: string; requestId: string } | null {
  const parts = (value ?? '').split('|');
  if (parts.length !== 2) return null;
  const [runId = '', requestId = ''] = parts;
  return RUN_ID.test(runId) && REQUEST_ID.test(requestId) ? { runId, requestId } : null;
}

export const STALE_REQUEST = 'This request is no longer valid (a stale or altered button); nothing changed.';

async function simulatedLabel(deps: AppDeps): Promise<string | null> {
  const gateway = await deps.getAws();
  return gateway.mode === 'simulated' ? gateway.label : null;
}

/** The request's message as stored now: what it shows and which buttons it offers follow its status. */
export async function renderRequest(deps: AppDeps, run: RunState, request: ActionRequest) {
  const action = liveActionFor(request.kind);
  const view: RequestView = {
    runId: run.runId,
    request,
    what: action?.label(request.kind) ?? request.kind,
    verb: action?.verb(request.kind) ?? 'change',
    planText: action && request.plan !== undefined ? action.describe(request.plan) : '',
    simulated: await simulatedLabel(deps),
    drill: run.drill,
    now: deps.now().toISOString(),
  };
  return requestMessage(view);
}

/** Redraw the request's thread message and the checklist message from the store. */
export async function redrawRequest(rt: ChecklistRuntime, runId: string, requestId: string): Promise<void> {
  const record = await (await rt.deps.getStore()).getRun(runId);
  const request = record ? findRequest(record.state, requestId) : null;
  const work: Promise<unknown>[] = [rt.refreshMessage(runId)];
  if (record && request?.messageTs) {
    const message = await renderRequest(rt.deps, record.state, request);
    work.push(rt.slack.chat.update({ channel: record.state.channel, ts: request.messageTs, ...message }));
  }
  const results = await Promise.allSettled(work);
  for (const r of results)
    if (r.status === 'rejected')
      rt.deps.logger.warn('request message not redrawn', { runId, error: r.reason });
}

/** Post a new request's message in the run's thread and remember where it is. */
async function postRequest(rt: ChecklistRuntime, run: RunState, request: ActionRequest, ctx: CommandContext) {
  const message = await renderRequest(rt.deps, run, request);
  const posted = await rt.slack.chat.postMessage({
    channel: run.channel,
    ...(run.messageTs ? { thread_ts: run.messageTs } : {}),
    ...message,
  });
  if (!posted.ts) return;
  await executeCommand(
    await rt.deps.getStore(),
    run.runId,
    { type: 'attach_request', requestId: request.id, messageTs: posted.ts },
    { ...ctx, key: `attach-request:${request.id}`, system: true },
  );
}

/** Answer a command on a request: the refusal to the clicker, the audit line, and a redraw from the store. */
async function reportOutcome(
  rt: ChecklistRuntime,
  result: ExecuteResult,
  runId: string,
  requestId: string,
  reply: ReplyTarget,
): Promise<void> {
  if (result.kind === 'not_found') {
    await replyTo(rt.deps, reply, { text: STALE_REQUEST });
    return;
  }
  if (result.kind === 'refused') {
    await replyTo(rt.deps, reply, { text: `:no_entry_sign: ${refusalText(result.reason)}` });
    await rt.postThread(result.state, result.events).catch(() => undefined);
  }
  if (result.kind === 'applied') {
    await rt.postThread(result.state, result.events).catch((error: unknown) => {
      rt.deps.logger.warn('thread not posted', { runId, error });
    });
  }
  await redrawRequest(rt, runId, requestId);
}

// ---- 1. Execute: ask for the change ---------------------------------------------------------------------------

export async function requestChange(ctx: {
  deps: AppDeps;
  rt: ChecklistRuntime;
  run: RunState;
  step: RunStep;
  checklist: Checklist | undefined;
  ctx: CommandContext;
  reply: ReplyTarget;
  /** The request's kind when it is not the step's own `action=` (the record-swap fallback). */
  kind?: string;
}): Promise<void> {
  const { deps, rt, run, step } = ctx;
  const kind = ctx.kind ?? step.directives['action'] ?? '';
  const action = liveActionFor(kind);
  if (!action) {
    await replyTo(deps, ctx.reply, { text: 'This step names no action the bot can carry out.' });
    return;
  }
  const planned = await action.plan({
    deps,
    rt,
    run,
    step,
    checklist: ctx.checklist,
    requestedBy: ctx.ctx.user,
    kind,
    at: ctx.ctx.at,
    key: ctx.ctx.key,
  });
  if (planned.kind === 'nothing') {
    if (!planned.text) return;
    // Recorded on the run once per click (the task is delivered at least once): one answer in the thread.
    await recordRunNote(rt, rt.slack, run.runId, {
      user: ctx.ctx.user,
      text: planned.text.slice(0, 3000),
      key: `nothing:${ctx.ctx.key}`,
      at: ctx.ctx.at,
    });
    return;
  }
  // One request per click: a redelivery of the same click finds it (the click's key is applied once).
  const requestId = createHash('sha256').update(`request\u0000${ctx.ctx.key}`).digest('hex').slice(0, 16);
  const store = await deps.getStore();
  const result = await executeCommand(
    store,
    run.runId,
    { type: 'request', stepId: step.id, requestId, kind, plan: planned.plan },
    ctx.ctx,
  );
  if (result.kind !== 'applied') {
    await reportOutcome(rt, result, run.runId, requestId, ctx.reply);
    return;
  }
  const request = findRequest(result.state, requestId);
  if (request) await postRequest(rt, result.state, request, ctx.ctx);
  await rt.refreshMessage(run.runId).catch(() => undefined);
}

// ---- 2. Approve / Cancel / Retry --------------------------------------------------------------------------

async function decide(deps: AppDeps, click: Click): Promise<void> {
  const rt = runtimeFor(deps);
  const reply = replyTargetOf(click);
  const target = decodeRequestValue(click.value);
  if (!target) {
    await replyTo(deps, reply, { text: STALE_REQUEST });
    return;
  }
  const clicked = await rt.contextOf(click);
  const store = await deps.getStore();
  // An approval is checked against its requester's roles now, read again (authorize.ts `requesterStillMay`).
  // The roles Slack could not check are read again after them: the clicker's context was taken before the
  // requester's user groups were listed, and a group that failed only then is unknown, not "no longer a member".
  const ctx =
    click.actionId === ActionIds.awsRoute53Approve
      ? {
          ...clicked,
          requesterRoles: await requesterRolesNow(rt, store, target.runId, target.requestId),
          rolesUnknown: rt.rolesUnknown(),
        }
      : clicked;
  const command =
    click.actionId === ActionIds.awsRoute53Retry
      ? ({ type: 'retry_request', requestId: target.requestId } as const)
      : ({
          type: 'decide_request',
          requestId: target.requestId,
          decision: click.actionId === ActionIds.awsRoute53Approve ? 'approve' : 'cancel',
        } as const);
  const result = await executeCommand(store, target.runId, command, ctx);
  await reportOutcome(rt, result, target.runId, target.requestId, reply);
  if (command.type === 'decide_request' && command.decision === 'cancel') return;
  if (result.kind !== 'applied' && !(result.kind === 'duplicate' && awaitsStart(result.state, command, ctx)))
    return;
  const execute: ExecuteTask = {
    runId: target.runId,
    requestId: target.requestId,
    origin: ctx.key,
    actor: {
      user: ctx.user,
      team: click.team,
      enterprise: click.enterprise,
      channel: click.channel,
      ...(click.home ? { home: true } : {}),
    },
  };
  try {
    await deps.defer({ kind: EXECUTE_TASK, payload: execute, key: `execute:${target.requestId}:${ctx.key}` });
  } catch (error) {
    deps.logger.warn('execution not queued', { error });
    await replyTo(deps, reply, {
      text: `:warning: Approved, but the bot could not start the change (${toPartFailure(error).message}). Press Retry on the request to start it.`,
    });
  }
}

/** The roles the request's requester holds now (none when the run or request is gone: refused anyway). */
async function requesterRolesNow(
  rt: ChecklistRuntime,
  store: Store,
  runId: string,
  requestId: string,
): Promise<readonly string[]> {
  const run = (await store.getRun(runId))?.state;
  const request = run ? findRequest(run, requestId) : null;
  return request ? rt.rolesOf(request.requestedBy) : [];
}

/**
 * A redelivery of this very approval or retry (its key is applied already) whose request still waits to be
 * started: the first delivery may have stopped between its write and queuing the execution. Queued again
 * under the same task key, it runs at most once (the task's lease, then `begin_execution`).
 */
function awaitsStart(
  state: RunState,
  command: { type: 'retry_request' | 'decide_request'; requestId: string },
  ctx: CommandContext,
): boolean {
  const request = findRequest(state, command.requestId);
  if (request?.status !== 'approved') return false;
  return command.type === 'retry_request' || request.decidedBy === ctx.user;
}

// ---- 3. Execute the approved request ------------------------------------------------------------------------

interface ExecuteTask {
  runId: string;
  requestId: string;
  /** The key of the approval or retry that queued it: each round of attempts has its own write keys. */
  origin: string;
  /**
   * Whose approval (or retry) started it, as Slack's signed envelope said: re-authorized from the store.
   * `home`: it was clicked on the person's App Home tab (no channel), where an invited approver may decide.
   */
  actor: {
    user: string;
    team: string | null;
    enterprise: string | null;
    channel: string | null;
    home?: boolean;
  };
}

/** Throttling, time-outs and server errors are worth retrying by themselves; a denial or a bad request is not. */
function retriesOnItsOwn(error: unknown): boolean {
  return error instanceof AwsCallError && ['throttled', 'timeout', 'network', 'failed'].includes(error.kind);
}

async function execute(deps: AppDeps, task: ExecuteTask): Promise<void> {
  const rt = runtimeFor(deps);
  const store = await deps.getStore();
  const before = (await store.getRun(task.runId))?.state;
  const pending = before ? findRequest(before, task.requestId) : null;
  if (!before || !pending) return;
  const { actor } = task;
  // The approver of the stored request; their roles are read again now, from the approvers file.
  const approver = pending.decidedBy ?? actor.user;
  const ctx: CommandContext = {
    user: approver,
    roles: await rt.rolesOf(approver),
    requesterRoles: await rt.rolesOf(pending.requestedBy),
    // Read after the roles: a group Slack could not list just now is unknown, not lost.
    rolesUnknown: rt.rolesUnknown(),
    team: actor.team,
    enterprise: actor.enterprise,
    channel: actor.channel,
    ...(actor.home === true ? { home: true } : {}),
    at: deps.now().toISOString(),
    key: `begin:${task.requestId}:${task.origin}:${pending.attempts + 1}`,
  };
  // A drill's request is rehearsed: authorized as `rehearse_request`, with a gateway that cannot write.
  const rehearsal = before.drill;
  const began = await executeCommand(
    store,
    task.runId,
    {
      type: 'begin_execution',
      requestId: task.requestId,
      leaseMs: EXECUTION_LEASE_MS,
      ...(rehearsal ? { rehearsal: true } : {}),
    },
    ctx,
  );
  if (began.kind !== 'applied') {
    if (began.kind === 'refused' && !['lease_held', 'request_not_pending'].includes(began.code)) {
      // The approval no longer stands (run ended, step done, approver lost the role): nothing is written.
      await rt.postThread(began.state, began.events).catch(() => undefined);
      await redrawRequest(rt, task.runId, task.requestId);
    }
    deps.logger.info('execution not started', { runId: task.runId, outcome: began.kind });
    return;
  }
  const request = findRequest(began.state, task.requestId);
  const action = liveActionFor(request?.kind);
  if (!request || !action) return;
  const attempt = request.attempts;
  const report = async (r: ExecutionReport) => {
    const result = await executeCommand(
      store,
      task.runId,
      { type: 'report_execution', requestId: request.id, attempt, report: r },
      // Each submitted part is a report of its own (two zones' changes in one attempt are two writes).
      {
        ...ctx,
        key: `report:${request.id}:${task.origin}:${attempt}:${r.kind}${r.kind === 'submitted' ? `:${r.changeId}` : ''}`,
      },
    );
    if (result.kind === 'applied') await rt.postThread(result.state, result.events).catch(() => undefined);
  };
  await redrawRequest(rt, task.runId, task.requestId);
  // Approved on this run's runbook: not executed on another one deployed since (`runbookChangedSince`).
  const changed = runbookChangedSince(rt, began.state);
  if (changed) {
    await report({
      kind: 'failed',
      error: changed,
      retryable: false,
      final: true,
      text: `:no_entry_sign: ${changed}`,
    });
    await redrawRequest(rt, task.runId, task.requestId);
    return;
  }
  try {
    const live = await deps.getAws();
    const context: ExecuteContext = {
      deps,
      rt,
      run: began.state,
      request,
      checklist: rt.checklist(began.state.checklistId),
      gateway: rehearsal ? readOnlyGateway(live) : live,
      attempt,
      maxAttempts: deps.config.deferred.maxAttempts,
      submitted: (changeId, text, part) => report({ kind: 'submitted', changeId, text, ...part }),
    };
    if (rehearsal) {
      const shown = await action.rehearse(context);
      await report({ kind: 'succeeded', outcome: 'rehearsed', text: shown.text });
    } else {
      const done = await action.execute(context);
      await report({ kind: 'succeeded', outcome: done.outcome, text: done.text });
    }
  } catch (error) {
    const failure = toPartFailure(error);
    const again = !rehearsal && retriesOnItsOwn(error) && attempt < deps.config.deferred.maxAttempts;
    const simulated = await simulatedLabel(deps);
    const base = action.failureText(request, failure.message, simulated);
    const text = again
      ? `${base}\n:hourglass_flowing_sand: Attempt ${attempt} of ${deps.config.deferred.maxAttempts}; the bot tries again by itself.`
      : `${base}${failure.retryable ? `\nAfter ${attempt} attempt(s). Press Retry on the request once the cause is fixed.` : ''}`;
    deps.logger.warn('live action failed', { runId: task.runId, requestId: request.id, attempt, error });
    await report({
      kind: 'failed',
      error: failure.message,
      // A drill's rehearsal is not retried (retry_request refuses drills): start the step's action again.
      retryable: !rehearsal && failure.retryable,
      final: !again,
      text,
    });
    await redrawRequest(rt, task.runId, task.requestId);
    // Worth retrying: throw, so Lambda's own retries (and finally its on-failure destination) apply.
    if (!rehearsal && retriesOnItsOwn(error)) throw error;
    return;
  }
  await redrawRequest(rt, task.runId, task.requestId);
}

registerDeferred(
  DECIDE_TASK,
  async (payload, deps) => {
    const click = asClick(payload);
    if (click) await decide(deps, click);
  },
  { once: false },
);
registerDeferred(
  RETRY_TASK,
  async (payload, deps) => {
    const click = asClick(payload);
    if (click) await decide(deps, click);
  },
  { once: false },
);
registerDeferred(EXECUTE_TASK, (payload, deps) => execute(deps, payload as ExecuteTask));
