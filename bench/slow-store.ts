/**
 * The ack on Lambda with a slow store: does a click still answer Slack well within its 3 s when every
 * DynamoDB call takes 900 ms? The app runs as on Lambda (`createLambdaHandler`, src/entry/lambda.ts), its
 * deferred work queued through a real `Invoke` call to a loopback Lambda (test/helpers/fake-lambda.ts), its
 * store the real DynamoDB adapter on dynalite behind a fault proxy that holds every call for 900 ms
 * (test/helpers/fault-proxy.ts). What is timed is the handler call for the Slack request, which is what
 * `AwsLambdaReceiver` answers Slack with (it waits for every listener); the store calls made before that
 * answer are counted. The deferred work (delivered back to the same handler afterwards) is not timed: it is
 * the work Slack no longer waits for. Every request must be answered 200 and have its effect; nothing is
 * judged on time here (the report says whether the goal is met).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { declaredFailover, declaredRecords } from '../src/aws/records';
import { createSimulatedGateway, loadScenario } from '../src/aws/simulated';
import type { FakeMessage } from '../src/local/slack-web-api';
import type { Artifact } from '../src/runbooks/model/model';
import { ActionIds } from '../src/slack/action-ids';
import { LOCAL_CLIENT, startEmbeddedStore } from '../src/store/dynalite';
import { createDynamoStore } from '../src/store/dynamo';
import { startFaultProxy } from '../test/helpers/fault-proxy';
import { type LambdaBot, startLambdaBot } from '../test/helpers/lambda-bot';
import { blockActionPayload } from '../test/helpers/slack-payloads';
import { approversYaml, gateApprovers } from './ack-latency';
import { percentile, round } from './stats';

export const SLOW_STORE_KINDS = [
  'start',
  'done',
  'approve',
  'execute',
  'skip (opens a modal)',
  'done on a checked step (may open a modal)',
] as const;
export type SlowStoreKind = (typeof SLOW_STORE_KINDS)[number];

export interface SlowStoreStats {
  kind: SlowStoreKind;
  n: number;
  p50: number;
  max: number;
  /** Store calls made before the answer to Slack (most over the samples). */
  storeCalls: number;
}

export interface SlowStoreResult {
  delayMs: number;
  kinds: SlowStoreStats[];
  /** One Done's deferred work, from the ack until the message shows it (not what Slack waits for). */
  doneEffectMs: number[];
}

type Element = { action_id: string; value?: string };

function elements(message: FakeMessage): Element[] {
  return ((message.blocks ?? []) as { elements?: Element[]; accessory?: Element }[]).flatMap((b) => [
    ...(b.elements ?? []),
    ...(b.accessory ? [b.accessory] : []),
  ]);
}

export async function slowStoreAck(opts: {
  artifact: Artifact;
  workDir: string;
  rounds: number;
  delayMs: number;
}): Promise<SlowStoreResult> {
  const { artifact } = opts;
  const plain = artifact.checklists.find((c) => c.id === 'promote-dev-sit');
  const failover = artifact.checklists.find((c) => c.id === 'failover');
  if (!plain || !failover) throw new Error('the runbooks need the promote-dev-sit and failover checklists');
  const roleUsers = gateApprovers(artifact);
  const approversFile = join(opts.workDir, 'slow-store-approvers.yaml');
  writeFileSync(approversFile, approversYaml(roleUsers));

  const tableName = `bench-${randomUUID().slice(0, 8)}`;
  const embedded = await startEmbeddedStore({ tableName });
  const proxy = await startFaultProxy(embedded.endpoint);
  const store = createDynamoStore({ tableName, client: { ...LOCAL_CLIENT, endpoint: proxy.endpoint } });
  const bot: LambdaBot = await startLambdaBot({
    artifact,
    approversFile,
    getStore: async () => store,
    // The runbooks' switch, DNS and warm-up tables reach the simulated gateway as they do in the app.
    gateway: createSimulatedGateway(loadScenario('primary-down'), {
      records: declaredRecords(artifact),
      failover: declaredFailover(artifact),
    }),
  });
  const samples = new Map<SlowStoreKind, { ms: number[]; calls: number[] }>(
    SLOW_STORE_KINDS.map((k) => [k, { ms: [], calls: [] }]),
  );
  const doneEffectMs: number[] = [];
  const slow = () => proxy.add({ operation: '*', kind: 'delay', delayMs: opts.delayMs });
  const totalCalls = () => Object.values(proxy.counts).reduce((a, b) => a + b, 0);

  /**
   * One timed request with the slow store; the deferred work it queued is then delivered, untimed and with a
   * fast store (except `slowWork`: then timed too, as the time until its effect, which Slack does not wait for).
   */
  const timed = async (
    kind: SlowStoreKind | null,
    send: () => Promise<{ statusCode: number }>,
    slowWork = false,
  ) => {
    if (kind) slow();
    const calls = totalCalls();
    const start = performance.now();
    const res = await send();
    const ms = performance.now() - start;
    if (res.statusCode !== 200) throw new Error(`${kind ?? 'setup'}: HTTP ${res.statusCode}`);
    if (kind) {
      samples.get(kind)!.ms.push(ms);
      samples.get(kind)!.calls.push(totalCalls() - calls);
    }
    if (!slowWork) proxy.clear();
    const { failed } = await bot.pump();
    if (slowWork) doneEffectMs.push(performance.now() - start);
    proxy.clear();
    if (failed.length > 0) throw new Error(`${kind ?? 'setup'}: deferred work failed: ${String(failed[0])}`);
  };
  const runIn = (channel: string) =>
    bot.fake.messages.find((m) => m.channel === channel && !m.thread_ts && m.via === 'chat.postMessage');
  const click = (message: FakeMessage, actionId: string, user: string, value?: string) =>
    bot.interaction(
      blockActionPayload({
        actionId,
        value: value ?? elements(message).find((e) => e.action_id === actionId)?.value ?? '',
        user,
        channel: message.channel,
        messageTs: message.ts,
        responseUrl: bot.fake.responseUrl({ channel: message.channel, user, messageTs: message.ts }),
      }),
    );
  const expectThread = (channel: string, text: string) => {
    const root = runIn(channel);
    const found = bot.fake.messages.some((m) => m.thread_ts === root?.ts && (m.text ?? '').includes(text));
    if (!found) throw new Error(`${channel}: the thread lacks "${text}"`);
  };

  try {
    // A cold start is not what this measures: the first request loads the app.
    await timed(null, () => bot.command('help', { user: 'U0BWARM', channel: 'C0BWARM' }));
    for (let round = 1; round <= opts.rounds; round++) {
      const starter = 'U0BSTARTER';
      const operator = 'U0BOPERATOR';
      // Plain checklist: start, Done, Skip (modal), Approve.
      const channel = `C0BSLOW${round}`;
      await timed('start', () => bot.command(plain.commands[0]!, { user: starter, channel }));
      const run = runIn(channel);
      if (!run) throw new Error(`${channel}: the run was not posted`);
      const steps = plain.items.filter((i) => i.type === 'step');
      const gateIndex = plain.items.findIndex((i) => i.type === 'gate');
      const beforeGate = plain.items.slice(0, gateIndex).filter((i) => i.type === 'step');
      const runId = /"value":"([^"|]+)\|/.exec(JSON.stringify(run.blocks))![1]!;
      await timed(
        'done',
        () => click(runIn(channel)!, ActionIds.checklistDone, operator, `${runId}|${steps[0]!.id}`),
        true,
      );
      expectThread(channel, `<@${operator}> marked`);
      await timed('skip (opens a modal)', () =>
        click(runIn(channel)!, ActionIds.checklistSkip, operator, `${runId}|${steps[1]!.id}`),
      );
      if (bot.fake.callsTo('views.open').length < round) throw new Error('Skip opened no modal');
      for (const step of beforeGate.slice(1))
        await timed(null, () =>
          click(runIn(channel)!, ActionIds.checklistDone, operator, `${runId}|${step.id}`),
        );
      const gate = plain.items[gateIndex]!;
      const signer = roleUsers[(gate.type === 'gate' ? gate.roles : [])[0]!]!;
      await timed('approve', () =>
        click(runIn(channel)!, ActionIds.checklistApprove, signer, `${runId}|${gate.id}`),
      );
      expectThread(channel, `<@${signer}> approved`);

      // Failover: Done on the evidence step reads the run before the ack (it may open the override modal).
      const fchannel = `C0BFAIL${round}`;
      await timed(null, () => bot.command(failover.commands[0]!, { user: starter, channel: fchannel }));
      const frun = runIn(fchannel)!;
      const fid = /"value":"([^"|]+)\|/.exec(JSON.stringify(frun.blocks))![1]!;
      const fsteps = failover.items.filter((i) => i.type === 'step');
      const evidence = fsteps.find((s) => s.directives['evidence'])!;
      await timed('done on a checked step (may open a modal)', () =>
        click(runIn(fchannel)!, ActionIds.checklistDone, operator, `${fid}|${evidence.id}`),
      );
      // Check the evidence (primary down, simulated), then Done passes; the warm-up step's one click (by the
      // run's starter: a live action is the starter's or a gate role's) sets every function's concurrency and reads it until READY, then Done needs no reason; every gate is
      // signed; then Execute on the switch step ("Update Route 53"), which asks for a second person.
      await timed(null, () =>
        click(runIn(fchannel)!, ActionIds.awsEvidenceCheck, operator, `${fid}|${evidence.id}`),
      );
      const route = fsteps.find((s) => s.directives['action'] === 'route53-failover');
      if (!route) throw new Error('the failover checklist has no action=route53-failover step');
      const upTo = failover.items.slice(0, failover.items.indexOf(route));
      for (const item of upTo) {
        if (item.type === 'step') {
          if (item.directives['action'] === 'warmup')
            await timed(null, () =>
              click(runIn(fchannel)!, ActionIds.awsWarmupApply, starter, `${fid}|${item.id}`),
            );
          await timed(null, () =>
            click(runIn(fchannel)!, ActionIds.checklistDone, operator, `${fid}|${item.id}`),
          );
        } else {
          for (const role of item.roles)
            await timed(null, () =>
              click(runIn(fchannel)!, ActionIds.checklistApprove, roleUsers[role]!, `${fid}|${item.id}`),
            );
        }
      }
      const before = bot.fake.messages.length;
      await timed('execute', () =>
        click(runIn(fchannel)!, ActionIds.awsRoute53Execute, starter, `${fid}|${route.id}`),
      );
      const asked = bot.fake.messages
        .slice(before)
        .some((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve));
      if (!asked) {
        // Say what the thread shows instead (a refusal names its reason), so a failure here is diagnosable.
        const thread = bot.fake.messages.filter((m) => m.channel === fchannel).map((m) => m.text ?? '');
        throw new Error(
          `${fchannel}: Execute posted no approval request; the channel shows:\n${thread.join('\n')}`,
        );
      }
    }
  } finally {
    await bot.close();
    await store.close();
    await proxy.close();
    await embedded.store.close();
  }
  return {
    delayMs: opts.delayMs,
    kinds: SLOW_STORE_KINDS.map((kind) => {
      const s = samples.get(kind)!;
      return {
        kind,
        n: s.ms.length,
        p50: round(percentile(s.ms, 50), 1),
        max: round(Math.max(...s.ms), 1),
        storeCalls: Math.max(...s.calls),
      };
    }),
    doneEffectMs: doneEffectMs.map((x) => round(x, 0)),
  };
}
