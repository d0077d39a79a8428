/**
 * Found in a review (helper-208): a gate's signer whose user group Slack cannot list gets "could not check
 * your role… try again" (signsForGate, gate-group-unlisted.e2e), and so does a requester
 * (requesterStillMay), but the approver of a live-action request did not: holdsApproverRole
 * (src/workflows/authorize.ts) read an unlisted group as "not a member" and answered "Only a member of
 * DevOps… can approve this change", recorded in the audit trail as a refusal for no role. A DevOps member
 * through the group, approving the failover while Slack rate-limits the group listing, was told they are no
 * approver.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const MEMBER = 'U0MEMBER';

const APPROVERS = `
roles:
  devops: [U0DEVOPS, S0DEVOPS]
  security: [U0SEC]
  architecture: [U0ARCH]
  business-owner: [U0BIZ]
`;

let sb: StepsBot | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await sb?.close();
  sb = undefined;
});

describe('an approval while Slack cannot list the approver’s user group', () => {
  it('says the approver’s role could not be checked, not that only a member may approve', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sim = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    sb.bot.fake.usergroups.set('S0DEVOPS', [MEMBER]);
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, ALICE, 'update-route-53');
    const request = await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.settle();

    // MEMBER is still in @devops, but Slack stops listing the group; MEMBER approves 70 minutes later (past
    // the hour a last known list is trusted).
    sb.bot.fake.failMethod('usergroups.users.list', { ok: false, error: 'ratelimited' });
    const shift = 70 * 60_000;
    vi.setSystemTime(Date.now() + shift);
    sb.clock.now = new Date(sb.clock.now.getTime() + shift);

    const id = await sb.click(request, ActionIds.awsRoute53Approve, MEMBER);
    await sb.settle();
    const said = [sb.answers(id), ...sb.thread().map(textOf)].join('\n');
    expect(sim.writes).toEqual([]);
    expect(said).not.toMatch(/Only a member of/);
    expect(said).toMatch(/could not|try again/i);
  });
});
