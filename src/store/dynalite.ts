/**
 * The embedded store for local runs and tests: an in-process dynalite server on 127.0.0.1 (a random port),
 * in memory, or persistent in a LevelDB directory when `path` is given. The store code is the DynamoDB
 * one, speaking the real protocol over loopback.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { createDynamoStore, ensureTable } from './dynamo';
import type { Store } from './store';

export interface EmbeddedStoreOptions {
  tableName: string;
  /** LevelDB directory for a store that survives restarts; in memory when absent. */
  path?: string;
}

export interface EmbeddedStore {
  store: Store;
  /** `http://127.0.0.1:<port>`: point another client (or a second store) at the same data. */
  endpoint: string;
}

export const LOCAL_CLIENT = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = { ...LOCAL_CLIENT, endpoint };
  const stop = () =>
    new Promise<void>((resolve, reject) =>
      server.close((error?: Error) => (error ? reject(error) : resolve())),
    );
  try {
    await ensureTable(client, options.tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  // In process, on the same machine: no network to stall, but a busy machine (a test run on two cores) can
  // take seconds to answer; the deployed client's short time-outs would turn that into retries.
  const embedded = { ...client, requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 } };
  return {
    store: createDynamoStore({ tableName: options.tableName, client: embedded, onClose: stop }),
    endpoint,
  };
}
