/**
 * `startTestBot()`: the real app behind Bolt's real HTTP receiver on an ephemeral loopback port, talking
 * to a fake Slack (src/local/slack-web-api.ts) through SLACK_API_URL. Requests are signed exactly as Slack
 * signs them. For end-to-end tests of any feature:
 *
 *   const bot = await startTestBot();
 *   const res = await bot.command('token expired');          // signed slash command → { status, ... }
 *   const post = await res.response();                        // what the bot sent to response_url
 *   await bot.action(blockActionPayload({ actionId, value, responseUrl: bot.fake.responseUrl(...) }));
 *   await bot.waitFor(() => bot.fake.callsTo('chat.postMessage')[0]);
 *   await bot.close();
 */
import type { App } from '@slack/bolt';
import { type Config, type Env, loadConfig } from '../../src/config';
import { FakeSlack, type ResponsePost } from '../../src/local/slack-web-api';
import { createApp } from '../../src/slack/app';
import { type AppDeps, createDeps } from '../../src/slack/deps';
import type { Feature } from '../../src/slack/feature';
import { createMemoryLogger } from '../../src/slack/logger';
import { SLACK_EVENTS_PATH } from '../../src/slack/receivers';
import { lazyStore } from '../../src/store/factory';
import { loadTestArtifact } from './artifact';
import { formBody, signSlackRequest } from './signed';
import { slashCommandFields, TEST_CHANNEL, TEST_USER } from './slack-payloads';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEST_BOT_TOKEN = 'xoxb-test-0000-bot-token';

export interface StartTestBotOptions {
  /** Extra or overriding environment (SLACK_API_URL and PORT are set by the helper unless given). */
  env?: Env;
  deps?: Partial<AppDeps>;
  /** Defaults to the app's feature list (src/slack/features/index.ts). */
  features?: Feature[];
}

export interface HttpResult {
  status: number;
  body: string;
  headers: Headers;
}

export interface CommandResult extends HttpResult {
  responseUrl: string;
  /** Waits for the n-th (default first) post the bot makes to this command's response_url. */
  response(n?: number): Promise<ResponsePost>;
  /** All posts made to this command's response_url so far. */
  responses(): ResponsePost[];
}

export interface RequestOptions {
  /** Sign with another secret (refusal tests). */
  secret?: string;
  /** Override the timestamp (seconds). */
  timestamp?: number;
  /** Skip signing altogether. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

export interface TestBot {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** `${baseUrl}/slack/events` */
  eventsUrl: string;
  fake: FakeSlack;
  app: App;
  deps: AppDeps;
  config: Config;
  /** Structured log entries the app wrote (the memory logger), unless `deps.logger` was given. */
  logs: Array<Record<string, unknown>>;
  command(text: string, opts?: { user?: string; channel?: string } & RequestOptions): Promise<CommandResult>;
  /** Posts an interaction payload (block_actions, view_submission, ...) as Slack does: `payload=<json>`. */
  action(payload: Record<string, unknown>, opts?: RequestOptions): Promise<HttpResult>;
  /** Posts a raw body to /slack/events, signed unless `unsigned`. */
  post(rawBody: string, opts?: RequestOptions & { contentType?: string }): Promise<HttpResult>;
  /** Polls until `predicate` returns a truthy value, and returns it. */
  waitFor<T>(
    predicate: () => T | undefined | null | false,
    opts?: { timeoutMs?: number; what?: string },
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startTestBot(opts: StartTestBotOptions = {}): Promise<TestBot> {
  const fake = await new FakeSlack().start();
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_USER_ID: 'U0FAKEBOT',
    SLACK_BOT_ID: 'B0FAKEBOT',
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const memory = createMemoryLogger();
  // A store of its own, opened on first use and closed with the bot (unless the test brings one).
  const ownStore = lazyStore(config.store);
  const deps = await createDeps(config, {
    artifact: opts.deps?.artifact ?? (await loadTestArtifact()),
    logger: memory,
    getStore: ownStore.getStore,
    ...opts.deps,
  });
  const app = createApp({ deps, ...(opts.features ? { features: opts.features } : {}) });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as unknown as import('node:http').Server;
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('test bot did not get a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const eventsUrl = `${baseUrl}${SLACK_EVENTS_PATH}`;

  const post = async (
    rawBody: string,
    o: RequestOptions & { contentType?: string } = {},
  ): Promise<HttpResult> => {
    const headers: Record<string, string> = {
      'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
      ...(o.unsigned ? {} : signSlackRequest(rawBody, o.secret ?? TEST_SIGNING_SECRET, o.timestamp)),
      ...o.headers,
    };
    const res = await fetch(eventsUrl, { method: 'POST', headers, body: rawBody });
    return { status: res.status, body: await res.text(), headers: res.headers };
  };

  const waitFor = async <T>(
    predicate: () => T | undefined | null | false,
    o: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> => {
    const deadline = Date.now() + (o.timeoutMs ?? 5000);
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${o.what ?? 'condition'}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const command: TestBot['command'] = async (text, o = {}) => {
    const user = o.user ?? TEST_USER;
    const channel = o.channel ?? TEST_CHANNEL;
    const responseUrl = fake.responseUrl({ channel, user });
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const body = formBody(
      slashCommandFields({ text, user, channel, responseUrl, command: config.slashCommand }),
    );
    const result = await post(body, o);
    // An answer in the ack's body is shown by Slack as the command's first response (src/slack/command-reply.ts).
    if (result.status === 200) fake.commandAck(responseUrl, result.body);
    const responses = () => fake.responses.filter((r) => r.id === id);
    return {
      ...result,
      responseUrl,
      responses,
      response: (n = 0) =>
        waitFor(() => responses()[n], { what: `response #${n} to "${text.slice(0, 40)}"` }),
    };
  };

  return {
    baseUrl,
    eventsUrl,
    fake,
    app,
    deps,
    config,
    logs: memory.entries,
    command,
    action: (payload, o) => post(formBody({ payload: JSON.stringify(payload) }), o),
    post,
    waitFor,
    close: async () => {
      await app.stop();
      // Work queued after the acks finishes before the fake Slack and the store go away.
      await deps.drain?.();
      await fake.close();
      await ownStore.close();
    },
  };
}
