/**
 * Found in a review (helper-191): the playground's clock (+10 min / +30 min) moves the bot's `now`, but the
 * clicks the page sent were dated on the wall clock, and the Search report ended at the wall clock. A click
 * must be dated on the bot's clock, as Slack's `action_ts` is dated on the clock the bot runs by: otherwise a
 * Done pressed after moving the clock is recorded before the run it belongs to even started. And the report
 * must reach the bot's clock, which dates the queries it records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { type Playground, startPlayground } from '../../src/playground/server';
import { createMemoryLogger } from '../../src/slack/logger';
import { loadTestArtifact } from '../helpers/artifact';

const ALICE = 'U0PLAYALICE';
const INCIDENTS = 'C0PLAYINC';

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
  // Let the click's deferred work finish before the store closes.
  await playground?.deps.drain?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
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

async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Button {
  type: string;
  action_id: string;
  value?: string;
  text?: { text?: string };
}

function buttonsOf(blocks: unknown[] | undefined): { block_id: string; button: Button }[] {
  const found: { block_id: string; button: Button }[] = [];
  for (const block of (blocks ?? []) as { block_id?: string; elements?: Button[]; accessory?: Button }[]) {
    for (const element of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
      if (element?.type === 'button') found.push({ block_id: block.block_id ?? '', button: element });
    }
  }
  return found;
}

describe('the playground clock and the clicks it sends', () => {
  it('dates a Done pressed after moving the clock on the bot’s clock: never before the run started', async () => {
    expect((await postJson('/api/clock', { minutes: 30 })).status).toBe(200);
    expect(
      (await postJson('/api/command', { user: ALICE, channel: INCIDENTS, text: '/runbook deploy' })).status,
    ).toBe(200);
    const message = await waitFor(
      () =>
        playground.timeline
          .snapshot()
          .messages.find(
            (m) =>
              m.bot && !m.ephemeral_to && buttonsOf(m.blocks).some((b) => b.button.text?.text === 'Done'),
          ),
      'the deploy checklist with a Done button',
    );
    const done = buttonsOf(message.blocks).find((b) => b.button.text?.text === 'Done')!;
    const runId = String(done.button.value).split('|')[0]!;

    const clicked = await postJson('/api/action', {
      user: ALICE,
      message_ts: message.ts,
      action: { ...done.button, block_id: done.block_id },
    });
    expect(clicked.status).toBe(200);

    const store = await playground.deps.getStore();
    const run = await waitFor(async () => {
      const record = await store.getRun(runId);
      return record && Object.values(record.state.steps).some((s) => s.status === 'done')
        ? record.state
        : null;
    }, 'the step recorded');
    const [stepId, step] = Object.entries(run.steps).find(([, s]) => s.status === 'done')!;
    // The run started on the bot's clock (30 min ahead); the Done came after it, on the same clock.
    expect(step.at! >= run.startedAt, `${stepId} done at ${step.at}, run started at ${run.startedAt}`).toBe(
      true,
    );
    const now = playground.deps.now().getTime();
    expect(Math.abs(Date.parse(step.at!) - now)).toBeLessThan(60_000);
  }, 30_000);

  it('shows in the Search report a query typed after moving the clock', async () => {
    expect((await postJson('/api/clock', { minutes: 30 })).status).toBe(200);
    const query = 'zzqx frobnicate the wibble';
    expect(
      (await postJson('/api/command', { user: ALICE, channel: INCIDENTS, text: `/runbook ${query}` })).status,
    ).toBe(200);
    const store = await playground.deps.getStore();
    // The query is recorded (on the bot's clock) once it is answered.
    await waitFor(async () => {
      const day = 86_400_000;
      const all = await store.listFeedback(
        new Date(Date.now() - day).toISOString(),
        new Date(Date.now() + day).toISOString(),
      );
      return all.some((r) => r.query.includes('frobnicate'));
    }, 'the query recorded');
    const report = await (await fetch(`${playground.url}/api/report`)).text();
    expect(report).toContain('frobnicate');
  }, 30_000);
});
