/**
 * A property over every action id and view callback the app registers, enumerated from the app itself
 * (each feature's listeners, lazy ones loaded from their manifests; every id of src/slack/action-ids.ts
 * must be among them): a signed payload with a random or edited value, or with a real value sent from
 * another channel or workspace, or by someone without the role the action needs, changes nothing. Nothing:
 * the run records and their events in the store (but the audit lines of refused attempts), the messages
 * everyone sees, and zero AWS writes (Route 53, the switch in S3, provisioned concurrency). A new listener
 * is covered without touching this file. Three runs are attacked: the failover at "Update Route 53" with
 * a pending request, the same checklist in another channel, and the failover on the switch at its warm-up.
 */

import {
  DeleteProvisionedConcurrencyConfigCommand,
  LambdaClient,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { ActionIds, answerPartPattern, openSectionPattern } from '../../src/slack/action-ids';
import { features, lazyManifests } from '../../src/slack/features/index';
import { type ListenerId, recordListeners } from '../../src/slack/lazy-feature';
import { sealModalMetadata } from '../../src/slack/modal-metadata';
import { liveRecords } from '../aws/fixtures';
import { type StepsBot, startStepsBot } from '../aws/steps-bot';
import { type MessageBody, messageButtons } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, viewSubmissionPayload } from '../helpers/slack-payloads';

const route53 = mockClient(Route53Client);
const s3 = mockClient(S3Client);
const lambda = mockClient(LambdaClient);
const EVIL = 'U0EVIL';

/** No AWS write of any kind was sent. */
function expectNoAwsWrites() {
  expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  expect(s3).toReceiveCommandTimes(PutObjectCommand, 0);
  expect(lambda).toReceiveCommandTimes(PutProvisionedConcurrencyConfigCommand, 0);
  expect(lambda).toReceiveCommandTimes(DeleteProvisionedConcurrencyConfigCommand, 0);
}
/** Ids in ActionIds that name a block or an input, not something a listener answers. */
const NOT_LISTENED = new Set<string>([
  ActionIds.checklistReasonBlock,
  ActionIds.checklistReasonInput,
  ActionIds.reachUpdateStatus,
  ActionIds.reachUpdateChanges,
  ActionIds.reachUpdateNext,
]);

let sb: StepsBot;
let runId = '';
let requestId = '';
let otherRunId = '';
/** The failover on the switch, at its warm-up step (before the gate). */
let switchRunId = '';
/** Every value a real button of the app carries right now (run message, thread, request). */
let realValues: string[] = [];

/** A small seeded generator: the same "random" values on every run, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(next: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789|#<>@!:-_. ABCDEFTUWSGC';
  const n = Math.floor(next() * 60);
  return Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** Values an attacker would try: random, edited references, foreign ids, old request-carrying formats. */
function editedValues(seed: number): string[] {
  const next = random(seed);
  return [
    randomValue(next),
    randomValue(next),
    '',
    'x'.repeat(2000),
    `${runId}|<!channel>`,
    `${runId}|update-route-53|failover|${EVIL}|2025-01-01T00:00:00.000Z|abcdef012345`,
    `${runId}|0123456789abcdef`,
    `${otherRunId}|${requestId}`,
    `${runId}|#99`,
    `${runId}|gate-ic-sign-off|x`,
    `20990101T000000-ffffff|confirm-primary-failure`,
    // Names every plain object answers to: a lookup by them must find nothing, not Object's own members.
    `${runId}|__proto__`,
    `${runId}|constructor`,
    `${runId}|toString`,
    `__proto__|constructor`,
    `${runId}|${requestId}|hasOwnProperty`,
    '{"__proto__":{"admin":true},"runId":"constructor"}',
  ];
}

/** Concrete ids for a listener: its string, or every ActionIds value (and `:1` variant) its RegExp matches. */
function concrete(id: ListenerId): string[] {
  if (typeof id === 'string') return [id];
  const candidates = Object.values(ActionIds).flatMap((v) => [v, `${v}:1`]);
  return [...new Set(candidates.filter((c) => id.test(c)))];
}

async function registered(): Promise<{ actions: ListenerId[]; views: ListenerId[]; events: ListenerId[] }> {
  const all = {
    action: new Map<string, ListenerId>(),
    view: new Map<string, ListenerId>(),
    event: new Map<string, ListenerId>(),
  };
  const add = (l: { kind: string; id: ListenerId }) =>
    (l.kind === 'view' ? all.view : l.kind === 'event' ? all.event : all.action).set(String(l.id), l.id);
  for (const feature of features) {
    // Lazy features stand in with their manifest's ids; the real module's are recorded when it loads.
    for (const l of recordListeners(feature, sb.bot.deps)) add(l);
  }
  for (const m of lazyManifests) {
    for (const l of recordListeners(await m.load(), sb.bot.deps)) add(l);
  }
  return {
    actions: [...all.action.values()],
    views: [...all.view.values()],
    events: [...all.event.values()],
  };
}

interface Snapshot {
  runs: unknown[];
  events: unknown[][];
  messages: string[];
}

async function snapshot(): Promise<Snapshot> {
  await sb.settle();
  const ids = [runId, otherRunId, switchRunId];
  return {
    runs: await Promise.all(ids.map(async (id) => (await sb.store.store.getRun(id))?.state)),
    events: await Promise.all(
      ids.map(async (id) =>
        (await sb.store.store.listEvents(id)).filter((e) => e.type !== 'refused').map((e) => e.id),
      ),
    ),
    // What everyone sees: every non-ephemeral message, but the audit lines of refusals in a thread, and
    // exported timelines (a read anyone in the run's channel may post into its thread, e.g. with an edited
    // item on a real Export button: Export ignores the item).
    messages: sb.bot.fake.messages
      .filter(
        (m) =>
          !m.visibleTo &&
          !m.deleted &&
          !(m.text ?? '').includes('Refused: ') &&
          !(m.text ?? '').startsWith('Timeline of ') &&
          !m.files,
      )
      .map((m) => JSON.stringify([m.channel, m.ts, m.thread_ts, m.text, m.blocks])),
  };
}

beforeAll(async () => {
  route53
    .on(ListResourceRecordSetsCommand)
    .resolves({ ResourceRecordSets: liveRecords() as never, IsTruncated: false, MaxItems: 10 });
  route53.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C0X', Status: 'PENDING', SubmittedAt: new Date() },
  });
  route53
    .on(GetChangeCommand)
    .resolves({ ChangeInfo: { Id: '/change/C0X', Status: 'INSYNC', SubmittedAt: new Date() } });
  const clients = createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 });
  sb = await startStepsBot({
    gateway: createLiveGateway(clients, {
      callTimeoutMs: 2_000,
      wait: { sleep: async () => undefined },
      dns: { systemServers: ['127.0.0.1:9'], timeoutMs: 100, tries: 1 },
    }),
  });
  // The failover on the switch, started first in this channel (the attacked run below is the latest).
  await sb.command('switch failover', 'U0ALICE');
  switchRunId = sb.runId();
  // Another run, in another channel: its ids must not work from here.
  await sb.bot.command('failover', { user: 'U0ALICE', channel: 'C0OTHER' });
  const other = await sb.waitFor('the other run', () =>
    sb.bot.fake.messages.find((m) => m.channel === 'C0OTHER' && !m.thread_ts),
  );
  await sb.settle();
  otherRunId = /"value":"(\d{8}T\d{6}-[0-9a-f]{6})\|/.exec(JSON.stringify(other.blocks))![1]!;
  // The run under attack: at "Update Route 53", with a pending request.
  await sb.command('failover', 'U0ALICE');
  runId = sb.runId();
  await sb.openRoute53Step('U0ALICE');
  await sb.click(sb.run(), ActionIds.awsRoute53Execute, 'U0DEVOPS', 'update-route-53');
  await sb.waitFor('request', () =>
    sb.thread().some((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
  );
  await sb.settle();
  requestId = Object.keys((await sb.store.store.getRun(runId))!.state.requests ?? {})[0]!;
  realValues = [
    // What a Take over… button (shown only in an ephemeral answer) carries.
    `${runId}|live`,
    `${runId}|drill`,
    ...new Set(
      [...JSON.stringify(sb.bot.fake.messages.map((m) => m.blocks)).matchAll(/"value":"([^"]*)"/g)].map(
        (m) => m[1]!,
      ),
    ),
  ];
  route53.resetHistory();
  s3.resetHistory();
  lambda.resetHistory();
}, 60_000);

afterAll(async () => {
  await sb?.close();
});

describe('every registered listener', () => {
  it('is enumerated from the app, and covers every action id of src/slack/action-ids.ts', async () => {
    const { actions, views } = await registered();
    const ids = Object.values(ActionIds).filter((v) => !NOT_LISTENED.has(v));
    // An id may be a prefix its buttons number (`tree.choose:<n>`).
    const answered = (v: string) =>
      [...actions, ...views].some((id) =>
        typeof id === 'string' ? id === v : id.test(v) || id.test(`${v}:1`),
      );
    expect(ids.filter((v) => !answered(v))).toEqual([]);
    expect(actions.length).toBeGreaterThan(20);
    // A new modal must be added to this count knowingly (Take over…: issue 18; Cancel run…: stop 27).
    expect(views.length).toBe(6);
  });

  it('changes nothing for random and edited values, foreign channels and workspaces, and users without a role', async () => {
    const { actions } = await registered();
    const before = await snapshot();
    let sent = 0;
    let seed = 1;
    for (const id of actions.flatMap(concrete)) {
      const attempts: { value: string; channel?: string; team?: string; user: string }[] = [
        ...editedValues(seed++).map((value) => ({ value, user: EVIL })),
        // Real values, sent from the wrong place (by people who could use them in the right one).
        ...realValues.flatMap((value) => [
          { value, channel: value.startsWith(otherRunId) ? TEST_CHANNEL : 'C0OTHER', user: 'U0BIZ' },
          { value, team: 'T0EVIL', user: 'U0DEVOPS' },
          // From a DM the bot sent someone else for this run (issue 19: only the invited person's counts).
          { value, channel: sb.bot.fake.dmChannelOf('U0BIZ'), user: 'U0DEVOPS' },
        ]),
      ];
      for (const a of attempts) {
        const responseUrl = sb.bot.fake.responseUrl({ channel: a.channel ?? TEST_CHANNEL, user: a.user });
        const res = await sb.bot.action(
          blockActionPayload({
            actionId: id,
            value: a.value,
            user: a.user,
            channel: a.channel ?? TEST_CHANNEL,
            messageTs: sb.run().ts,
            responseUrl,
            ...(a.team ? { team: a.team } : {}),
          }),
          { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
        );
        expect(res.status, `${id} ${a.value.slice(0, 40)}`).toBe(200);
        sent++;
      }
      await sb.settle();
    }
    const after = await snapshot();
    expect(after.runs).toEqual(before.runs);
    expect(after.events).toEqual(before.events);
    expect(after.messages.filter((m) => !before.messages.includes(m))).toEqual([]);
    expectNoAwsWrites();
    expect(sent).toBeGreaterThan(300);
  }, 240_000);

  it('changes nothing for real values clicked by someone outside the approvers file, where a role is needed', async () => {
    const before = await snapshot();
    const roleActions = [
      ActionIds.checklistApprove,
      ActionIds.checklistReject,
      ActionIds.awsRoute53Approve,
      ActionIds.awsRoute53Retry,
      ActionIds.awsRoute53Cancel,
      // Someone who neither started the run nor holds a role may not ask for a live action or warm up.
      ActionIds.awsRoute53Execute,
      ActionIds.awsFailoverFallback,
      ActionIds.awsWarmupApply,
      ActionIds.checklistTakeOver,
    ];
    expect(realValues.some((v) => v === `${switchRunId}|warm-up`)).toBe(true);
    for (const actionId of roleActions) {
      for (const value of realValues) {
        await sb.bot.action(
          blockActionPayload({
            actionId,
            value,
            user: EVIL,
            messageTs: sb.run().ts,
            responseUrl: sb.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: EVIL }),
          }),
          { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
        );
      }
    }
    const after = await snapshot();
    expect(after.runs).toEqual(before.runs);
    expect(after.events).toEqual(before.events);
    expect(after.messages.filter((m) => !before.messages.includes(m))).toEqual([]);
    expectNoAwsWrites();
    // Nothing was even read for them: every click was refused before the AWS work.
    expect(s3.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('changes nothing for app_home_opened with forged ids, and shows a workspace only its own runs', async () => {
    const { events } = await registered();
    expect(events.map(String)).toEqual(['app_home_opened']);
    const before = await snapshot();
    const published = () => sb.bot.fake.callsTo('views.publish').length;
    const start = published();
    const next = random(7);
    const forged: { user: string; team: string; eventId: string; tab?: string }[] = [
      { user: randomValue(next), team: 'T0TEST', eventId: 'EvP1' },
      { user: '<!channel>', team: 'T0TEST', eventId: 'EvP2' },
      { user: `U0ALICE|${runId}`, team: 'T0TEST', eventId: 'EvP3' },
      { user: 'U0DEVOPS', team: 'T0TEST', eventId: 'EvP4', tab: 'messages' },
      { user: EVIL, team: 'T0EVIL', eventId: 'EvP5' },
      { user: EVIL, team: '<!here>', eventId: 'EvP6' },
    ];
    for (const f of forged) {
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: f.team,
        api_app_id: 'A0RUNBOOK',
        type: 'event_callback',
        event_id: f.eventId,
        event_time: Math.floor(sb.clock.now.getTime() / 1000),
        event: {
          type: 'app_home_opened',
          user: f.user,
          channel: 'D0X',
          tab: f.tab ?? 'home',
          event_ts: '1.1',
        },
      });
      const res = await sb.bot.post(body, {
        contentType: 'application/json',
        timestamp: Math.floor(sb.clock.now.getTime() / 1000),
      });
      expect(res.status, f.eventId).toBe(200);
    }
    await sb.settle();
    // Only the well-formed users of a Home tab got one; the other workspace's shows none of this one's runs.
    const calls = sb.bot.fake.callsTo('views.publish').slice(start);
    expect(calls.map((c) => c.args.user_id)).toEqual([EVIL, EVIL]);
    for (const c of calls) {
      const view = JSON.stringify(c.args.view);
      expect(view).not.toContain(runId);
      expect(view).not.toContain(TEST_CHANNEL);
      expect(view).not.toContain('DR failover to eu-west-1 in');
    }
    expect(published()).toBe(start + 2);
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  it('changes nothing for every view callback submitted with random, forged or someone else’s metadata', async () => {
    const { views } = await registered();
    const before = await snapshot();
    const values = {
      [ActionIds.checklistReasonBlock]: {
        [ActionIds.checklistReasonInput]: { type: 'plain_text_input', value: 'x' },
      },
    };
    const theirs = sealModalMetadata(
      {
        runId,
        itemId: 'update-route-53',
        channel: TEST_CHANNEL,
        user: 'U0DEVOPS',
        team: 'T0TEST',
        enterprise: null,
      },
      sb.bot.deps.config,
      sb.bot.deps.now(),
    );
    const next = random(99);
    for (const callbackId of views.flatMap(concrete)) {
      for (const privateMetadata of [
        randomValue(next),
        '',
        JSON.stringify({ runId, itemId: 'update-route-53', channel: TEST_CHANNEL }),
        theirs, // sealed for someone else
        theirs.replace('update-route-53', 'confirm-primary-failure'),
      ]) {
        const res = await sb.bot.action(
          viewSubmissionPayload({ callbackId, values, privateMetadata, user: EVIL }),
          { timestamp: Math.floor(sb.clock.now.getTime() / 1000) },
        );
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toMatchObject({ response_action: 'errors' });
      }
    }
    const after = await snapshot();
    expect(after).toEqual(before);
    expectNoAwsWrites();
  });
});

describe('search answers (issue 20): their values carry the query and section ids, and grant nothing', () => {
  const stamp = () => ({ timestamp: Math.floor(sb.clock.now.getTime() / 1000) });
  const ask = async (text: string): Promise<MessageBody> => {
    const res = await sb.bot.command(text, { user: 'U0ALICE', ...stamp() });
    return (await res.response()).body as MessageBody;
  };
  /** Answer references edited as an attacker would: another section, injected text, another view. */
  const edits = (value: string): string[] => {
    const [view = '', id = '', , ...others] = value.split('\n');
    return [
      [view, 'TROUBLESHOOTING.md#no-such-section', 'token expired'].join('\n'),
      [view, '<!channel>', 'token expired'].join('\n'),
      [view, id, '<!channel> <@U0VICTIM> <https://evil.example|click>', ...others].join('\n'),
      ['zz', id, 'token expired'].join('\n'),
      [view, id, 'token expired', 'X.md#forged', '<!here>'].join('\n'),
      id,
      `${id}\n`,
    ];
  };

  it('Share posts only a section that exists, escaped; feedback is recorded under the clicker only; a forged Run as checklist starts nothing', async () => {
    const symptom = await ask('token expired');
    const procedure = await ask('how do we move traffic to the dr region');
    const buttons = [...messageButtons(symptom), ...messageButtons(procedure)].filter((b) =>
      b.action_id.startsWith('runbook.'),
    );
    const realRefs = [
      ...new Set(buttons.filter((b) => b.action_id !== ActionIds.runChecklist).map((b) => b.value!)),
    ];
    expect(buttons.some((b) => b.action_id === ActionIds.runChecklist)).toBe(true);
    const ids = [
      ...new Set([
        ...buttons.map((b) => b.action_id),
        ...concrete(answerPartPattern),
        ...concrete(openSectionPattern),
      ]),
    ];
    const since = sb.clock.now.toISOString();
    const before = await snapshot();
    const checklists = sb.bot.deps.artifact.checklists;
    const latest = () => Promise.all(checklists.map((c) => sb.store.store.getLatestRun(TEST_CHANNEL, c.id)));
    const runsBefore = await latest();
    const next = random(2020);
    for (const actionId of ids) {
      const values =
        actionId === ActionIds.runChecklist
          ? // Starting a checklist is open to anyone, as typing its command is: only forged names are sent.
            [
              ...editedValues(7),
              randomValue(next),
              'rm-rf',
              'FAILOVER',
              'failover ',
              'rollback\n<!channel>',
              ...realRefs,
            ]
          : [...realRefs, ...realRefs.flatMap(edits), ...editedValues(8), randomValue(next)];
      for (const value of values) {
        const responseUrl = sb.bot.fake.responseUrl({ channel: TEST_CHANNEL, user: EVIL });
        const res = await sb.bot.action(
          blockActionPayload({ actionId, value, user: EVIL, ephemeral: true, responseUrl }),
          stamp(),
        );
        expect(res.status, `${actionId} ${value.slice(0, 40)}`).toBe(200);
      }
    }
    const after = await snapshot();
    // No run started, changed or superseded.
    expect(after.runs).toEqual(before.runs);
    expect(after.events).toEqual(before.events);
    expect(await latest()).toEqual(runsBefore);
    // What everyone sees: only Share's compact cards, of sections that exist, by the clicker, nothing injected.
    const titles = new Set(sb.bot.deps.artifact.sections.map((s) => s.title));
    // (Audit lines and exported timelines of the tests above may still arrive in the run's thread.)
    const posted = sb.bot.fake.messages.filter(
      (m) =>
        !m.visibleTo &&
        !m.deleted &&
        !(m.text ?? '').includes('Refused: ') &&
        !(m.text ?? '').startsWith('Timeline of ') &&
        !m.files &&
        !before.messages.includes(JSON.stringify([m.channel, m.ts, m.thread_ts, m.text, m.blocks])),
    );
    expect(posted.length).toBeGreaterThan(0);
    for (const m of posted) {
      const json = JSON.stringify(m.blocks);
      const header = (m.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text ?? '';
      expect(titles.has(header), header).toBe(true);
      expect(json).toContain('Shared by <@U0EVIL>');
      expect(json).not.toMatch(/<!channel>|<!here>|U0VICTIM|evil\.example|no-such-section/);
      expect(json).not.toContain('"actions"');
    }
    // Feedback: under the clicker's own user id, about sections that exist, the query as a question at most.
    const records = (
      await sb.store.store.listFeedback(since, new Date(sb.clock.now.getTime() + 86_400_000).toISOString())
    ).filter((r) => r.at >= since);
    const sections = new Set(sb.bot.deps.artifact.sections.map((s) => s.id));
    expect(records.some((r) => r.kind === 'helpful')).toBe(true);
    for (const r of records) {
      expect(r.user, JSON.stringify(r)).toBe(EVIL);
      if (r.sectionId !== null) expect(sections.has(r.sectionId), r.sectionId).toBe(true);
      if (r.shownId !== null) expect(sections.has(r.shownId), r.shownId).toBe(true);
      expect(r.query.length).toBeLessThanOrEqual(300);
    }
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 0);
  }, 120_000);
});
