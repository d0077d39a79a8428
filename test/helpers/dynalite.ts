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
