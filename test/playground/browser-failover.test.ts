/**
 * The failover in the "region down" rehearsal, in a real browser (Chromium through playwright-core), by two
 * people in two windows: af-south-1's AWS endpoints and Route 53's control plane in us-east-1 both fail.
 * Alice (incident commander) confirms with a reason, warms eu-west-1 up and asks for the failover; Frank and
 * Dave sign the gate; Dave approves the request from his own window; the bot turns the switch in eu-west-1
 * and the simulated name servers' answer moves to eu-west-1, which is what lets the step be done.
 *
 * The scenario is the built-in one with Route 53's delay shortened (2 s instead of 30 s) and the bot's polls
 * made short, so the test waits seconds, not minutes; nothing else differs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/aws/simulated';
import { tempDir } from '../helpers/temp';
import { type BrowserHarness, startBrowserHarness } from './browser';

let harness: BrowserHarness;

beforeAll(async () => {
  const scenario = {
    ...loadScenario('region-down'),
    healthCheckDelaySeconds: 2,
    provisionedInProgressReads: 1,
  };
  const file = join(tempDir('region-down-'), 'region-down.json');
  writeFileSync(file, JSON.stringify(scenario));
  harness = await startBrowserHarness({
    scenario: file,
    env: { FAILOVER_DNS_POLL_MS: '500', WARMUP_POLL_MS: '500' },
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('the failover in the region-down rehearsal, in Chromium', () => {
  it('two people: the switch turns in eu-west-1 and the DNS answer moves there', async () => {
    const dave = await harness.open('dave');
    const alice = await harness.open('alice');
    // The window in front is the one a person looks at (Chromium slows down the others).
    await alice.page.bringToFront();
    expect(await alice.page.locator('#aws-badge').textContent()).toBe('SIMULATED AWS');
    const run = alice.page.locator('#messages .msg', { hasText: 'DR failover to eu-west-1' });
    const button = (name: string) => run.getByRole('button', { name, exact: true });

    await alice.type('/runbook failover');
    await run.locator('.bk-header-text').first().waitFor();
    expect(await run.textContent()).not.toContain('DRILL');

    // Step 1: Route 53's control plane does not answer; the bot says so and Done needs a reason.
    await button('Check primary health').click();
    await run.getByText(/could not be read/).waitFor();
    await button('Done').first().click();
    await alice
      .modal()
      .locator('textarea.bk-input, input.bk-input')
      .fill('af-south-1 5xx at 60% for 20 min; AWS Health: API Gateway event');
    await alice.modal().locator('.modal-submit').click();
    await run.getByText(/1 of 5 steps done/).waitFor();

    // Step 2: warm-up, one click, until every function is READY; then Done needs no reason.
    await button('Warm up eu-west-1').click();
    await alice.confirm();
    await run.getByText(/All 4 functions at their failover concurrency/).waitFor();
    await button('Done').first().click();
    await run.getByText(/2 of 5 steps done/).waitFor();

    // The gate: Frank (DevOps) and Dave (Incident Commander), never Alice who started the run.
    await alice.actAs('Frank');
    await button('Approve').click();
    await run
      .getByText(/Frank Osei/)
      .first()
      .waitFor();
    await alice.actAs('Dave');
    await button('Approve').click();
    await run.getByText(/1 of 1 approval gates passed/).waitFor();

    // Before: the name servers answer af-south-1.
    await alice.actAs('Alice');
    await button('Check again').click();
    await run.getByText(/did not answer eu-west-1 yet/).waitFor();

    // Alice asks; Dave approves from his own window.
    await button('Execute failover').click();
    await alice.confirm();
    await dave.page.bringToFront();
    const daveRun = dave.page.locator('#messages .msg', { hasText: 'DR failover to eu-west-1' });
    await daveRun.locator('.thread-link').click();
    const approve = dave.page
      .locator('#thread')
      .getByRole('button', { name: 'Approve failover', exact: true });
    await approve.waitFor();
    expect(await dave.page.locator('#thread').textContent()).toContain(
      's3://sitecraft-prod-dr-switch-eu-west-1/failover/api-primary.json',
    );
    await approve.click();
    await alice.page.bringToFront();

    // After: the switch is Off, Route 53 notices (2 s here), the name servers answer eu-west-1.
    await run.getByText(/the name servers answered eu-west-1/).waitFor({ timeout: 30_000 });
    await button('Done').first().click();
    await run.getByText(/3 of 5 steps done/).waitFor();
    await dave.page
      .locator('#thread')
      .getByText(/authoritative name servers answer eu-west-1's target/)
      .first()
      .waitFor();
    expect(alice.errors).toEqual([]);
    expect(dave.errors).toEqual([]);
  }, 90_000);
});
