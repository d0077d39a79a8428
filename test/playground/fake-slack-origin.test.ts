/**
 * Found in a review (helper-191): the playground runs a second loopback server besides its page, the fake
 * Slack (src/local/slack-web-api.ts) the bot talks to. Its upload URLs need no token ("the URL is the
 * secret"), but they were made of sequential file ids only (F000000001, F000000002, …) and the server checked
 * neither Host nor Origin. A web page open in the operator's browser (a no-cors POST, text/plain: no
 * preflight), or one on a DNS-rebound name, could then overwrite a file between the bot's upload and
 * files.completeUploadExternal: the exported timeline the thread shows was the attacker's text. The page's
 * own server refuses such requests (foreignRequest); the fake Slack it starts must too, and an upload URL
 * carries a secret key beside the guessable id.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { type Playground, startPlayground } from '../../src/playground/server';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';

let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground({
    config: loadConfig({}),
    artifact: await loadTestArtifact(),
    port: 0,
    logger: createMemoryLogger(),
  });
});

afterAll(async () => {
  await playground?.close();
});

/** What the bot's Web API client does: a form POST with its bearer token. */
async function api(method: string, args: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${playground.fake.apiUrl}${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${playground.deps.config.slack.botToken}`,
    },
    body: new URLSearchParams(args).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** A request as a browser sends it from another site, or from a rebound name (Host). */
function foreign(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: pathname, method: 'POST', headers: { connection: 'close', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the fake Slack the playground starts, seen from a web page', () => {
  it.each([
    [
      'another site (no-cors POST, text/plain)',
      (port: string) => ({
        host: `127.0.0.1:${port}`,
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
        'content-type': 'text/plain;charset=UTF-8',
      }),
    ],
    [
      'a DNS-rebound name',
      (port: string) => ({
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
        'content-type': 'text/plain;charset=UTF-8',
      }),
    ],
  ])('refuses an upload from %s, and the timeline shared is the bot’s', async (_name, headers) => {
    const truth = 'Timeline of DR failover\n10:00 approved by @frank\n';
    const opened = await api('files.getUploadURLExternal', {
      filename: 'timeline-failover.txt',
      length: String(Buffer.byteLength(truth)),
    });
    expect(opened.ok).toBe(true);
    const uploadUrl = String(opened.upload_url);
    // The file id is the next in a sequence: a page can guess it, but not the URL's key.
    expect(String(opened.file_id)).toMatch(/^F\d{9}$/);
    const guessed = `${playground.fake.baseUrl}upload/${String(opened.file_id)}`;
    expect((await fetch(guessed, { method: 'POST', body: 'guessed' })).status).toBe(404);
    expect((await fetch(uploadUrl, { method: 'POST', body: truth })).status).toBe(200);

    const forged = 'Timeline of DR failover\n10:00 approved by @mallory\n';
    const status = await foreign(uploadUrl, headers(new URL(uploadUrl).port), forged);
    expect(status).toBe(403);

    const done = await api('files.completeUploadExternal', {
      files: JSON.stringify([{ id: opened.file_id, title: 'Timeline' }]),
      channel_id: 'C0PLAYINC',
    });
    expect(done.ok).toBe(true);
    const shared = playground.timeline
      .snapshot()
      .messages.flatMap((m) => m.files ?? [])
      .find((f) => f.id === opened.file_id);
    expect(shared?.text).toBe(truth);
  });
});
