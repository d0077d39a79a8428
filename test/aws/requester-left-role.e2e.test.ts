/**
 * Found in a review (helper-190): who may ask for a live action (the run's starter or a gate
 * role, authorize.ts `mayRequest`) is checked when the request is made, never again. A DevOps member (through
 * the DevOps user group) asks for the DNS failover and is then removed from the group (offboarded, or their
 * access revoked); a colleague approves the pending request afterwards, from the thread or a DM, and the
 * change is written on the request of someone who may no longer ask for it. Roles are read again at the
 * approval for the approver, and at execution for the approver, but not for the requester.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const ALICE = 'U0ALICE';
const LEAVER = 'U0LEAVER';
const OWNER = 'U0BIZ';
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

describe('a request whose requester lost their role before it was approved', () => {
  it('is not approved and nothing is written', async () => {
    // Only Date is faked (it follows real time); the group cache reads Date.now, so a jump expires it.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sim = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    sb.bot.fake.usergroups.set('S0DEVOPS', [LEAVER]);
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.click(sb.run(), ActionIds.awsRoute53Execute, LEAVER, 'update-route-53');
    const request = await sb.waitFor('approval request', () =>
      sb!.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
    );
    await sb.settle();
    const asked = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0]!;
    expect(asked).toMatchObject({ status: 'pending', requestedBy: LEAVER });

    // LEAVER is removed from @devops; six minutes later (past the 5-minute group cache) the owner approves.
    sb.bot.fake.usergroups.set('S0DEVOPS', []);
    const lookups = sb.bot.fake.callsTo('usergroups.users.list').length;
    const shift = 6 * 60_000;
    vi.setSystemTime(Date.now() + shift);
    sb.clock.now = new Date(sb.clock.now.getTime() + shift);

    await sb.click(request, ActionIds.awsRoute53Approve, OWNER);
    await sb.settle();
    // The group was read again (the cache had run out): the bot knew LEAVER holds no role any more.
    expect(sb.bot.fake.callsTo('usergroups.users.list').length).toBeGreaterThan(lookups);
    const after = (await sb.store.store.getRun(sb.runId()))!.state.requests?.[asked.id];
    expect(sim.writes).toEqual([]);
    expect(after?.status).toBe('pending');
  });
});
