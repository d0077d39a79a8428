/**
 * Found in a review (helper-191): "Send to ALARM" in the playground recorded the alarm's new state before the
 * notification was delivered; when the delivery failed (Slack refused the post, the page got 502 "could not
 * be delivered") the sidebar still said ALARM and disabled "Send to ALARM": the alarm the bot never saw could
 * not be sent again, and the next "Back to OK" told the bot of a recovery from an alarm it never posted. A
 * failure changes nothing.
 */
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

async function postJson(
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${playground.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('an alarm the bot could not deliver', () => {
  it('stays OK in the playground, so Send to ALARM can be tried again', async () => {
    playground.fake.failMethod('chat.postMessage', { ok: false, error: 'channel_not_found' });
    const failed = await postJson('/api/alarm', { alarm: 'bedrock-throttles', state: 'ALARM' });
    expect(failed.status).toBe(502);
    expect(failed.json.error).toMatch(/could not be delivered/);
    expect(playground.timeline.snapshot().messages.filter((m) => m.bot)).toEqual([]);
    expect(playground.alarms.list().find((a) => a.name === 'bedrock-throttles')?.state).toBe('OK');

    // Slack answers again: the alarm goes through on the next try.
    playground.fake.clearHandlers();
    expect((await postJson('/api/alarm', { alarm: 'bedrock-throttles', state: 'ALARM' })).status).toBe(200);
  });
});
