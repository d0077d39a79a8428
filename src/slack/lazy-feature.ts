/**
 * Lazily loaded features: a small static manifest stands in for a feature module until it is first used,
 * so a cold start answering a search loads neither the module nor what it imports (esbuild puts each
 * `import()` in its own chunk).
 *
 * The manifest holds what routing, help and Bolt need before the module is loaded: subcommand names, usage
 * and summary; whether free text is claimed (from the artifact only); the action, view and options IDs the
 * feature listens to; and the deferred task kinds it owns. Registering the manifest registers one thin Bolt
 * listener per ID: on its first call it imports the module, runs the real `register()` against a recorder
 * (never the real app), and hands Bolt's arguments unchanged to the real listener registered with the same
 * ID, which acknowledges as it always did. Subcommands and claimed text delegate the same way; a deferred
 * task whose kind the manifest names loads the module (which registers its handlers) before it runs.
 */
import type { App } from '@slack/bolt';
import { registerDeferredLoader } from './deferred';
import type { AppDeps } from './deps';
import type { CommandRunner, Feature, Subcommand, SubcommandInfo } from './feature';

export type ListenerId = string | RegExp;
export type ListenerKind = 'action' | 'view' | 'options' | 'event';

export interface LazyFeatureManifest {
  id: string;
  /** Names, usage and summary of the feature's subcommands, in the feature's order. */
  subcommands?: SubcommandInfo[];
  /** Whether the feature's `claimText` takes this text; must not need the feature module. */
  claims?(text: string, deps: AppDeps): boolean;
  /** Every ID the feature's `register()` listens to, exactly as it passes them to Bolt (`event`: event types). */
  listeners?: Partial<Record<ListenerKind, readonly ListenerId[]>>;
  /** Deferred task kinds the module registers (src/slack/deferred.ts) when it loads. */
  deferredKinds?: readonly string[];
  /** Run when the app is created, before any event: what must fail start-up (a malformed config file). */
  validate?(deps: AppDeps): void;
  /** Lazy features of the same app to load whenever this one loads (e.g. step extensions of checklists). */
  loadWith?: readonly string[];
  load(): Promise<Feature>;
}

type Handler = (args: unknown) => Promise<unknown> | unknown;

export interface RecordedListener {
  kind: ListenerKind;
  id: ListenerId;
  handler: Handler;
}

export interface LoadedFeature {
  feature: Feature;
  listeners: RecordedListener[];
}

/** Runs a feature's `register()` against a stand-in app that records action, view and options listeners. */
export function recordListeners(feature: Feature, deps: AppDeps): RecordedListener[] {
  const listeners: RecordedListener[] = [];
  const recorder =
    (kind: ListenerKind) =>
    (id: unknown, ...handlers: unknown[]) => {
      if (!(typeof id === 'string' || id instanceof RegExp) || handlers.length !== 1) {
        throw new Error(
          `lazy feature ${feature.id}: ${kind}() takes one string or RegExp ID and one listener`,
        );
      }
      listeners.push({ kind, id, handler: handlers[0] as Handler });
    };
  const unsupported = (method: string) => () => {
    throw new Error(
      `lazy feature ${feature.id}: app.${method}() is not supported for lazily loaded features`,
    );
  };
  const app = new Proxy(
    {
      action: recorder('action'),
      view: recorder('view'),
      options: recorder('options'),
      event: recorder('event'),
    },
    { get: (target, key) => (key in target ? target[key as ListenerKind] : unsupported(String(key))) },
  );
  feature.register?.(app as unknown as App, deps);
  return listeners;
}

export function sameListenerId(a: ListenerId, b: ListenerId): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.source === b.source && a.flags === b.flags;
}

/** Per app (keyed by its deps): the lazy features registered, and each one's load once started. */
interface AppState {
  registered: Map<string, LazyFeatureManifest>;
  loads: Map<string, Promise<LoadedFeature>>;
}

const states = new WeakMap<AppDeps, AppState>();

function stateOf(deps: AppDeps): AppState {
  let state = states.get(deps);
  if (!state) {
    state = { registered: new Map(), loads: new Map() };
    states.set(deps, state);
  }
  return state;
}

/** Load a lazy feature for these deps (once), with the features it names in `loadWith` that the app has. */
export function loadLazyFeature(manifest: LazyFeatureManifest, deps: AppDeps): Promise<LoadedFeature> {
  const state = stateOf(deps);
  let loading = state.loads.get(manifest.id);
  if (!loading) {
    loading = (async () => {
      const feature = await manifest.load();
      const listeners = recordListeners(feature, deps);
      for (const id of manifest.loadWith ?? []) {
        const other = state.registered.get(id);
        if (other) await loadLazyFeature(other, deps);
      }
      return { feature, listeners };
    })();
    loading.catch(() => state.loads.delete(manifest.id)); // a failed import may be retried
    state.loads.set(manifest.id, loading);
  }
  return loading;
}

/** A Feature that stands for `manifest` and loads the real module on first use. */
export function lazyFeature(manifest: LazyFeatureManifest): Feature {
  const real = async (deps: AppDeps) => (await loadLazyFeature(manifest, deps)).feature;

  const subcommands = manifest.subcommands?.map(
    (sub, index): Subcommand => ({
      ...sub,
      run: async (ctx) => {
        const target = (await real(ctx.deps)).subcommands?.[index];
        if (!target || target.usage !== sub.usage) {
          throw new Error(`lazy feature ${manifest.id}: no subcommand "${sub.usage}" after loading`);
        }
        await target.run(ctx);
      },
    }),
  );

  const claimText = manifest.claims
    ? (text: string, deps: AppDeps): CommandRunner | null =>
        manifest.claims?.(text, deps)
          ? async (ctx) => {
              const run = (await real(ctx.deps)).claimText?.(text, ctx.deps);
              if (!run)
                throw new Error(`lazy feature ${manifest.id}: the loaded feature did not claim the text`);
              await run(ctx);
            }
          : null
    : undefined;

  const register = (app: App, deps: AppDeps): void => {
    manifest.validate?.(deps);
    stateOf(deps).registered.set(manifest.id, manifest);
    for (const kind of ['action', 'view', 'options', 'event'] as const) {
      for (const id of manifest.listeners?.[kind] ?? []) {
        const delegate = async (args: unknown) => {
          const { listeners } = await loadLazyFeature(manifest, deps);
          const matching = listeners.filter((l) => l.kind === kind && sameListenerId(l.id, id));
          if (matching.length === 0) {
            throw new Error(
              `lazy feature ${manifest.id}: no ${kind} listener for ${String(id)} after loading`,
            );
          }
          for (const l of matching) await l.handler(args);
        };
        (app[kind] as (id: ListenerId, listener: typeof delegate) => void).call(app, id, delegate);
      }
    }
    for (const kind of manifest.deferredKinds ?? []) {
      registerDeferredLoader(kind, async (d) => {
        await loadLazyFeature(manifest, d);
      });
    }
  };

  return {
    id: manifest.id,
    ...(subcommands ? { subcommands } : {}),
    ...(claimText ? { claimText } : {}),
    register,
  };
}
