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
    const ui = await harness.open('alice');
    // Which AWS this page drives is always on screen.
    await ui.page.locator('#aws[data-mode="simulated"]').waitFor();
    expect(await ui.page.locator('#aws-badge').textContent()).toBe('SIMULATED AWS');
    await ui.type('/runbook token expired');

    const answer = ui.lastBotMessage();
    const header = answer.locator('.bk-header-text', { hasText: 'Token expired' });
    await header.waitFor();
    expect(await header.textContent()).toContain('"Token expired" — Cognito refresh');
    expect(await answer.locator('.ephemeral-note').textContent()).toContain('Only visible to you');
    expect(await answer.textContent()).toContain('What you see');

    await ui.actAs('Bob');
    await ui.page.locator('#messages .msg-command', { hasText: '/runbook token expired' }).waitFor();
    expect(await ui.page.locator('#messages .bk-header-text', { hasText: 'Token expired' }).count()).toBe(0);
    expect(ui.errors).toEqual([]);
  });

  it('opens an answer, expands Fix in place, shares it, and runs a procedure as a checklist', async () => {
    const ui = await harness.open('carol');
    await ui.type('/runbook bedrock throttling generation timeout');
    const answer = ui.lastBotMessage();
    await answer.locator('.bk-header-text', { hasText: 'Generation timeout' }).waitFor();
    expect(await answer.textContent()).toContain('Try first');
    expect(await answer.locator('.bk-pre').count()).toBeGreaterThan(0);

    // Fix opens in place: the same message, now showing every fix, its commands whole.
    await answer.getByRole('button', { name: 'Fix', exact: true }).click();
    await answer.getByText(/Rate-limit a noisy tenant/).waitFor();
    // The last fix's command too (lifting the throttle), whole, its variables with it.
    expect(await answer.locator('.bk-pre', { hasText: 'value="$NORMAL_BURST"' }).count()).toBe(1);
    expect(await answer.locator('.bk-pre', { hasText: /export NORMAL_RATE=[^\n]*\n/ }).count()).toBe(1);

    // Share posts the compact card for everyone.
    await answer.getByRole('button', { name: 'Share', exact: true }).click();
    const shared = ui.page.locator('#messages .msg', { hasText: 'Shared by' });
    await shared.first().waitFor();
    await ui.actAs('Bob');
    expect(await shared.first().textContent()).toContain('Generation timeout');

    // A procedure's answer starts its checklist in the channel.
    await ui.actAs('Carol');
    await ui.type('/runbook how do I roll back the frontend');
    const rollback = ui.lastBotMessage();
    await rollback.getByText(/Step 4: Frontend/).waitFor();
    await rollback.getByRole('button', { name: 'Run as checklist', exact: true }).click();
    await ui.page.locator('#messages .bk-header-text', { hasText: 'Roll back a release' }).first().waitFor();
    expect(ui.errors).toEqual([]);
  }, 60_000);

  it('runs a failover drill: Alice works the steps, two other people sign the gate', async () => {
    const ui = await harness.open('alice');
    const button = (name: string) => run.getByRole('button', { name, exact: true });
    const run = ui.page.locator('#messages .msg', { hasText: '[DRILL] DR failover' });

    await ui.type('/runbook drill failover');
    await run.locator('.bk-header-text', { hasText: '[DRILL]' }).waitFor();
    expect(await run.textContent()).toContain('0 of 5 steps done');
    expect(await run.textContent()).toContain('DRILL: practice run');

    // Step 1 needs the (simulated) evidence before it can be marked done.
    await button('Check primary health').click();
    await run.getByText(/Primary confirmed unhealthy/).waitFor();
    await button('Done').first().click();
    await run.getByText(/1 of 5 steps done/).waitFor();
    // Step 2, the warm-up, comes before the gate: it can run while the gate is being signed.
    await button('Done').first().click();
    await run.getByText(/2 of 5 steps done/).waitFor();

    // Separation of duties: the person who started the run cannot sign its gate.
    await button('Approve').click();
    await ui.page.locator('#messages .msg-ephemeral', { hasText: 'you cannot approve it' }).waitFor();

    await ui.actAs('Frank');
    await button('Approve').click();
    await run
      .getByText(/Frank Osei/)
      .first()
      .waitFor();
    await ui.actAs('Dave');
    await button('Approve').click();
    await run.getByText(/1 of 1 approval gates passed/).waitFor();
    expect(await run.textContent()).toMatch(
      /approved by @Frank Osei \(DevOps\), @Dave Müller \(Incident Commander\)/,
    );

    // A drill asks and approves the failover exactly as a live run (the same dialog, the same second
    // person), then shows the exact write and makes none.
    await ui.actAs('Alice');
    await button('Execute failover').click();
    await ui.confirm();
    await run.locator('.thread-link').click();
    const approve = ui.page.locator('#thread').getByRole('button', { name: 'Approve failover', exact: true });
    await approve.waitFor();
    await ui.actAs('Frank');
    await approve.click();
    await ui.page
      .locator('#thread')
      .getByText(/was rehearsed\. Nothing was written\./)
      .waitFor();
    for (const done of ['3 of 5', '4 of 5']) {
      await button('Done').first().click();
      await run.getByText(new RegExp(`${done} steps done`)).waitFor();
    }
    // The notice step is done once the notice is posted; a drill posts it in the run's thread only.
    await button('Post notice in thread (drill)').click();
    await run.getByText(/Notice posted at/).waitFor();
    await button('Done').first().click();
    await run.getByText(/5 of 5 steps done/).waitFor();
    expect(await run.locator('.msg-edited').count()).toBe(1);
    await run.locator('.thread-link').click();
    const thread = ui.page.locator('#thread');
    await thread.locator('.msg', { hasText: 'DRILL — not sent to stakeholders' }).waitFor();
    await thread
      .getByText('@Frank Osei approved Incident Commander sign-off for DR failover as DevOps')
      .waitFor();
    // AWS answers come from the simulator, and say so; a drill rehearses the switch write and makes none.
    await thread
      .getByText(
        /SIMULATED \(primary-down\) \[DRILL\] The failover approved by @Frank Osei was rehearsed\. Nothing was written\./,
      )
      .first()
      .waitFor();

    // Export: the timeline arrives in the run's thread as a file, its text readable in place.
    await button('Export timeline').click();
    const file = thread.locator('.msg-file', { hasText: /timeline-failover-.+\.txt/ });
    await file.waitFor();
    const share = thread.locator('.msg', { has: ui.page.locator('.msg-file') });
    expect(await share.textContent()).toContain('Timeline of [DRILL] DR failover to eu-west-1');
    await file.locator('summary').click();
    const text = file.locator('.msg-file-text');
    await text.waitFor({ state: 'visible' });
    const content = (await text.textContent()) ?? '';
    expect(content).toContain('[DRILL] DR failover to eu-west-1: timeline');
    expect(content).toContain('All times are UTC.');
    expect(content).toMatch(/DevOps +approved +@frank +\d\d:\d\d:\d\d/);
    expect(content).not.toMatch(/<@U|&lt;|```/);
    expect(ui.errors).toEqual([]);
  }, 60_000);

  it('raises a CloudWatch alarm of infra/dr.yaml through the SNS handler and starts the failover from it', async () => {
    const ui = await harness.open('dave');
    const alarm = ui.page.locator('#messages .msg', { hasText: 'sitecraft-prod-r53-primary-unhealthy' });

    // Every alarm of the DR template is offered, named as CloudWatch names it (with the stage prefix).
    const offered = await ui.page.locator('#alarm option').allTextContents();
    expect(offered).toEqual(
      expect.arrayContaining(['sitecraft-prod-api-5xx', 'sitecraft-prod-r53-primary-unhealthy']),
    );
    await ui.page.locator('#alarm').selectOption('r53-primary-unhealthy');
    await ui.page.getByRole('button', { name: 'Send to ALARM', exact: true }).click();

    // The alarm message answers with its declared section and, as a DR trigger, offers Start failover.
    await alarm.getByText(/ALARM/).first().waitFor();
    expect(await alarm.textContent()).toContain('Runbook: Failover procedure');
    await ui.page.locator('#alarm-state[data-state="ALARM"]').waitFor();
    await alarm.getByRole('button', { name: 'Start failover', exact: true }).click();
    await ui.confirm();

    const run = ui.page.locator('#messages .msg', { hasText: 'DR failover' }).filter({
      hasNot: ui.page.locator('.bk-header-text', { hasText: '[DRILL]' }),
    });
    await run.getByText(/0 of 5 steps done/).waitFor();
    expect(await run.getByRole('button', { name: 'Check primary health', exact: true }).count()).toBe(1);

    // Back to OK: the same message says so and no longer offers to start a failover.
    await ui.page.getByRole('button', { name: 'Back to OK', exact: true }).click();
    await alarm.getByText(/Back to OK at/).waitFor();
    expect(await alarm.getByRole('button', { name: 'Start failover', exact: true }).count()).toBe(0);
    expect(
      await ui.page.locator('#messages .msg', { hasText: 'sitecraft-prod-r53-primary-unhealthy' }).count(),
    ).toBe(1);
    expect(ui.errors).toEqual([]);
  }, 60_000);

  it('walks a decision tree with /runbook diagnose login down to the section that fixes it', async () => {
    const ui = await harness.open('erin');
    await ui.type('/runbook diagnose login');
    const tree = ui.lastBotMessage();
    await tree.getByText('Which message does the user see?').waitFor();

    await tree.getByRole('button', { name: 'Token expired', exact: true }).click();
    await tree.getByText('Are many users affected at once?').waitFor();
    await tree.getByRole('button', { name: 'No, one user', exact: true }).click();

    const leaf = tree.locator('.bk-header-text, .bk-section-text', {
      hasText: '"Token expired" — Cognito refresh',
    });
    await leaf.first().waitFor();
    expect(await tree.textContent()).toContain('2. Are many users affected at once? → No, one user');
    expect(await tree.getByRole('button', { name: 'Start over', exact: true }).count()).toBe(1);
    expect(ui.errors).toEqual([]);
  });
});
