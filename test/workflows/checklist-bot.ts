/**
 * Drives checklist runs end to end: the real app behind Bolt's HTTP receiver (startTestBot), signed
 * requests, the fake Slack, and a dynalite store. Clicks are made on the buttons of the message as the
 * fake Slack holds it, the way a user would.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeFileShare, FakeMessage, ResponsePost } from '../../src/local/slack-web-api';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { checklistsFeature } from '../../src/slack/features/checklists/checklists';
import { decodeItemValue } from '../../src/slack/render/checklist';
import type { Store } from '../../src/store/store';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { startTestBot, type TestBot } from '../helpers/slack-bot';
import { visibleText } from '../helpers/slack-messages';
import { blockActionPayload, TEST_CHANNEL, viewSubmissionPayload } from '../helpers/slack-payloads';
import { tempDir } from '../helpers/temp';

export const APPROVERS_YAML = `
roles:
  devops: [U0DEVOPS]
  security: [U0SEC]
  architecture: [S0ARCH]
  business-owner: [U0BIZ]
`;

export function writeApprovers(yaml = APPROVERS_YAML): string {
  const file = join(tempDir('approvers-'), 'approvers.yaml');
  writeFileSync(file, yaml);
  return file;
}

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk Block Kit JSON of any shape
type AnyBlock = Record<string, any>;

export interface ChecklistBot {
  bot: TestBot;
  store: Store;
  testStore: TestStore;
  /** Run `/runbook <text>` as `user`; resolves once the bot has handled it. */
  command(text: string, user: string, channel?: string): Promise<ResponsePost[]>;
  /** The top-level checklist messages posted in a channel, oldest first. */
  runMessages(channel?: string): FakeMessage[];
  latestRun(channel?: string): FakeMessage;
  /** Thread replies under a message, oldest first. */
  thread(message: FakeMessage): FakeMessage[];
  /** Click the button `actionId` (for item `itemId`) on `message` as `user`; resolves once handled. */
  click(
    message: FakeMessage,
    actionId: string,
    user: string,
    itemId?: string,
    extra?: { retryOf?: Record<string, unknown> },
  ): Promise<Click>;
  /** Post many interaction payloads at once; resolves once the bot has handled all of them. */
  concurrently(payloads: Record<string, unknown>[]): Promise<void>;
  /** Submit the modal most recently opened by the bot, with a reason, as `user`. */
  submitModal(user: string, reason: string): Promise<void>;
  /** Ephemeral messages the bot showed `user` (response_url answers and chat.postEphemeral). */
  ephemerals(user: string): string[];
  /** Files shared in a run's thread (Export), oldest first, with their text content. */
  threadFiles(message: FakeMessage): FakeFileShare[];
  close(): Promise<void>;
}

export interface Click {
  payload: Record<string, unknown>;
  /** What the bot posted to this click's response_url (ephemeral answers). */
  responses(): ResponsePost[];
}

export async function startChecklistBot(
  opts: {
    artifact?: Artifact;
    approversFile?: string;
    /** The store the bot uses, on the test's dynalite (e.g. through a fault proxy); default: the plain one. */
    connect?: (testStore: TestStore) => Promise<Store>;
  } = {},
): Promise<ChecklistBot> {
  const testStore = await startTestStore();
  const store = opts.connect ? await opts.connect(testStore) : testStore.store;
  const bot = await startTestBot({
    // Only the checklists feature: other features' step extensions must not act on these runs.
    features: [checklistsFeature],
    env: { APPROVERS_FILE: opts.approversFile ?? writeApprovers() },
    deps: { getStore: async () => store, ...(opts.artifact ? { artifact: opts.artifact } : {}) },
  });
  bot.fake.usergroups.set('S0ARCH', ['U0ARCH']);
  let handled = 0;
  const handledCount = () => bot.logs.filter((e) => e.msg === 'checklist interaction handled').length;
  const settle = async (what: string) => {
    handled++;
    await bot.waitFor(() => handledCount() >= handled, { what, timeoutMs: 15_000 });
    await bot.deps.drain?.();
  };

  const runMessages = (channel = TEST_CHANNEL) =>
    bot.fake.messages.filter(
      (m) =>
        m.channel === channel && m.via === 'chat.postMessage' && !m.thread_ts && !m.deleted && isChecklist(m),
    );

  const self: ChecklistBot = {
    bot,
    store: testStore.store,
    testStore,
    async command(text, user, channel = TEST_CHANNEL) {
      const before = handledCount();
      const res = await bot.command(text, { user, channel });
      if (res.status !== 200) throw new Error(`command answered ${res.status}`);
      // A checklist start logs "handled"; anything else answers on the response_url.
      await bot.waitFor(() => handledCount() > before || res.responses().length > 0, {
        what: `/runbook ${text}`,
        timeoutMs: 15_000,
      });
      // A start runs after the ack, in deferred work: wait for all of it, then count what it logged.
      await bot.deps.drain?.();
      handled = handledCount();
      return res.responses();
    },
    runMessages,
    latestRun(channel = TEST_CHANNEL) {
      const all = runMessages(channel);
      const last = all[all.length - 1];
      if (!last) throw new Error('no checklist message posted');
      return last;
    },
    thread(message) {
      return bot.fake.messages.filter((m) => m.thread_ts === message.ts && m.channel === message.channel);
    },
    async click(message, actionId, user, itemId, extra = {}) {
      const element = extra.retryOf ? {} : findElement(message, actionId, itemId);
      const responseUrl = bot.fake.responseUrl({ channel: message.channel, user, messageTs: message.ts });
      const payload =
        extra.retryOf ??
        blockActionPayload({
          actionId,
          value: element.type === 'button' ? element.value : undefined,
          user,
          channel: message.channel,
          messageTs: message.ts,
          responseUrl,
          blocks: message.blocks ?? [],
        });
      if (!extra.retryOf && element.type === 'static_select') {
        const action = (payload.actions as AnyBlock[])[0]!;
        action.type = 'static_select';
        action.selected_option = element.options.find(
          (o: AnyBlock) => decodeItemValue(o.value)?.itemId === `#${itemId}`,
        );
        if (!action.selected_option) throw new Error(`no option for step #${itemId}`);
      }
      const id = String(payload.response_url).split('/').pop();
      const res = await bot.action(
        payload,
        extra.retryOf
          ? { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }
          : {},
      );
      if (res.status !== 200) throw new Error(`interaction answered ${res.status}: ${res.body}`);
      await settle(`${actionId} by ${user}`);
      return { payload, responses: () => bot.fake.responses.filter((r) => r.id === id) };
    },
    async concurrently(payloads) {
      const results = await Promise.all(payloads.map((p) => bot.action(p)));
      for (const r of results)
        if (r.status !== 200) throw new Error(`interaction answered ${r.status}: ${r.body}`);
      handled += payloads.length;
      await bot.waitFor(() => handledCount() >= handled, {
        what: `${payloads.length} concurrent clicks`,
        timeoutMs: 30_000,
      });
    },
    async submitModal(user, reason) {
      const payload = reasonSubmission(bot, user, reason);
      const res = await bot.action(payload);
      if (res.status !== 200) throw new Error(`view submission answered ${res.status}: ${res.body}`);
      await settle(`modal by ${user}`);
    },
    ephemerals(user) {
      const viaResponse = bot.fake.responses
        .filter((r) => r.context.user === user && r.body.response_type !== 'in_channel')
        .map((r) => String(r.body.text ?? ''));
      const viaApi = bot.fake.messages
        .filter((m) => m.visibleTo === user && m.via === 'chat.postEphemeral')
        .map((m) => m.text ?? '');
      return [...viaResponse, ...viaApi];
    },
    threadFiles(message) {
      return self.thread(message).flatMap((m) => m.files ?? []);
    },
    async close() {
      await bot.close();
      if (store !== testStore.store) await store.close();
      await testStore.store.close();
    },
  };
  return self;
}

function isChecklist(m: FakeMessage): boolean {
  return JSON.stringify(m.blocks ?? []).includes(ActionIds.checklistExport);
}

export function findElement(message: FakeMessage, actionId: string, itemId?: string): AnyBlock {
  const elements = ((message.blocks ?? []) as AnyBlock[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements as AnyBlock[]) : b.accessory ? [b.accessory] : [],
  );
  const match = elements.find(
    (e) =>
      e.action_id === actionId &&
      (itemId === undefined || e.type === 'static_select' || decodeItemValue(e.value)?.itemId === itemId),
  );
  if (!match) {
    throw new Error(
      `no ${actionId} element for ${itemId ?? 'any item'}; has ${elements.map((e) => e.action_id).join(', ')}`,
    );
  }
  return match;
}

export function hasElement(message: FakeMessage, actionId: string, itemId?: string): boolean {
  try {
    findElement(message, actionId, itemId);
    return true;
  } catch {
    return false;
  }
}

/** The submission of the last modal the bot opened (skip, reject, override: a reason), typed by `user`. */
export function reasonSubmission(bot: TestBot, user: string, reason: string): Record<string, unknown> {
  const opened = bot.fake.callsTo('views.open');
  const view = opened[opened.length - 1]?.args.view as
    | { callback_id: string; private_metadata: string }
    | undefined;
  if (!view) throw new Error('no modal was opened');
  return viewSubmissionPayload({
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    user,
    viewId: `V${opened.length}`,
    values: {
      [ActionIds.checklistReasonBlock]: {
        [ActionIds.checklistReasonInput]: { type: 'plain_text_input', value: reason },
      },
    },
  });
}

/** All text in a message's blocks (and its fallback), for assertions. */
export function textOf(message: FakeMessage): string {
  return [message.text ?? '', visibleText(message)].join('\n');
}
