/**
 * Approval DMs sent once (helper-172's review): a user group Slack cannot list for a moment (usergroups.users.list
 * is rate-limited, Tier 2) in a new process (a cold Lambda container, nothing cached) must not withdraw the
 * invites of that group's members and then DM them all again once it can be listed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { type ReachBot, startReachBot } from './reach-bot';

const STARTER = 'U0STARTER';

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

describe('a user group that cannot be listed for a moment', () => {
  it('neither closes its members’ open invites nor DMs them a second time', async () => {
    rb = await startReachBot();
    await rb.command('promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    // U0OPS2 is asked through the DevOps group (S0DEVOPS): one approval DM.
    expect(rb.dms('U0OPS2')).toHaveLength(1);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    const at = (minutes: number) => new Date(opened + minutes * 60_000).toISOString();

    // A new process over the same store (a cold container); its first lookup of the group is rate-limited.
    const store = rb.store;
    const runId = rb.runId();
    await rb.bot.close();
    rb = await startReachBot({ store, now: new Date(at(2)) });
    const again = rb;
    again.bot.fake.failMethod('usergroups.users.list', { ok: false, error: 'ratelimited' }, 1);
    await again.sweepAt(at(2));
    // The next container's sweep (or this one's, a minute later) lists the group again.
    await again.bot.close();
    rb = await startReachBot({ store, now: new Date(at(3)) });
    const third = rb;
    await third.sweepAt(at(3));
    await third.sweepAt(at(10));

    // U0OPS2 was never told anything new: the invite is the one they had, still open.
    const invites = ((await store.store.getRun(runId))?.state.invites ?? []).filter(
      (i) => i.user === 'U0OPS2',
    );
    expect(third.dms('U0OPS2')).toHaveLength(0);
    expect(invites.map((i) => [i.n, i.status])).toEqual([[0, 'open']]);
    await third.close();
    rb = undefined;
    await store.store.close();
  });
});
