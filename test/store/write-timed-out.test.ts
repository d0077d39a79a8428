/**
 * Found in a review (helper-198) of the store client's time-outs (731107f, src/store/dynamo.ts
 * STORE_TIMEOUTS, 3 s per request) next to RunRecord.writes (5d138cc). When DynamoDB is slow (throttled or
 * impaired during the very outage a failover answers), a run write may take longer than the time-out and
 * still be applied. With every SDK attempt timing out, `putRun` throws a TimeoutError, and executeCommand
 * rethrows it (only a VersionConflictError is read again), although the write token it kept for this very
 * case would tell it the write landed. For `begin_execution` the request is now 'executing' under a 6-minute
 * lease that nobody runs: the task's redelivery (Lambda's retry, a new attempt key) is refused `lease_held`,
 * and the approved failover is not executed until someone notices and presses Retry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT } from '../../src/store/dynalite';
import { createDynamoStore } from '../../src/store/dynamo';
import { executeCommand, startRun } from '../../src/store/runs';
import type { Store } from '../../src/store/store';
import type { CommandContext } from '../../src/workflows/checklist';
import { findRequest } from '../../src/workflows/requests';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy';
import { gate, promotion, STARTER, step } from '../workflows/fixtures';

let ts: TestStore;
let proxy: FaultProxy;
let store: Store;
beforeAll(async () => {
  ts = await startTestStore();
  proxy = await startFaultProxy(ts.endpoint);
  // The deployed client: its own time-outs (1 s / 3 s), through the proxy.
  store = createDynamoStore({
    tableName: ts.tableName,
    client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint },
  });
});
afterAll(async () => {
  await store.close();
  await proxy.close();
  await ts.store.close();
});

let n = 0;
const ctx = (user: string, roles: string[], key = `k${++n}`): CommandContext => ({
  user,
  roles,
  requesterRoles: ['devops'],
  at: new Date(Date.parse('2024-05-01T10:00:00.000Z') + ++n * 1000).toISOString(),
  key,
  team: 'T1',
  enterprise: null,
  channel: 'C0SLOW',
});

const REQUEST = 'a1b2c3d4e5f60718';
/** A run replacement (putRun's conditional write on the run's version). */
const isRunPut = (body: Record<string, unknown>) =>
  String(body['ConditionExpression'] ?? '').includes('#version = :expected');

describe('a run write slower than the store client’s time-out, applied all the same', () => {
  it('begin_execution is reported as applied, not thrown with the request left executing', async () => {
    const checklist = {
      ...promotion,
      items: [
        step(1, 'build'),
        gate('ops', ['devops', 'business-owner']),
        step(2, 'failover', { action: 'route53-failover' }),
      ],
    };
    const { state } = await startRun(
      ts.store,
      { checklist, drill: false, channel: 'C0SLOW', team: 'T1', enterprise: null },
      ctx(STARTER, []),
    );
    const run = state.runId;
    const fast = (command: Parameters<typeof executeCommand>[2], c: CommandContext) =>
      executeCommand(ts.store, run, command, c).then((r) => expect(r.kind).toBe('applied'));
    await fast({ type: 'done', stepId: 'build' }, ctx(STARTER, []));
    await fast({ type: 'approve', gateId: 'ops' }, ctx('UDEV', ['devops']));
    await fast({ type: 'approve', gateId: 'ops' }, ctx('UBIZ', ['business-owner']));
    await fast(
      { type: 'request', stepId: 'failover', requestId: REQUEST, kind: 'route53-failover', plan: { p: 1 } },
      ctx('UDEV', ['devops']),
    );
    await fast(
      { type: 'decide_request', requestId: REQUEST, decision: 'approve' },
      ctx('UBIZ', ['business-owner']),
    );

    // DynamoDB takes 3.5 s to answer every run write (each is applied, or refused by its version, when it
    // finally gets there): longer than the client's 3 s.
    proxy.add({ operation: 'PutItem', kind: 'delay', delayMs: 3_500, match: isRunPut });
    let outcome: string;
    try {
      outcome = (
        await executeCommand(
          store,
          run,
          { type: 'begin_execution', requestId: REQUEST, leaseMs: 6 * 60_000 },
          ctx('UBIZ', ['business-owner'], `begin:${REQUEST}:origin:1`),
        )
      ).kind;
    } catch (error) {
      outcome = `threw ${(error as Error).name}`;
    }
    proxy.clear();
    await new Promise((r) => setTimeout(r, 4_000)); // the last attempts land (refused by their version)
    const stored = findRequest((await ts.store.getRun(run))!.state, REQUEST);
    // The write landed: the request is executing under this caller's lease.
    expect(stored).toMatchObject({ status: 'executing', attempts: 1 });
    // This caller must go on and execute (`applied`): a throw leaves the lease held by nobody, and the task's
    // redelivery (the next attempt key) is refused as `lease_held` for six minutes.
    expect(outcome).toBe('applied');
    const redelivery = await executeCommand(
      ts.store,
      run,
      { type: 'begin_execution', requestId: REQUEST, leaseMs: 6 * 60_000 },
      ctx('UBIZ', ['business-owner'], `begin:${REQUEST}:origin:2`),
    );
    expect(redelivery).toMatchObject({ kind: 'refused', code: 'lease_held' });
  }, 40_000);
});
