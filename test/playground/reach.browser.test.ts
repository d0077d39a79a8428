/**
 * Issue 19 in the playground, in Chromium: an approver switches to their DMs with the bot, sees the
 * request and (after moving the clock) its reminder, approves there; another approves from their Home tab;
 * the checklist in the channel moves on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from './browser';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('approvals where the approvers are', () => {
  it('an approver approves in their DMs, another on their Home tab, and the channel checklist moves on', async () => {
    const ui = await harness.open('alice');
    const run = ui.page.locator('#messages .msg', { hasText: 'Promote DEV to SIT' }).first();
    await ui.type('/runbook promote dev sit');
    await run.locator('.bk-header-text', { hasText: 'Promote DEV to SIT' }).waitFor();
    for (const done of ['1 of 9', '2 of 9', '3 of 9']) {
      await run.getByRole('button', { name: 'Done', exact: true }).first().click();
      await run.getByText(new RegExp(`${done} steps done`)).waitFor();
    }
    await run.getByRole('button', { name: 'Approve', exact: true }).waitFor();

    // Carol (Architecture) was asked in a DM: she opens her messages with the bot.
    await ui.actAs('Carol');
    await ui.page.locator('#app-nav .channel-btn', { hasText: 'Messages' }).click();
    const ask = ui.page.locator('#messages .msg', { hasText: 'Your approval is needed' });
    await ask.waitFor();
    expect(await ask.textContent()).toContain('DEV → SIT promotion');
    expect(await ask.textContent()).toContain('Before this:');

    // Thirty minutes on the bot's clock: the runbook's remind=30m reminds her here.
    await ui.page.locator('.clock-btn', { hasText: '+30 min' }).click();
    await ui.page.locator('#messages .msg', { hasText: 'Reminder:' }).waitFor();
    await ui.page.locator('#clock-text', { hasText: '+30 min' }).waitFor();

    await ask.getByRole('button', { name: 'Approve', exact: true }).click();
    await ui.page.locator('#messages .msg', { hasText: 'You signed as Architecture' }).waitFor();
    expect(await ask.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);

    // Frank (DevOps) signs from his Home tab.
    await ui.actAs('Frank');
    await ui.page.locator('#app-nav .channel-btn', { hasText: 'Home' }).click();
    const home = ui.page.locator('#home');
    await home.getByText(/Waiting for your signature/).waitFor();
    expect(await home.textContent()).toContain('DEV → SIT promotion');
    expect(await ui.page.locator('#composer').isVisible()).toBe(false); // a Home tab has no composer
    await home.getByRole('button', { name: 'Approve', exact: true }).click();
    await home.getByText(/Nothing waits for your signature/).waitFor();

    // The channel: the gate passed, step 4 is next.
    await ui.page.locator('#channels .channel-btn', { hasText: 'incidents' }).click();
    await run.getByText(/1 of 1 approval gates passed/).waitFor();
    expect(await run.textContent()).toMatch(
      /approved by @Frank Osei \(DevOps\), @Carol Díaz \(Architecture\)|approved by @Carol Díaz \(Architecture\), @Frank Osei \(DevOps\)/,
    );
    await run.getByRole('button', { name: 'Done', exact: true }).first().waitFor();
    // DMs are the person's own: Frank's channel list shows no one's DM as a channel.
    expect(await ui.page.locator('#channels .channel-btn').allTextContents()).toEqual([
      '# incidents',
      '# ops-stakeholders',
    ]);
    expect(ui.errors).toEqual([]);
  }, 60_000);
});
