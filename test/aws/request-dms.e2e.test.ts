/**
 * Approval DMs for a live action under the two-person rule (issue 19 with issue 15's requests): when
 * "Update Route 53" is requested, its eligible approvers are DMed, never the requester; an approval from a
 * DM is the approval (same authorize(), same stored request), after which every DM says so; the requester
 * pressing Approve from a DM of theirs is refused with the rule's reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { ActionIds } from '../../src/slack/action-ids';
import { hasElement } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot, textOf } from './steps-bot';

const ALICE = 'U0ALICE';
const DEVOPS = 'U0DEVOPS';
const OWNER = 'U0BIZ';

let sb: StepsBot | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const dms = (s: StepsBot, user: string) =>
  s.bot.fake.messages.filter((m) => m.channel === s.bot.fake.dmChannelOf(user) && !m.thread_ts);

describe('approval DMs for a live-action request', () => {
  it('DMs the approvers of the request but not its requester; a DM approval executes; every DM follows', async () => {
    sb = await startStepsBot({
      gateway: createSimulatedGateway(loadScenario('primary-down'), {
        records: RECORDS,
        now: () => new Date(),
      }),
    });
    await sb.command('failover', ALICE);
    await sb.openRoute53Step(ALICE);
    await sb.settle();
    // The gate's DMs (DevOps, Business Owner) now say it was signed.
    for (const user of [DEVOPS, OWNER]) expect(textOf(dms(sb, user)[0]!)).toContain('Signed by');

    await sb.click(sb.run(), ActionIds.awsRoute53Execute, DEVOPS, 'update-route-53');
    await sb.waitFor('request DM', () =>
      dms(sb!, OWNER).find((m) => hasElement(m, ActionIds.awsRoute53Approve)),
    );
    await sb.settle();
    // Not the requester: their only DM is the gate's, with nothing to press.
    expect(dms(sb, DEVOPS).some((m) => hasElement(m, ActionIds.awsRoute53Approve))).toBe(false);
    const ask = dms(sb, OWNER).find((m) => hasElement(m, ActionIds.awsRoute53Approve))!;
    expect(textOf(ask)).toContain('Second approval needed');
    expect(textOf(ask)).toContain(`Asked by:* <@${DEVOPS}>`);

    // The requester, from their own DM with the bot (a DM the bot did send them for this run): the rule, said.
    const own = await sb.click(
      { ...ask, channel: sb.bot.fake.dmChannelOf(DEVOPS) },
      ActionIds.awsRoute53Approve,
      DEVOPS,
    );
    await sb.waitFor('refusal', () => sb!.answers(own).includes('Two-person rule'));
    await sb.settle();
    const pending = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {});
    expect(pending.map((r) => r.status)).toEqual(['pending']);

    await sb.click(ask, ActionIds.awsRoute53Approve, OWNER);
    await sb.eventually('executed', async () =>
      Object.values((await sb!.store.store.getRun(sb!.runId()))!.state.requests ?? {}).some(
        (r) => r.status === 'succeeded',
      ),
    );
    await sb.settle();
    const done = Object.values((await sb.store.store.getRun(sb.runId()))!.state.requests ?? {})[0]!;
    expect(done).toMatchObject({ decidedBy: OWNER, status: 'succeeded' });
    await sb.waitFor('DM shows the outcome', () => {
      const dm = dms(sb!, OWNER).find((m) => m.ts === ask.ts)!;
      return !hasElement(dm, ActionIds.awsRoute53Approve) && textOf(dm).includes(`Approved by <@${OWNER}>`);
    });
  });
});
