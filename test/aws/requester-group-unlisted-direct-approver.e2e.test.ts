/**
 * Found in a review (helper-208): the approval read the clicker's context (roles, then rolesUnknown) before
 * it read the requester's roles (requests.ts decide → requesterRolesNow). When the approver holds their role
 * directly (listed by name in approvers.yaml), reading their roles lists no user group; the requester's group
 * is listed only afterwards, fails (Slack rate limited, no list trusted from the last hour), and was marked
 * unknown too late: the approval was refused with "<requester> is no longer a member of DevOps … Cancel the
 * request and ask again" (recorded in the audit trail), a false accusation and wrong advice, where the same
 * approval by a group-listing approver says "could not check, try again" (requester-group-unlisted.e2e).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const MEMBER = 'U0MEMBER';
const APPROVER = 'U0DEVOPS';
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

describe('an approval by a directly listed approver while Slack cannot list the requester’s user group', () => {
  it('says the requester’s role could not be checked, not that they are no longer a member', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sim = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    sb.bot.fake.usergroups.set('S0DEVOPS', [MEMBER]);
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, MEMBER, 'update-route-53');
    const request = await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.settle();

    // MEMBER is still in @devops, but Slack stops listing the group; the owner approves 70 minutes later
    // (past the hour a last known list is trusted).
    sb.bot.fake.failMethod('usergroups.users.list', { ok: false, error: 'ratelimited' });
    const shift = 70 * 60_000;
    vi.setSystemTime(Date.now() + shift);
    sb.clock.now = new Date(sb.clock.now.getTime() + shift);

    const id = await sb.click(request, ActionIds.awsRoute53Approve, APPROVER);
    await sb.settle();
    const said = [sb.answers(id), ...sb.thread().map(textOf)].join('\n');
    expect(sim.writes).toEqual([]);
    expect(said).not.toMatch(/no longer a member/);
    expect(said).toMatch(/could not|try again/i);
  });
});
