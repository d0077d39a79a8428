/**
 * Drives the AWS step extensions end to end: the real app (startTestBot) with a dynalite store, a checklist
 * artifact carrying the AWS directives, and a chosen AWS gateway (simulated, or live over mocked SDK
 * clients). Clicks press the buttons of messages as the fake Slack holds them.
 */

import type { AwsGateway } from '../../src/aws/gateway';
import type { FakeMessage } from '../../src/local/slack-web-api';
import type { Artifact, Checklist, GateItem, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { decodeItemValue } from '../../src/slack/render/checklist';
import type { Store } from '../../src/store/store';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { blockActionPayload, TEST_CHANNEL } from '../helpers/slack-payloads';
import { findElement, reasonSubmission, textOf, writeApprovers } from '../workflows/checklist-bot';
import { DNS_CHECK, S3_SWITCH, SWITCH_RECORDS, switchSet, WARMUP } from '../workflows/switch-fixtures';
import { RECORDS } from './fixtures';

export { textOf };

const NAMES: Record<string, string> = { devops: 'DevOps', 'business-owner': 'Business Owner' };

const gate = (id: string, title: string, roles: string[]): GateItem => ({
  type: 'gate',
  id,
  title,
  roles,
  markdown: `> **Approval gate: ${title}.** Approvers: ${roles.map((r) => NAMES[r] ?? r).join(', ')}.`,
  sectionId: 'DR_FAILOVER.md#failover-procedure',
});

const step = (n: number, id: string, title: string, directives: Record<string, string> = {}): StepItem => ({
  type: 'step',
  id,
  n,
  title,
  markdown: `${title}.`,
  text: `${title}.`,
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  phase: null,
  directives,
});

export const FAILOVER: Checklist = {
  id: 'failover',
  title: 'DR failover to eu-west-1',
  commands: ['failover'],
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  records: 'route53-failover',
  directives: { checklist: 'failover', records: 'route53-failover' },
  items: [
    step(1, 'confirm-primary-failure', 'Confirm primary failure', { evidence: 'primary-health' }),
    // As in runbooks/DR_FAILOVER.md: the incident commander's sign-off guards the DNS change, and its roles
    // are the ones that may approve the change (src/workflows/requests.ts `approverRolesFor`).
    gate('gate-ic-sign-off', 'Incident commander sign-off', ['devops', 'business-owner']),
    step(2, 'update-route-53', 'Update Route 53', { action: 'route53-failover' }),
    step(3, 'notify-stakeholders', 'Notify stakeholders', { notify: 'failover-notice' }),
  ],
};

/**
 * The failover on the data plane, as runbooks/DR_FAILOVER.md declares it: the switch, DNS and warm-up tables
 * of test/workflows/switch-fixtures.ts, warm-up before the sign-off gate.
 */
export const SWITCH_FAILOVER: Checklist = {
  id: 'switch-failover',
  title: 'DR failover to eu-west-1 (switch)',
  commands: ['switch failover'],
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  records: 'dr-records',
  directives: {
    checklist: 'switch-failover',
    records: 'dr-records',
    switch: 'dr-switch',
    warmup: 'dr-warmup',
    dns: 'api-dns',
  },
  items: [
    step(1, 'confirm-primary-failure', 'Confirm primary failure', { evidence: 'primary-health' }),
    step(2, 'warm-up', 'Warm up eu-west-1', { action: 'warmup' }),
    gate('gate-ic-sign-off', 'Incident commander sign-off', ['devops', 'business-owner']),
    step(3, 'update-route-53', 'Update Route 53', { action: 'route53-failover' }),
    step(4, 'verify-failover-site', 'Verify failover site'),
  ],
};

export const SWITCH_FAILBACK: Checklist = {
  ...SWITCH_FAILOVER,
  id: 'switch-failback',
  title: 'Failback to af-south-1 (switch)',
  commands: ['switch failback'],
  directives: { ...SWITCH_FAILOVER.directives, checklist: 'switch-failback' },
  items: [
    step(1, 'confirm-primary-healthy', 'Confirm the primary region is healthy'),
    gate('gate-failback', 'Failback DNS cutback', ['devops', 'business-owner']),
    step(2, 'dns-cutback', 'DNS cutback', { action: 'route53-failback' }),
    step(3, 'return-to-standby', 'Return eu-west-1 to standby capacity', { action: 'warmup-release' }),
  ],
};

/** What the simulated gateway needs to follow the switch checklists' tables. */
export const SWITCH_DECLARATIONS = {
  switches: [switchSet([S3_SWITCH])],
  dnsChecks: [DNS_CHECK],
  warmups: WARMUP,
};

export const PROMOTE: Checklist = {
  id: 'promote-sit-prod',
  title: 'Promote SIT → PROD',
  commands: ['promote sit prod'],
  sectionId: 'PROMOTION.md#sit-prod',
  records: null,
  directives: {},
  items: [
    step(1, 'deploy-canary', 'Deploy the canary'),
    step(2, 'monitoring-period', 'Monitoring period', {
      monitor: 'canary',
      period: '30m',
      criteria: 'prod-canary',
    }),
  ],
};

export const NOTICE_TEXT = [
  ':rotating_light: DR failover for {{incident}}',
  'Started by {{started_by}} at {{started_at}}: traffic moves from {{from_region}} to {{to_region}}.',
  'Status: {{status}} <!channel> & co',
].join('\n');

export async function stepsArtifact(): Promise<Artifact> {
  const base = await loadTestArtifact();
  return {
    ...base,
    checklists: [FAILOVER, PROMOTE, SWITCH_FAILOVER, SWITCH_FAILBACK],
    records: { 'route53-failover': RECORDS, 'dr-records': SWITCH_RECORDS },
    switches: { 'dr-switch': switchSet([S3_SWITCH]) },
    dnsChecks: { 'api-dns': DNS_CHECK },
    warmups: { 'dr-warmup': WARMUP },
    templates: {
      'failover-notice': {
        id: 'failover-notice',
        text: NOTICE_TEXT,
        placeholders: [],
        sectionId: 'DR_FAILOVER.md#notice',
      },
    },
  };
}

export interface StepsBot {
  bot: TestBot;
  store: TestStore;
  clock: { now: Date };
  command(text: string, user: string): Promise<void>;
  latestRun(): FakeMessage;
  /** The run message as the fake Slack holds it now. */
  run(): FakeMessage;
  /** The id of the latest run (from its buttons). */
  runId(): string;
  /** The run's events in the store. */
  events(): Promise<Awaited<ReturnType<TestStore['store']['listEvents']>>>;
  thread(): FakeMessage[];
  click(message: FakeMessage, actionId: string, user: string, itemId?: string): Promise<string>;
  submitModal(user: string, reason: string): Promise<void>;
  /** Text of everything posted to one response_url. */
  answers(responseId: string): string;
  waitFor<T>(what: string, predicate: () => T | undefined | null | false): Promise<T>;
  /** Polls an async condition (store reads). */
  eventually(what: string, predicate: () => Promise<boolean>): Promise<void>;
  /** Waits until every deferred task (and its retries) has finished. */
  settle(): Promise<void>;
  /**
   * Brings a failover run to "Update Route 53": step 1 skipped by `starter` with a reason, the sign-off gate
   * signed by U0DEVOPS (DevOps) and U0BIZ (Business Owner).
   */
  openRoute53Step(starter: string): Promise<void>;
  /** Resolves "Update Route 53" without a change (skipped by `user` with a reason): the next step is current. */
  resolveRoute53Step(user: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStepsBot(
  opts: {
    /** A gateway, or one built on the app's clock (a simulated one whose health checks follow it). */
    gateway?: AwsGateway | ((clock: { now: Date }) => AwsGateway);
    env?: Record<string, string>;
    /** The store the app uses, over the test store (e.g. through a fault proxy); the test store by default. */
    connect?: (ts: TestStore) => Promise<Store>;
    /** The artifact the app serves (stepsArtifact() by default). */
    artifact?: Artifact;
  } = {},
): Promise<StepsBot> {
  const store = await startTestStore();
  const appStore = opts.connect ? await opts.connect(store) : store.store;
  // The app's clock; requests are signed with it too, so moving it forward keeps signatures valid.
  const clock = { now: new Date() };
  const stamp = () => ({ timestamp: Math.floor(clock.now.getTime() / 1000) });
  const gateway = typeof opts.gateway === 'function' ? opts.gateway(clock) : opts.gateway;
  let clicks = 0;
  const bot = await startTestBot({
    env: { APPROVERS_FILE: writeApprovers(), ...opts.env },
    deps: {
      artifact: opts.artifact ?? (await stepsArtifact()),
      getStore: async () => appStore,
      now: () => clock.now,
      // Polls (the DNS answer, warm-up status) wait by moving the clock: no real time passes.
      sleep: async (ms) => {
        clock.now = new Date(clock.now.getTime() + ms);
      },
      ...(gateway ? { getAws: async () => gateway } : {}),
    },
  });
  const runs = () =>
    bot.fake.messages.filter(
      (m) =>
        m.channel === TEST_CHANNEL &&
        m.via === 'chat.postMessage' &&
        !m.thread_ts &&
        !m.deleted &&
        JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport),
    );
  const started = () =>
    bot.logs.filter((e) => e.msg === 'checklist interaction handled' && e.what === 'start').length;
  const waitFor = <T>(what: string, predicate: () => T | undefined | null | false) =>
    bot.waitFor(predicate, { what, timeoutMs: 10_000 });
  const latestRun = () => {
    const all = runs();
    const last = all[all.length - 1];
    if (!last) throw new Error('no checklist message posted');
    return last;
  };
  const self: StepsBot = {
    bot,
    store,
    clock,
    async command(text, user) {
      const before = started();
      const res = await bot.command(text, { user, ...stamp() });
      if (res.status !== 200) throw new Error(`command answered ${res.status}`);
      // Logged once the run is stored, posted and attached to its message.
      await waitFor(`/runbook ${text}`, () => started() > before);
    },
    latestRun,
    run: latestRun,
    runId() {
      const id = decodeItemValue(findElement(latestRun(), ActionIds.checklistExport).value)?.runId;
      if (!id) throw new Error('run message has no run id');
      return id;
    },
    events() {
      return store.store.listEvents(self.runId());
    },
    thread() {
      const root = latestRun();
      return bot.fake.messages.filter((m) => m.thread_ts === root.ts && m.channel === root.channel);
    },
    async click(message, actionId, user, itemId) {
      const element = findElement(message, actionId, itemId);
      const responseUrl = bot.fake.responseUrl({ channel: message.channel, user, messageTs: message.ts });
      const payload = blockActionPayload({
        actionId,
        value: element.value,
        user,
        channel: message.channel,
        messageTs: message.ts,
        responseUrl,
        blocks: message.blocks ?? [],
        // The app's clock (a millisecond apart per click: two clicks are never one redelivery).
        actionTs: clock.now.getTime() / 1000 + ++clicks / 1000,
      });
      const res = await bot.action(payload, stamp());
      if (res.status !== 200) throw new Error(`interaction answered ${res.status}: ${res.body}`);
      return responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    },
    async submitModal(user, reason) {
      const res = await bot.action(reasonSubmission(bot, user, reason), stamp());
      if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
    },
    answers(responseId) {
      return bot.fake.responses
        .filter((r) => r.id === responseId)
        .map((r) => JSON.stringify(r.body))
        .join('\n');
    },
    waitFor,
    async eventually(what, predicate) {
      const deadline = Date.now() + 10_000;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    settle: async () => {
      await bot.deps.drain?.();
    },
    async openRoute53Step(starter) {
      await self.click(self.run(), ActionIds.checklistSkip, starter, 'confirm-primary-failure');
      await self.waitFor('skip modal', () => bot.fake.callsTo('views.open').length > 0);
      await self.submitModal(starter, 'Primary confirmed down on the AWS Health Dashboard');
      await self.eventually('step 1 skipped', async () =>
        (await self.events()).some((e) => e.type === 'step_skipped'),
      );
      await self.settle();
      for (const signer of ['U0DEVOPS', 'U0BIZ']) {
        await self.click(self.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
        await self.settle();
      }
      await self.waitFor('Execute (or, in a drill, Preview) offered', () => {
        const blocks = JSON.stringify(self.run().blocks ?? []);
        return blocks.includes(ActionIds.awsRoute53Execute) || blocks.includes(ActionIds.awsRoute53Preview);
      });
    },
    async resolveRoute53Step(user) {
      const opened = bot.fake.callsTo('views.open').length;
      await self.click(self.run(), ActionIds.checklistSkip, user, 'update-route-53');
      await self.waitFor('skip modal', () => bot.fake.callsTo('views.open').length > opened);
      await self.submitModal(user, 'DNS moved by hand (test)');
      await self.eventually('step 2 skipped', async () =>
        (await self.events()).some((e) => e.type === 'step_skipped' && e.stepId === 'update-route-53'),
      );
      await self.settle();
    },
    async close() {
      // In-flight deferred work first: closing the store under it fails its last writes.
      await self.settle();
      await bot.close();
      await self.settle();
      if (appStore !== store.store) await appStore.close();
      await store.store.close();
    },
  };
  return self;
}
