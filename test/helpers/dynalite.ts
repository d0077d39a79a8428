/**
 * An embedded (dynalite) store for tests: in-process, in memory, on a random loopback port. Each call gets
 * its own server and table, so test files never share state.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_CLIENT, startEmbeddedStore } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import type { Store } from '../../src/store/store';

export interface TestStore {
  store: Store;
  endpoint: string;
  tableName: string;
  /** Another client on the same data, as a second process (a second Lambda container) would have. */
  connect(): Store;
}

export async function startTestStore(): Promise<TestStore> {
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  const { store, endpoint } = await startEmbeddedStore({ tableName });
  return {
    store,
    endpoint,
    tableName,
    connect: () => createDynamoStore({ tableName, client: { ...LOCAL_CLIENT, endpoint } }),
  };
}

/**
 * Waits until no more search feedback arrives (the bot writes it after replying), so closing the store
 * never races a write still on its way. Polls; gives up quietly after a few seconds.
 */
export async function feedbackSettled(store: Store): Promise<void> {
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const until = new Date(Date.now() + 86_400_000).toISOString();
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const n = (await store.listFeedback(since, until)).length;
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, 50));
  }
}
