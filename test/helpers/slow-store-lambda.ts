/**
 * The Lambda handler (test/helpers/lambda-bot.ts) over the real DynamoDB adapter behind a fault proxy
 * (test/helpers/fault-proxy.ts) in front of dynalite, with the approvers of the reach tests: what the tests
 * of Slack's 3 s with a slow store share. Everything started is closed after each test.
 */
import { afterEach } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import type { Store } from '../../src/store/store';
import { REACH_APPROVERS } from '../slack/reach-bot';
import { writeApprovers } from '../workflows/checklist-bot';
import { loadTestArtifact } from './artifact';
import { startTestStore, type TestStore } from './dynalite';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { type LambdaBot, startLambdaBot } from './lambda-bot';

export interface SlowStoreLambda {
  /** Set by `start()`, for the running test. */
  readonly proxy: FaultProxy;
  readonly artifact: Artifact;
  start(): Promise<LambdaBot>;
}

export function useSlowStoreLambdaBot(): SlowStoreLambda {
  let testStore: TestStore | undefined;
  let proxy: FaultProxy | undefined;
  let store: Store | undefined;
  let bot: LambdaBot | undefined;
  let artifact: Artifact | undefined;
  afterEach(async () => {
    proxy?.clear();
    await bot?.close();
    await store?.close();
    await proxy?.close();
    await testStore?.store.close();
    bot = undefined;
    store = undefined;
    proxy = undefined;
    testStore = undefined;
  });
  return {
    get proxy() {
      if (!proxy) throw new Error('start() first');
      return proxy;
    },
    get artifact() {
      if (!artifact) throw new Error('start() first');
      return artifact;
    },
    async start() {
      testStore = await startTestStore();
      proxy = await startFaultProxy(testStore.endpoint);
      const s = createDynamoStore({
        tableName: testStore.tableName,
        client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
      });
      store = s;
      artifact = await loadTestArtifact();
      bot = await startLambdaBot({
        artifact,
        approversFile: writeApprovers(REACH_APPROVERS),
        getStore: async () => s,
      });
      return bot;
    },
  };
}
