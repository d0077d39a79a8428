/**
 * Found in a review (helper-210): a post to a `response_url` had no time limit, so a response that never
 * came held the deferred task until Lambda's own timeout (330 s) before anything retried or answered
 * another way. A local server that accepts the post and never answers stands in for Slack.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyVia } from '../../src/slack/deferred-reply';

let server: Server;
let url = '';

beforeAll(async () => {
  // Takes the request, never answers.
  server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('replyVia', () => {
  it('gives up on a response_url that never answers, within its time limit', async () => {
    const started = Date.now();
    await expect(replyVia(url, { text: 'hello' }, { timeoutMs: 200 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 5_000);
});
