/**
 * The Lambda bundle as built for deployment (scripts/bundle.ts: ES modules, the stubbed packages, the
 * split artifact), unpacked alone in a folder with no node_modules above it, as in /var/task, answers every
 * `/runbook` command signed exactly as Slack signs it: a stubbed package (express, Socket Mode, raw-body,
 * @slack/oauth and its jsonwebtoken and semver) that anything called into would throw, and fail the command.
 *
 * One process loads the handler and answers the commands in turn (a warm container), against a fake Slack
 * (SLACK_API_URL and response_url), an embedded DynamoDB (dynalite) and a loopback Lambda `Invoke` for the
 * work a command defers to another invocation, which the test then delivers back to the same process. The
 * process's first event is a search (a cold start): what it has loaded by then shows what the bundle defers
 * (scripts/defer-modules.ts); the deferred work and a checklist click then post through the Web API client.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, LAMBDA_STUBBED_PACKAGES } from '../../scripts/bundle';
import { DEFERRED_WEB_API_FILE, LAMBDA_UNUSED_BOLT_MODULES } from '../../scripts/defer-modules';
import { FakeSlack } from '../../src/local/slack-web-api';
import { ActionIds } from '../../src/slack/action-ids';
import { alarmSnsEvent } from '../helpers/alarm-event';
import { testArtifactPath } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type FakeLambda, startFakeLambda } from '../helpers/fake-lambda';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { formBody, signSlackRequest } from '../helpers/signed';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { blockActionPayload, slashCommandFields } from '../helpers/slack-payloads';
import { tempDir } from '../helpers/temp';

/** Every subcommand's first name, a search, a mistyped search, claimed text: what `/runbook` answers. */
const COMMANDS = [
  'help',
  'list',
  'list troubleshooting',
  'contacts',
  'contacts L2',
  'escalate',
  'token expired',
  'tokn expird',
  'diagnose login',
  'status',
  'checklists',
  'failover',
  'drill failover',
  'promote dev sit',
] as const;

let taskRoot: string;
let fake: FakeSlack;
let store: TestStore;
let lambda: FakeLambda;
let child: ChildProcessWithoutNullStreams | undefined;
let answers: Answer[];
let firstAnswer: Answer;
/** The Node modules loaded by the time the first event (a search) was answered in a fresh process. */
let modulesAfterSearch: string[];
/** The CommonJS files loaded by then (the entry itself is an ES module, not among them). */
let filesAfterSearch: string[];
/** The inputs esbuild put in the bundle (metafile keys). */
let bundledInputs: string[];
/** Everything the container wrote to stderr. */
let stderr = '';

interface Answer {
  text: string;
  statusCode: number;
  body: string;
  error?: string;
}

// A warm Lambda container: the handler loaded once (import() of its file URL, as the Lambda runtime loads an
// ES module handler), then one event per stdin line, answered on stdout; `{"modules":true}` asks which
// builtins the process has loaded so far.
const CONTAINER = `const lines = require('node:readline').createInterface({ input: process.stdin });
  const handler = import(require('node:url').pathToFileURL('dist/lambda/handler.mjs').href).then((m) => m.handler);
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    const { id, event, modules } = JSON.parse(line);
    queue = queue.then(async () => {
      let out;
      if (modules) out = { modules: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)), files: Object.keys(require.cache) };
      else
        try {
          const r = await (await handler)(event, {});
          out = { statusCode: r.statusCode, body: typeof r.body === 'string' ? r.body : '' };
        } catch (e) {
          out = { statusCode: 0, body: '', error: String(e && e.stack) };
        }
      process.stdout.write(JSON.stringify({ id, ...out }) + '\\n');
    });
  });`;

const pending = new Map<number, (value: Record<string, unknown>) => void>();
let nextId = 0;
function ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    child!.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
  });
}
const send = async (text: string, event: unknown): Promise<Answer> =>
  ({ text, ...(await ask({ event })) }) as unknown as Answer;

/** Delivers the deferred invocations the handler queued (and those they queue) back to it, as Lambda would. */
async function pump(): Promise<Answer[]> {
  const delivered: Answer[] = [];
  for (let i = 0; i < 20 && lambda.queued.length > 0; i++)
    delivered.push(await send('deferred', lambda.queued.shift()));
  return delivered;
}

function signedCommand(text: string, channel: string) {
  const responseUrl = fake.responseUrl({ channel, user: USER });
  const body = formBody(slashCommandFields({ text, responseUrl, channel, user: USER }));
  return apiGatewayV2Event(body, signSlackRequest(body, TEST_SIGNING_SECRET));
}

const USER = 'U0USER0001';

/** The function's environment, as serverless.yml sets it (secrets in the environment here). */
function containerEnv(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-test-slack',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_USER_ID: 'U0BOT0001',
    SLACK_BOT_ID: 'B0BOT0001',
    SLACK_API_URL: fake.apiUrl,
    RUNBOOK_ARTIFACT: 'dist/lambda/artifact.json',
    APPROVERS_FILE: 'dist/lambda/approvers.yaml',
    DYNAMODB_ENDPOINT: store.endpoint,
    TABLE_NAME: store.tableName,
    AWS_SIMULATION: 'primary-healthy',
    LOG_LEVEL: 'error',
  };
}

beforeAll(async () => {
  const outdir = join(tempDir('bundle-commands-'), 'dist', 'lambda');
  const built = await bundle({
    outdir,
    artifact: await testArtifactPath(),
    iamScopeFile: join(outdir, '..', 'iam.json'),
  });
  bundledInputs = Object.keys(built.metafile.inputs);
  // Away from the repository: no node_modules to fall back on, as on Lambda.
  taskRoot = tempDir('var-task-commands-');
  cpSync(outdir, join(taskRoot, 'dist', 'lambda'), { recursive: true });
  fake = await new FakeSlack().start();
  store = await startTestStore();
  lambda = await startFakeLambda();
  child = spawn(process.execPath, ['-e', CONTAINER], { cwd: taskRoot, env: containerEnv() });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as { id: number };
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('exit', (code) => {
    for (const resolve of pending.values())
      resolve({ statusCode: 0, body: '', error: `exit ${code}: ${stderr}` });
  });

  // A cold start's first event is a search, answered in the ack body.
  firstAnswer = await send('token expired', signedCommand('token expired', 'C0FIRST'));
  const loaded = await ask({ modules: true });
  modulesAfterSearch = loaded.modules as string[];
  filesAfterSearch = loaded.files as string[];
  answers = [];
  for (const [i, text] of COMMANDS.entries())
    answers.push(await send(text, signedCommand(text, `C0CMD${i}`)));
}, 120_000);

afterAll(async () => {
  child?.kill();
  await fake?.close();
  await store?.store.close();
  await lambda?.close();
});

describe('the deployable bundle answers every command', () => {
  it('stubs @slack/oauth and its dependencies with express and Socket Mode', () => {
    expect(LAMBDA_STUBBED_PACKAGES).toEqual(
      expect.arrayContaining(['@slack/oauth', 'express', '@slack/socket-mode']),
    );
  });

  it.each(COMMANDS)('/runbook %s: 200, and an answer or the work it queued', (text) => {
    const i = COMMANDS.indexOf(text);
    const answer = answers[i];
    expect(answer?.error).toBeUndefined();
    expect(answer?.statusCode).toBe(200);
    const posted = fake.responses.filter((r) => r.context.channel === `C0CMD${i}`);
    const messages = fake.messages.filter((m) => m.channel === `C0CMD${i}`);
    const queued = lambda.all.length;
    // An answer in the ack body, a post to the response_url or the channel, or (checklists) deferred work.
    expect(answer!.body.length + posted.length + messages.length + queued).toBeGreaterThan(0);
    const said = [
      answer!.body,
      ...posted.map((p) => JSON.stringify(p.body)),
      ...messages.map((m) => JSON.stringify(m)),
    ].join('\n');
    expect(said).not.toMatch(/stubbed out of the Lambda bundle|Something went wrong/i);
  });

  it("stubs Bolt's receivers but AwsLambdaReceiver, and its Assistant, and never calls a stub", () => {
    const bolt = (name: string) => `node_modules/@slack/bolt/dist/${name}.js`;
    expect(bundledInputs).toContain(bolt('receivers/AwsLambdaReceiver'));
    expect(bundledInputs).toContain(bolt('App'));
    for (const name of LAMBDA_UNUSED_BOLT_MODULES) {
      expect(bundledInputs).not.toContain(bolt(name));
      expect(bundledInputs).toContain(`lambda-unused:@slack/bolt/dist/${name}`);
    }
    // Nor what only they require.
    for (const gone of ['path-to-regexp/', '@slack/bolt/dist/receivers/SocketModeResponseAck.js'])
      expect(bundledInputs.filter((i) => i.includes(gone))).toEqual([]);
  });

  it('answers from memory in the ack body, with no request to Slack', () => {
    for (const text of ['help', 'list', 'contacts', 'token expired', 'tokn expird'] as const) {
      const i = COMMANDS.indexOf(text);
      expect(JSON.parse(answers[i]!.body)).toMatchObject({ response_type: 'ephemeral' });
      expect(fake.responses.filter((r) => r.context.channel === `C0CMD${i}`)).toEqual([]);
    }
    expect(answers[COMMANDS.indexOf('token expired')]!.body).toContain('Token expired');
    expect(answers[COMMANDS.indexOf('tokn expird')]!.body).toContain('Token expired');
  });
});

describe('what the bundle loads on first use (scripts/defer-modules.ts)', () => {
  it("answers a cold start's first search with no HTTP client, TLS or zlib loaded (Bolt's receivers, @slack/web-api)", () => {
    expect(firstAnswer.error).toBeUndefined();
    expect(firstAnswer.body).toContain('Token expired');
    expect(modulesAfterSearch).toContain('crypto');
    for (const name of ['http', 'https', 'tls', '_http_client', 'zlib', 'os'])
      expect(modulesAfterSearch).not.toContain(name);
    expect(filesAfterSearch.filter((f) => f.endsWith(DEFERRED_WEB_API_FILE))).toEqual([]);
  });

  it('runs the deferred work and a click that posts through the real Web API client, with Bolt named in its User-Agent', async () => {
    const delivered = await pump();
    expect(delivered.length).toBeGreaterThan(0);
    for (const d of delivered) expect([d.statusCode, d.error]).toEqual([200, undefined]);
    const channel = `C0CMD${COMMANDS.indexOf('promote dev sit')}`;
    const run = fake.messages.find((m) => m.channel === channel && !m.thread_ts);
    expect(run?.text).toContain('Promote DEV to SIT');
    const done = /"action_id":"checklist\.done","value":"([^"]+)"/.exec(JSON.stringify(run!.blocks));
    expect(done).not.toBeNull();

    const callsBefore = fake.calls.length;
    const payload = blockActionPayload({
      actionId: ActionIds.checklistDone,
      value: done![1]!,
      user: USER,
      channel,
      messageTs: run!.ts,
      blocks: run!.blocks ?? [],
      responseUrl: fake.responseUrl({ channel, user: USER, messageTs: run!.ts }),
    });
    const body = formBody({ payload: JSON.stringify(payload) });
    const ack = await send('Done', apiGatewayV2Event(body, signSlackRequest(body, TEST_SIGNING_SECRET)));
    expect([ack.statusCode, ack.error]).toEqual([200, undefined]);
    for (const d of await pump()) expect([d.statusCode, d.error]).toEqual([200, undefined]);

    const thread = fake.messages.filter((m) => m.channel === channel && m.thread_ts === run!.ts);
    expect(thread.map((m) => m.text)).toContain(
      ':white_check_mark: <@U0USER0001> marked *1. Tag the release candidate on the DEV commit* done.',
    );
    const calls = fake.calls.slice(callsBefore);
    expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update']));
    const { files } = await ask({ modules: true });
    expect(
      (files as string[]).filter((f) => f.endsWith(`dist/lambda/${DEFERRED_WEB_API_FILE}`)),
    ).toHaveLength(1);
    const bolt = JSON.parse(readFileSync(require.resolve('@slack/bolt/package.json'), 'utf8')) as {
      version: string;
    };
    for (const call of fake.calls) {
      expect(call.token).toBe(TEST_BOT_TOKEN);
      expect(call.userAgent).toContain(`@slack:bolt/${bolt.version}`);
      expect(call.userAgent).toMatch(/@slack:web-api\/\d/);
    }
  });
});

describe('the alarm function’s bundle', () => {
  it('posts a CloudWatch alarm through the deferred Web API client (alarm.mjs beside handler.mjs)', async () => {
    const channel = 'C0ALARMBUNDLE';
    const event = alarmSnsEvent('sitecraft-prod-api-5xx', 'API 5xx above 1 %');
    const script = `import(require('node:url').pathToFileURL('dist/lambda/alarm.mjs').href)
      .then((m) => m.handler(${JSON.stringify(event)}))
      .then((r) => process.stdout.write(JSON.stringify({ r, files: Object.keys(require.cache) })), (e) => { console.error(e); process.exit(1); });`;
    const out = await new Promise<string>((resolve, reject) => {
      const alarm = spawn(process.execPath, ['-e', script], {
        cwd: taskRoot,
        env: {
          ...containerEnv(),
          AWS_LAMBDA_FUNCTION_NAME: 'runbook-bot-test-alarm',
          ALARM_CHANNEL: channel,
        },
      });
      let stdout = '';
      let stderr = '';
      alarm.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      alarm.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      alarm.on('close', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`)),
      );
    });
    const { r, files } = JSON.parse(out) as { r: { handled: number; failed: number }; files: string[] };
    expect(r).toEqual({ handled: 1, failed: 0 });
    expect(files.filter((f) => f.endsWith(`dist/lambda/${DEFERRED_WEB_API_FILE}`))).toHaveLength(1);
    const post = fake.messages.find((m) => m.channel === channel && !m.thread_ts);
    expect(post?.text).toContain('api-5xx');
    const call = fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    expect(call?.userAgent).toMatch(/@slack:web-api\/\d/);
  });
});

describe('after every command, the deferred work and the click (the tests above, in order)', () => {
  it('no stub was ever called: its error, caught and logged by Bolt or the handler, would be on stderr', () => {
    expect(answers.length).toBe(COMMANDS.length);
    expect(stderr).not.toMatch(/stubbed out of the Lambda bundle/);
  });
});
