/**
 * Opens the configured Store on first use. The AWS SDK and dynalite are imported dynamically here, so a
 * process that never touches a checklist (search, help) never loads them.
 */
import type { StoreConfig } from '../config';
import type { Store } from './store';

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'dynamodb') {
    const { createDynamoStore } = await import('./dynamo.js');
    return createDynamoStore({
      tableName: config.tableName,
      ...(config.endpoint ? { client: { endpoint: config.endpoint } } : {}),
    });
  }
  const { startEmbeddedStore } = await import('./dynalite.js');
  const embedded = await startEmbeddedStore({
    tableName: config.tableName,
    ...(config.path ? { path: config.path } : {}),
  });
  return embedded.store;
}

/** `getStore()` for AppDeps: opens once, concurrent callers share the opening; a failed open is retried. */
export function lazyStore(config: StoreConfig): { getStore(): Promise<Store>; close(): Promise<void> } {
  let opening: Promise<Store> | null = null;
  return {
    getStore() {
      opening ??= openStore(config).catch((error: unknown) => {
        opening = null;
        throw error;
      });
      return opening;
    },
    async close() {
      const current = opening;
      opening = null;
      if (current) await (await current).close();
    },
  };
}
