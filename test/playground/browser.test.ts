/**
 * The playground in a real browser (Debian's Chromium through playwright-core): what a newcomer does on
 * the page after `npm start`, end to end through signed requests to the Bolt app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from './browser';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness({ scenario: 'primary-down' });
});

afterAll(async () => {
  await harness?.close();
});

describe('playground in Chromium', () => {
  it('answers /runbook token expired with the runbook section, only for the person who asked', async () => {
    const ui = await harness.open();
    await ui.actAs('Alice');
    await ui.type('/runbook token expired');

    const answer = ui.lastBotMessage();
    const header = answer.locator('.bk-header-text', { hasText: 'Token expired' });
    await header.waitFor();
    expect(await header.textContent()).toContain('"Token expired" — Cognito refresh');
    expect(await answer.locator('.ephemeral-note').textContent()).toContain('Only visible to you');
    expect(await answer.locator('.bk-pre').count()).toBeGreaterThan(0);

    await ui.actAs('Bob');
    await ui.page.locator('#messages .msg-command', { hasText: '/runbook token expired' }).waitFor();
    expect(await ui.page.locator('#messages .bk-header-text', { hasText: 'Token expired' }).count()).toBe(0);
    expect(ui.errors).toEqual([]);
  });
});
