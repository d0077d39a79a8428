import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startEmbeddedStore } from '../../src/store/dynalite';
import { lazyStore } from '../../src/store/factory';
import type { RunEvent } from '../../src/workflows/run-state';
import { tempDir } from '../helpers/temp';

const event: RunEvent = {
  id: '2024-05-01T10:00:00.000Z#k#0',
  runId: 'r1',
  type: 'started',
  at: '2024-05-01T10:00:00.000Z',
  user: 'U1',
  version: 1,
};

describe('embedded store', () => {
  it('keeps its data across restarts when given a path', async () => {
    const path = join(tempDir('store-'), 'db');
    const first = await startEmbeddedStore({ tableName: 'runs', path });
    await first.store.appendEvent(event);
    await first.store.close();

    const second = await startEmbeddedStore({ tableName: 'runs', path });
    expect(await second.store.listEvents('r1')).toEqual([event]);
    await second.store.close();
  });

  it('starts empty in memory without a path', async () => {
    const a = await startEmbeddedStore({ tableName: 'runs' });
    await a.store.appendEvent(event);
    const b = await startEmbeddedStore({ tableName: 'runs' });
    expect(await b.store.listEvents('r1')).toEqual([]);
    await Promise.all([a.store.close(), b.store.close()]);
  });

  it('is opened once by the lazy factory, on first use', async () => {
    const lazy = lazyStore(loadConfig({}).store);
    const [one, two] = await Promise.all([lazy.getStore(), lazy.getStore()]);
    expect(one).toBe(two);
    expect(await one.appendEvent(event)).toBe(true);
    await lazy.close();
  });
});

describe('store configuration', () => {
  it('defaults to the embedded store off Lambda and DynamoDB on Lambda', () => {
    expect(loadConfig({}).store).toEqual({ kind: 'embedded', tableName: 'runbook-bot' });
    const onLambda = loadConfig({
      AWS_LAMBDA_FUNCTION_NAME: 'bot',
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'secret-secret',
      TABLE_NAME: 'runs-prod',
    });
    expect(onLambda.store).toEqual({ kind: 'dynamodb', tableName: 'runs-prod' });
  });

  it('uses DynamoDB at DYNAMODB_ENDPOINT, and a persistent embedded store at STORE_PATH', () => {
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000/' }).store).toEqual({
      kind: 'dynamodb',
      tableName: 'runbook-bot',
      endpoint: 'http://localhost:8000',
    });
    expect(loadConfig({ STORE_PATH: '.data/runs' }).store).toMatchObject({
      kind: 'embedded',
      path: '.data/runs',
    });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ TABLE_NAME: 'a b' })).toThrow(/^TABLE_NAME must be a DynamoDB table name/);
    expect(() => loadConfig({ STORE: 'redis' })).toThrow(/^STORE must be one of dynamodb, embedded/);
  });
});
