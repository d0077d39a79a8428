/**
 * The Lambda bundle as built for deployment (scripts/bundle.ts: ES modules, the stubbed packages, the
 * split artifact), unpacked alone in a folder with no node_modules above it, as in /var/task, answers every
 * `/runbook` command signed exactly as Slack signs it: a stubbed package (express, Socket Mode, raw-body,
 * @slack/oauth and its jsonwebtoken and semver) that anything called into would throw, and fail the command.
 *
 * One process loads the handler and answers the commands in turn (a warm container), against a fake Slack
 * (SLACK_API_URL and response_url), an embedded DynamoDB (dynalite) and a loopback Lambda `Invoke` for the
 * work a command defers to another invocation.
 */
import { execFile } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, LAMBDA_STUBBED_PACKAGES } from '../../scripts/bundle';
import { FakeSlack } from '../../src/local/slack-web-api';
import { testArtifactPath } from '../helpers/artifact';
import { startTestStore, type TestStore } from '../helpers/dynalite';
import { type FakeLambda, startFakeLambda } from '../helpers/fake-lambda';
import { apiGatewayV2Event } from '../helpers/lambda-events';
import { formBody, signSlackRequest } from '../helpers/signed';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack-bot';
import { slashCommandFields } from '../helpers/slack-payloads';
import { tempDir } from '../helpers/temp';

const run = promisify(execFile);

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
let answers: { text: string; statusCode: number; body: string; error?: string }[];

beforeAll(async () => {
  const outdir = join(tempDir('bundle-commands-'), 'dist', 'lambda');
  await bundle({ outdir, artifact: await testArtifactPath(), iamScopeFile: join(outdir, '..', 'iam.json') });
  // Away from the repository: no node_modules to fall back on, as on Lambda.
  taskRoot = tempDir('var-task-commands-');
  cpSync(outdir, join(taskRoot, 'dist', 'lambda'), { recursive: true });
  fake = await new FakeSlack().start();
  store = await startTestStore();
  lambda = await startFakeLambda();

  const events = COMMANDS.map((text, i) => {
    const responseUrl = fake.responseUrl({ channel: `C0CMD${i}`, user: 'U0USER0001' });
    const body = formBody(
      slashCommandFields({ text, responseUrl, channel: `C0CMD${i}`, user: 'U0USER0001' }),
    );
    return { text, responseUrl, event: apiGatewayV2Event(body, signSlackRequest(body, TEST_SIGNING_SECRET)) };
  });
  writeFileSync(
    join(taskRoot, 'events.json'),
    JSON.stringify(events.map((e) => ({ text: e.text, event: e.event }))),
  );
  // As the Lambda runtime loads an ES module handler: import() of its file URL; then one event after another.
  const script = `const events = require('./events.json');
    import(require('node:url').pathToFileURL('dist/lambda/handler.mjs').href).then(async (m) => {
      const out = [];
      for (const { text, event } of events) {
        try {
          const r = await m.handler(event, {});
          out.push({ text, statusCode: r.statusCode, body: typeof r.body === 'string' ? r.body : '' });
        } catch (e) {
          out.push({ text, statusCode: 0, body: '', error: String(e && e.stack) });
        }
      }
      process.stdout.write(JSON.stringify(out));
    }, (e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    cwd: taskRoot,
    env: {
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
    },
  });
  answers = JSON.parse(stdout);
}, 120_000);

afterAll(async () => {
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
