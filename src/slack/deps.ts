/**
 * What every listener may use, passed explicitly (no module-level singletons), so tests and the playground
 * swap any part. The search path stays light: the store and AWS clients are loaded lazily through
 * `getStore()` / `getAws()` by the features that need them, never at import time.
 */
import { dirname } from 'node:path';
import type { AwsGateway } from '../aws/gateway';
import { createLambdaDefer } from '../aws/lambda-defer';
import { lazyAws } from '../aws/lazy';
import { declaredFailover, declaredRecords } from '../aws/records';
import type { Config } from '../config';
import { ArtifactLoadError, loadArtifact, staleBeside } from '../runbooks/model/artifact';
import type { Artifact } from '../runbooks/model/model';
import type { RunbookSearch } from '../runbooks/search/engine';
import { createLazySearch } from '../runbooks/search/lazy';
import { lazyStore } from '../store/factory';
import type { Store } from '../store/store';
import type { DeferredTask } from '../workflows/deferred-task';
import type { createInProcessDefer } from './deferred-runner';
import { createLogger, type Logger } from './logger';

export type { RunbookSearch, SearchHit, SearchResponse } from '../runbooks/search/engine';
export type { Logger } from './logger';

export interface AppDeps {
  config: Config;
  artifact: Artifact;
  search: RunbookSearch;
  now(): Date;
  logger: Logger;
  /** Checklist run state (src/store/store.ts), opened on first use: the search path never loads the AWS SDK. */
  getStore(): Promise<Store>;
  /** Closes the store if `getStore` opened it (the one createDeps made; absent when a caller gave getStore). */
  closeStore?(): Promise<void>;
  /**
   * Live AWS (or the simulated gateway when AWS_SIMULATION is set), built on first use: the SDK is imported
   * dynamically inside, so the search path never loads it (src/aws/lazy.ts).
   */
  getAws(): Promise<AwsGateway>;
  /** Queue slow work to run after the ack (see src/slack/deferred.ts). Resolves once queued, not once run. */
  defer(task: DeferredTask): Promise<void>;
  /**
   * Waits between polls of a long action (the DNS answer after a failover, warm-up status); default
   * setTimeout. Tests pass one that moves their clock instead.
   */
  sleep?(ms: number): Promise<void>;
  /** In-process deferral only: resolves once every queued task (and its retries) has finished. */
  drain?(): Promise<void>;
}

export interface DepsOverrides extends Partial<AppDeps> {}

/**
 * The production wiring: the artifact from `config.artifactPath`, its search, a JSON logger, the real
 * clock, in-process deferral. Any part can be overridden (tests, playground, Lambda).
 */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<AppDeps> {
  // A self-hosted server (HTTP, Socket Mode) runs beside its runbooks and reads approvers.yaml fresh: an
  // artifact built before they changed is refused, as the playground rebuilds it. The Lambda ships none.
  const besideRunbooks = config.mode === 'http' || config.mode === 'socket';
  const artifact = overrides.artifact ?? (await loadArtifact(config.artifactPath));
  const runbooksDir = dirname(config.approversFile);
  if (!overrides.artifact && besideRunbooks && (await staleBeside(artifact, runbooksDir)))
    throw new ArtifactLoadError(
      config.artifactPath,
      `stale: ${runbooksDir} changed since it was built; run \`npm run build:artifact\``,
    );
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const store = overrides.getStore ? undefined : lazyStore(config.store);
  const deps: AppDeps = {
    config,
    artifact,
    search: overrides.search ?? createLazySearch(artifact),
    now: overrides.now ?? (() => new Date()),
    logger,
    getStore: overrides.getStore ?? store!.getStore,
    ...(store ? { closeStore: store.close } : {}),
    getAws:
      overrides.getAws ??
      lazyAws(() => ({
        config: config.aws,
        records: declaredRecords(artifact),
        // The runbook's switch, DNS and warm-up tables: without them the simulated switch is inactive.
        failover: declaredFailover(artifact),
      })),
    defer: overrides.defer ?? (async () => undefined),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  };
  // The runner (seal, lease, retries) is loaded with the first task, never on the search path.
  const runner = () => import('./deferred-runner.js');
  if (!overrides.defer) {
    let inProcess: ReturnType<typeof createInProcessDefer> | undefined;
    const start = async () => {
      inProcess ??= (await runner()).createInProcessDefer(() => deps);
      return inProcess;
    };
    deps.defer = async (task) => (await start()).defer(task);
    deps.drain = async () => {
      if (inProcess) await inProcess.pending();
    };
  }
  // On Lambda, slow work runs in an asynchronous invocation of this same function (src/aws/lambda-defer.ts).
  const selfFunction = config.aws.deferFunctionName;
  if (!overrides.defer && config.mode === 'lambda' && selfFunction) {
    deps.defer = createLambdaDefer({
      functionName: selfFunction,
      region: config.aws.deferRegion,
      seal: async (task, now) => (await runner()).sealTask(config, task, now),
      now: deps.now,
    });
    delete deps.drain;
  }
  return deps;
}
