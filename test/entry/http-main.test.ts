/**
 * The HTTP entry in process, and `npm start` (src/entry/main.ts) as a child process: mode chosen from the
 * environment, a bad variable stops start-up with one line naming it.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config';
import { startHttp } from '../../src/entry/http';
import { startSocket } from '../../src/entry/socket';
import { FakeSlack } from '../../src/local/slack-web-api';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact, TEST_ARTIFACT_PATH } from '../helpers/artifact';
import { formBody, signSlackRequest } from '../helpers/signed';
import { slashCommandFields } from '../helpers/slack-payloads';

const ROOT = resolve(__dirname, '..', '..');
const SECRET = 'http-entry-signing-secret-01234';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(async () => {
  await fake?.close();
});

describe('startHttp', () => {
  test('serves /slack/events and /healthz on the configured port', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-http-entry',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
    });
    const running = await startHttp(config, {
      artifact: await loadTestArtifact(),
      logger: createMemoryLogger(),
    });
    try {
      const base = `http://127.0.0.1:${running.port}`;
      expect(running.port).toBeGreaterThan(0);
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok']);
      const responseUrl = fake.responseUrl({ channel: 'C1', user: 'U1' });
      const body = formBody(slashCommandFields({ text: 'help', responseUrl }));
      const res = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SECRET) },
        body,
      });
      expect(res.status).toBe(200);
      // Help answers in the ack body (src/slack/command-reply.ts).
      expect(JSON.stringify(await res.json())).toContain('/runbook');
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    } finally {
      await running.close();
    }
  });

  test('Socket Mode refuses to start without an app token, naming it', async () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: SECRET });
    await expect(
      startSocket(config, { artifact: await loadTestArtifact(), logger: createMemoryLogger() }),
    ).rejects.toThrow(/^SLACK_APP_TOKEN/);
  });
});

/**
 * Runs `npm start`'s entry with exactly these Slack variables (others from this environment, minus SLACK_*),
 * until it exits or its output matches `until` (then SIGTERM, which it handles by closing).
 */
function runMain(
  env: Record<string, string>,
  until: RegExp | null,
): Promise<{ code: number | null; out: string; err: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLACK_')));
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/main.ts'], {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const check = () => {
      if (until?.test(out + err)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      check();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out, err });
    });
  });
}

describe('npm start', () => {
  test('a half-set of credentials stops start-up with one line naming the missing variable', async () => {
    const { code, err } = await runMain({ SLACK_BOT_TOKEN: 'xoxb-only-a-token' }, null);
    expect(code).toBe(1);
    expect(err).toMatch(/^Configuration error: SLACK_SIGNING_SECRET is required/m);
    expect(err).not.toContain('xoxb-only-a-token');
  });

  test('bot token and signing secret: the HTTP receiver', async () => {
    const { out } = await runMain(
      {
        SLACK_BOT_TOKEN: 'xoxb-main-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        RUNBOOK_ARTIFACT: TEST_ARTIFACT_PATH,
        LOG_LEVEL: 'warn',
      },
      /listening on/,
    );
    expect(out).toMatch(/Runbook bot listening on http:\/\/localhost:\d+\/slack\/events \(\/runbook\)/);
  });
});
