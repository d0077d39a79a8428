/**
 * Drives the reach feature end to end: the real app with every feature (lazy ones loaded as in production),
 * Bolt's HTTP receiver, signed requests, the fake Slack and a dynalite store, with the app's clock in the
 * test's hands (`clock.now`) so timers can be moved past without waiting. Clicks press the buttons of the
 * messages as the fake Slack holds them: in the channel, in a person's DM with the bot, or on their Home tab.
 */
import type { FakeHome, FakeMessage } from '../../src/local/slack-web-api';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { runTimers } from '../../src/slack/timers';
import type { RunState } from '../../src/workflows/run-state';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { slackLimitViolations } from '../helpers/slack-limits';
import {
  blockActionPayload,
  TEST_CHANNEL,
  TEST_TEAM,
  viewSubmissionPayload,
} from '../helpers/slack-payloads';
import { findElement, hasElement, textOf, writeApprovers } from '../workflows/checklist-bot';

export { findElement, hasElement, textOf };

/** The role devops names its user group; the starter U0STARTER is in it (and so is never asked). */
export const REACH_APPROVERS = `
roles:
  devops:
    group: S0DEVOPS
    members: [U0DEVOPS]
  architecture: [U0ARCH]
  security: [U0SEC]
  incident-commander:
    group: S0ICS
  business-owner: [U0BIZ]
`;

export interface ReachBot {
  bot: TestBot;
  store: TestStore;
  clock: { now: Date };
  /** `/runbook <text>` as `user`; resolves when the run is posted and every follow-up is done. */
  command(text: string, user: string): Promise<void>;
  latestRun(): FakeMessage;
  runId(): string;
  state(): Promise<RunState>;
  thread(): FakeMessage[];
  /** Top-level messages in a person's DM with the bot, oldest first. */
  dms(user: string): FakeMessage[];
  /** The approval DM (the one with an Approve button once) sent to `user`, as it is now. */
  approvalDm(user: string): FakeMessage | undefined;
  home(user: string): FakeHome | undefined;
  /** Press a button of a message as `user` (channel of the message, its response_url). */
  /** `actionTs`: the click's action_ts (default now); two clicks within one millisecond need their own. */
  click(
    message: FakeMessage,
    actionId: string,
    user: string,
    itemId?: string,
    actionTs?: number,
  ): Promise<string>;
  /** Press a button on `user`'s Home tab. */
  /** Press a button of `user`'s Home tab; with `copiedFrom`, a button copied from that person's Home (a forgery). */
  clickHome(user: string, actionId: string, itemId?: string, copiedFrom?: string): Promise<void>;
  /** Submit the last modal opened, with `values` (block id → action id → value). */
  submitModal(user: string, values: Record<string, Record<string, unknown>>): Promise<void>;
  /** `app_home_opened` for `user`, as Slack sends it (JSON, signed); `retry` sets x-slack-retry-num. */
  openHome(user: string, eventId: string, retry?: number): Promise<number>;
  /** Text of everything the bot answered `user` on a response_url. */
  answers(user: string): string;
  /** Move the clock and run the timer sweep, as the schedule would. */
  sweepAt(iso: string): Promise<void>;
  settle(): Promise<void>;
  /** Every message and Home tab the bot produced, checked against Block Kit's limits. */
  limitViolations(): string[];
  close(): Promise<void>;
}

export async function startReachBot(
  opts: { artifact?: Artifact; store?: TestStore; env?: Record<string, string>; now?: Date } = {},
): Promise<ReachBot> {
  const store = opts.store ?? (await startTestStore());
  const clock = { now: opts.now ?? new Date() };
  const bot = await startTestBot({
    env: { APPROVERS_FILE: writeApprovers(REACH_APPROVERS), ...opts.env },
    deps: {
      getStore: async () => store.store,
      now: () => clock.now,
      ...(opts.artifact ? { artifact: opts.artifact } : {}),
    },
  });
  bot.fake.usergroups.set('S0DEVOPS', ['U0OPS2', 'U0STARTER']);
  bot.fake.usergroups.set('S0ICS', ['U0IC']);
  for (const [id, name] of [
    ['U0STARTER', 'Sam Starter'],
    ['U0DEVOPS', 'Dee Vops'],
    ['U0ARCH', 'Ari Tect'],
    ['U0IC', 'Ida Commander'],
  ] as const)
    bot.fake.profiles.set(id, { real_name: name, display_name: '' });

  // Bolt answers Slack at the ack and the listener goes on (a lazy feature loads, work is queued): count the
  // listeners still running, so `settle` waits for them and then for the deferred work they queued.
  let listening = 0;
  bot.app.use(async ({ next }) => {
    listening++;
    try {
      await next();
    } finally {
      listening--;
    }
  });
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      await bot.waitFor(() => listening === 0, { what: 'listeners', timeoutMs: 15_000 });
      await bot.deps.drain?.();
      if (listening === 0) return;
    }
  };
  const runs = () =>
    bot.fake.messages.filter(
      (m) =>
        m.channel === TEST_CHANNEL &&
        m.via === 'chat.postMessage' &&
        !m.thread_ts &&
        !m.deleted &&
        JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport),
    );
  const latestRun = () => {
    const last = runs()[runs().length - 1];
    if (!last) throw new Error('no checklist message posted');
    return last;
  };
  // Requests are signed with the app's clock: moved forward, it keeps signatures valid (the receiver refuses
  // a timestamp ahead of the app's clock; Bolt refuses one more than 5 minutes behind the real one).
  const stamp = () => ({ timestamp: Math.floor(clock.now.getTime() / 1000) });
  const dms = (user: string) =>
    bot.fake.messages.filter((m) => m.channel === bot.fake.dmChannelOf(user) && !m.thread_ts && !m.visibleTo);
  const self: ReachBot = {
    bot,
    store,
    clock,
    async command(text, user) {
      const res = await bot.command(text, { user, ...stamp() });
      if (res.status !== 200) throw new Error(`command answered ${res.status}`);
      await settle();
    },
    latestRun,
    runId() {
      const value = findElement(latestRun(), ActionIds.checklistExport).value as string;
      return value.split('|')[0]!;
    },
    async state() {
      const record = await store.store.getRun(self.runId());
      if (!record) throw new Error('run not stored');
      return record.state;
    },
    thread() {
      const root = latestRun();
      return bot.fake.messages.filter((m) => m.thread_ts === root.ts && m.channel === root.channel);
    },
    dms,
    approvalDm(user) {
      return dms(user).find((m) => /approval/i.test(m.text ?? ''));
    },
    home(user) {
      return bot.fake.homes.get(user);
    },
    async click(message, actionId, user, itemId, actionTs) {
      const element = findElement(message, actionId, itemId);
      const responseUrl = bot.fake.responseUrl({ channel: message.channel, user, messageTs: message.ts });
      const res = await bot.action(
        blockActionPayload({
          actionId,
          value: element.value,
          user,
          channel: message.channel,
          messageTs: message.ts,
          responseUrl,
          blocks: message.blocks ?? [],
          ...(actionTs ? { actionTs } : {}),
        }),
        stamp(),
      );
      if (res.status !== 200) throw new Error(`interaction answered ${res.status}`);
      await settle();
      return responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    },
    async clickHome(user, actionId, itemId, copiedFrom) {
      const home = bot.fake.homes.get(user);
      if (!home) throw new Error(`no Home tab published for ${user}`);
      const source = copiedFrom ? bot.fake.homes.get(copiedFrom) : home;
      if (!source) throw new Error(`no Home tab published for ${copiedFrom}`);
      const element = findElement(
        { channel: '', ts: '', via: 'chat.postMessage', blocks: source.view.blocks as unknown[] },
        actionId,
        itemId,
      );
      const payload = {
        type: 'block_actions',
        user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEST_TEAM },
        api_app_id: 'A0RUNBOOK',
        token: 'legacy-verification-token',
        container: { type: 'view', view_id: home.id },
        trigger_id: `${Date.now()}.1.home`,
        team: { id: TEST_TEAM, domain: 'test-team' },
        enterprise: null,
        is_enterprise_install: false,
        view: { id: home.id, type: 'home', team_id: TEST_TEAM, blocks: home.view.blocks, hash: home.hash },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'b1',
            text: { type: 'plain_text', text: 'Button' },
            value: element.value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
      const res = await bot.action(payload, stamp());
      if (res.status !== 200) throw new Error(`interaction answered ${res.status}`);
      await settle();
    },
    async submitModal(user, values) {
      const opened = bot.fake.callsTo('views.open');
      const view = opened[opened.length - 1]?.args.view as { callback_id: string; private_metadata: string };
      if (!view) throw new Error('no modal was opened');
      const res = await bot.action(
        viewSubmissionPayload({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          user,
          viewId: `V${opened.length}`,
          values,
        }),
        stamp(),
      );
      if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
      await settle();
    },
    async openHome(user, eventId, retry) {
      const body = JSON.stringify({
        token: 'legacy-verification-token',
        team_id: TEST_TEAM,
        api_app_id: 'A0RUNBOOK',
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'app_home_opened',
          user,
          channel: bot.fake.dmChannelOf(user),
          tab: 'home',
          event_ts: `${Date.now() / 1000}`,
        },
      });
      const res = await bot.post(body, {
        ...stamp(),
        contentType: 'application/json',
        ...(retry
          ? { headers: { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } }
          : {}),
      });
      await settle();
      return res.status;
    },
    answers(user) {
      return bot.fake.responses
        .filter((r) => r.context.user === user)
        .map((r) => String(r.body.text ?? ''))
        .join('\n');
    },
    async sweepAt(iso) {
      clock.now = new Date(iso);
      await runTimers(bot.deps);
      await settle();
    },
    settle,
    limitViolations() {
      const out: string[] = [];
      for (const m of bot.fake.messages) {
        if (m.via !== 'chat.postMessage') continue;
        for (const v of slackLimitViolations(m)) out.push(`${m.channel} ${m.ts}: ${v}`);
      }
      for (const h of bot.fake.homes.values()) {
        const blocks = (h.view.blocks ?? []) as unknown[];
        for (const v of slackLimitViolations({ text: 'home', blocks }, { surface: 'modal' }))
          out.push(`home ${h.user}: ${v}`);
      }
      return out;
    },
    async close() {
      await bot.close();
      if (!opts.store) await store.store.close();
    },
  };
  return self;
}
