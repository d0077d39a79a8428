/**
 * Found in a review (helper-197): a deploy in the middle of an incident. The runbooks (and so the artifact)
 * change while a run, its requests and its buttons hold references to the old ones: the app's artifact is
 * swapped between clicks. A run acts on AWS only while the deployed checklist is the one it started with
 * (`runbookChangedSince`); otherwise it is taken over.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario, type SimulatedGateway } from '../../src/aws/simulated';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { OFF, SWITCH_RECORDS } from '../workflows/switch-fixtures';
import { RECORDS } from './fixtures';
import { type StepsBot, SWITCH_DECLARATIONS, startStepsBot, textOf } from './steps-bot';

const _route53 = mockClient(Route53Client);
const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/**
 * The deploy: the app serves the changed artifact from now on (as a new Lambda version would). With
 * REVIEW197_NO_DEPLOY=1 the same clicks run without it: every test below then passes (the control), but the
 * stricter-approval one, whose approval is valid without the deploy.
 */
function deploy(s: StepsBot, change: (a: Artifact) => Artifact): void {
  if (process.env.REVIEW197_NO_DEPLOY) return;
  const deps = s.bot.deps as { artifact: Artifact };
  deps.artifact = change(structuredClone(deps.artifact));
}

async function requestMessage(s: StepsBot) {
  return structuredClone(
    await s.waitFor('approval request', () =>
      s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    ),
  );
}

/** The switch checklist up to "Update Route 53": step 1 skipped, warm-up done with a reason, the gate signed. */
async function toSwitchRouteStep(s: StepsBot): Promise<void> {
  const click = s.click.bind(s);
  s.click = (...args) => {
    s.clock.now = new Date(s.clock.now.getTime() + 1000);
    return click(...args);
  };
  await s.command('switch failover', ALICE);
  await s.click(s.run(), ActionIds.checklistSkip, ALICE, 'confirm-primary-failure');
  await s.waitFor('skip modal', () => s.bot.fake.callsTo('views.open').length > 0);
  await s.submitModal(ALICE, 'AWS Health Dashboard: af-south-1 outage');
  await s.eventually('skipped', async () => (await s.events()).some((e) => e.type === 'step_skipped'));
  await s.settle();
  const opened = s.bot.fake.callsTo('views.open').length;
  await s.click(s.run(), ActionIds.checklistDone, ALICE, 'warm-up');
  await s.waitFor('override modal', () => s.bot.fake.callsTo('views.open').length > opened);
  await s.submitModal(ALICE, 'eu-west-1 already at failover capacity');
  await s.eventually('warm-up done', async () =>
    (await s.events()).some((e) => e.type === 'step_done' && e.stepId === 'warm-up'),
  );
  await s.settle();
  for (const signer of [DEVOPS, OWNER]) {
    await s.click(s.run(), ActionIds.checklistApprove, signer, 'gate-ic-sign-off');
    await s.settle();
  }
  await s.waitFor('Execute offered', () =>
    JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsRoute53Execute),
  );
}

describe('the record-swap fallback approved after a deploy dropped the switch table', () => {
  it('still refuses to swap the records once the switch holds traffic (one failover, one mechanism)', async () => {
    // Prepare: the switch's write is refused, so the fallback is offered and asked for (as in
    // live-actions-partial's "approved after the switch was turned by hand")
    const scenario = structuredClone(loadScenario('switch-refused'));
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(scenario, {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.click(await requestMessage(s), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();
    await s.waitFor('fallback offered', () =>
      JSON.stringify(s.run().blocks ?? []).includes(ActionIds.awsFailoverFallback),
    );
    await s.click(s.run(), ActionIds.awsFailoverFallback, DEVOPS, 'update-route-53');
    const fallback = structuredClone(
      await s.waitFor('fallback request', () =>
        s
          .thread()
          .filter((m) => textOf(m).includes('record swap'))
          .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
      ),
    );

    // Act: the operator turns the switch Off by hand (the runbook's CLI path); a deploy lands that no longer
    // declares the switch table on this checklist (the runbook moved it); then the pending fallback is approved
    delete scenario.failures?.['PutObject'];
    await sim!.writeSwitchObject({
      region: 'eu-west-1',
      bucket: 'sitecraft-dr-switch',
      key: 'failover/api.json',
      body: OFF,
    });
    deploy(s, (a) => ({
      ...a,
      checklists: a.checklists.map((c) =>
        c.id === 'switch-failover'
          ? {
              ...c,
              directives: Object.fromEntries(Object.entries(c.directives).filter(([k]) => k !== 'switch')),
            }
          : c,
      ),
    }));
    await s.click(fallback, ActionIds.awsRoute53Approve, OWNER);
    await s.settle();

    // Assess: the switch holds traffic, so the swap (offered only because the switch could not act) is not
    // written: both mechanisms would be turned for one failover
    expect(sim!.writes.map((w) => w.action)).toEqual(['PutObject']);
  });
});

describe('a deploy makes the failover approval stricter while a run waits at "Update Route 53"', () => {
  it('does not let a DevOps member approve the failover the new runbook reserves for the Business Owner', async () => {
    // Prepare: a switch failover at "Update Route 53" (the gate signed by DevOps and the Business Owner)
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(structuredClone(loadScenario('region-down')), {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);

    // Act: a deploy lands: the runbook now says only the Business Owner approves the DNS change
    // (`approve=business-owner` on the step, and the sign-off gate is the Business Owner's alone). Alice
    // (the starter) asks for the failover; a DevOps member approves it.
    deploy(s, (a) => ({
      ...a,
      checklists: a.checklists.map((c) =>
        c.id === 'switch-failover'
          ? {
              ...c,
              items: c.items.map((it) =>
                it.type === 'step' && it.id === 'update-route-53'
                  ? { ...it, directives: { ...it.directives, approve: 'business-owner' } }
                  : it.type === 'gate'
                    ? { ...it, roles: ['business-owner'] }
                    : it,
              ),
            }
          : c,
      ),
    }));
    await s.click(s.run(), ActionIds.awsRoute53Execute, ALICE, 'update-route-53');
    await s.settle();

    // Assess: no request under a rule the runbooks no longer hold; the run is to be taken over (the new rules)
    await s.waitFor('the refusal', () =>
      s.bot.fake.responses.some((r) =>
        JSON.stringify(r.body).includes('runbook changed since the run started'),
      ),
    );
    expect(s.thread().some((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve))).toBe(
      false,
    );
    expect(sim!.writes.map((w) => w.action)).toEqual([]);
  });
});

describe('a deploy renames the switch failover checklist while its run waits at "Update Route 53"', () => {
  it("never turns the old run's Execute into a record swap of every declared record", async () => {
    // Prepare: a switch failover at "Update Route 53" (data plane: the switch, no record swap)
    let sim: SimulatedGateway | undefined;
    sb = await startStepsBot({
      env: { DEFERRED_RETRY_DELAY_MS: '5' },
      gateway: (clock) => {
        sim = createSimulatedGateway(structuredClone(loadScenario('primary-down')), {
          records: [...RECORDS, ...SWITCH_RECORDS],
          failover: SWITCH_DECLARATIONS,
          now: () => clock.now,
        });
        return sim;
      },
    });
    const s = sb;
    await toSwitchRouteStep(s);

    // Act: a deploy renames the checklist (`checklist=dr-failover`); the old run's message still offers
    // Execute. DevOps asks for the failover, the Business Owner approves it.
    deploy(s, (a) => ({
      ...a,
      checklists: a.checklists.map((c) =>
        c.id === 'switch-failover'
          ? { ...c, id: 'dr-failover', directives: { ...c.directives, checklist: 'dr-failover' } }
          : c,
      ),
    }));
    await s.click(s.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await s.settle();
    const request = s
      .thread()
      .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve));
    if (request) await s.click(structuredClone(request), ActionIds.awsRoute53Approve, OWNER);
    await s.settle();

    // Assess: the run's failover is the switch (or nothing, with a clear message); the control-plane record
    // swap, a fallback offered only when the switch cannot act, is never written in its place
    expect(sim!.writes.map((w) => w.action)).not.toContain('ChangeResourceRecordSets');
  });
});
