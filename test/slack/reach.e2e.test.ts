/**
 * Issue 19, end to end through signed requests: approval DMs to exactly the people who may sign, a
 * decision in a DM taken through the same authorize() as in the channel, every DM brought to the outcome,
 * the App Home tab, and the reminders and escalation the runbook declares (PROMOTION.md's DEV → SIT gate:
 * `remind=30m escalate=L2`), fired once each, also after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { TEST_CHANNEL } from '../helpers/slack-payloads';
import { findElement, hasElement, type ReachBot, startReachBot, textOf } from './reach-bot';

const GATE = 'gate-dev-sit-promotion';
const STARTER = 'U0STARTER';

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

/** `/runbook promote dev sit` by the starter, steps 1–3 done: the DEV → SIT gate blocks the checklist. */
async function atTheGate(r: ReachBot): Promise<void> {
  await r.command('promote dev sit', STARTER);
  for (let n = 0; n < 3; n++) await r.click(r.latestRun(), ActionIds.checklistDone, STARTER);
  expect(JSON.stringify(r.latestRun().blocks)).toContain(ActionIds.checklistApprove);
}

const dmUsers = (r: ReachBot) =>
  ['U0DEVOPS', 'U0OPS2', 'U0ARCH', 'U0SEC', 'U0BIZ', 'U0IC', STARTER].filter((u) => r.dms(u).length > 0);

describe('approval DMs', () => {
  it('DMs exactly the people who may sign the gate once it blocks the checklist, and mentions the role’s group', async () => {
    rb = await startReachBot();
    await rb.command('promote dev sit', STARTER);
    expect(dmUsers(rb)).toEqual([]); // nothing waits yet
    await atTheGate(rb);
    // DevOps (a user, and the members of its group but the starter) and Architecture; not Security, not the starter.
    expect(dmUsers(rb).sort()).toEqual(['U0ARCH', 'U0DEVOPS', 'U0OPS2']);
    for (const user of ['U0ARCH', 'U0DEVOPS', 'U0OPS2']) {
      expect(rb.dms(user)).toHaveLength(1);
      const dm = rb.approvalDm(user)!;
      expect(textOf(dm)).toContain('DEV → SIT promotion');
      expect(textOf(dm)).toContain('Promote DEV to SIT');
      expect(textOf(dm)).toContain(`<@${STARTER}>`); // who asked
      expect(textOf(dm)).toMatch(/Before this:[\s\S]*1\. Tag the release candidate/); // the evidence
      expect(findElement(dm, ActionIds.checklistApprove, GATE).value).toBe(`${rb.runId()}|${GATE}`);
      expect(hasElement(dm, ActionIds.checklistReject, GATE)).toBe(true);
      expect(findElement(dm, ActionIds.reachOpenRun).url).toContain(`/archives/${TEST_CHANNEL}/p`);
    }
    // The channel mentions the role's user group, at the gate and in the thread.
    expect(textOf(rb.latestRun())).toContain('<!subteam^S0DEVOPS>');
    const asked = rb.thread().find((m) => textOf(m).includes('is open for signatures'));
    expect(textOf(asked!)).toContain('<!subteam^S0DEVOPS>');
    expect(textOf(asked!)).toContain('<@U0ARCH>');
    // Recorded on the run: where each DM went.
    const invites = (await rb.state()).invites ?? [];
    expect(invites.map((i) => [i.user, i.channel]).sort()).toEqual(
      ['U0ARCH', 'U0DEVOPS', 'U0OPS2'].map((u) => [u, rb!.bot.fake.dmChannelOf(u)]).sort(),
    );
    // Another sync (a timer sweep, a redelivery) sends nothing new.
    const posts = rb.bot.fake.callsTo('chat.postMessage').length;
    await rb.sweepAt(new Date(Date.now() + 60_000).toISOString());
    await rb.sweepAt(new Date(Date.now() + 60_000).toISOString());
    expect(rb.bot.fake.callsTo('chat.postMessage').length).toBe(posts);
    expect(rb.limitViolations()).toEqual([]);
  });

  it('signs the run in the channel from a DM; the other DMs stop offering Approve', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    await rb.click(rb.approvalDm('U0DEVOPS')!, ActionIds.checklistApprove, 'U0DEVOPS', GATE);
    const state = await rb.state();
    expect(state.gates[GATE]?.approvals).toEqual([
      expect.objectContaining({ user: 'U0DEVOPS', role: 'devops' }),
    ]);
    expect(textOf(rb.latestRun())).toContain('DevOps: <@U0DEVOPS>');
    // The signer's DM and the other DevOps member's DM: no Approve left; they say what happened.
    for (const user of ['U0DEVOPS', 'U0OPS2']) {
      const dm = rb.approvalDm(user)!;
      expect(hasElement(dm, ActionIds.checklistApprove)).toBe(false);
      expect(textOf(dm)).toMatch(
        user === 'U0DEVOPS' ? /You signed as DevOps/ : /DevOps signed by <@U0DEVOPS>/,
      );
    }
    // Architecture still asked, and sees the progress.
    const arch = rb.approvalDm('U0ARCH')!;
    expect(hasElement(arch, ActionIds.checklistApprove, GATE)).toBe(true);
    expect(textOf(arch)).toContain('DevOps :white_check_mark: <@U0DEVOPS>');

    await rb.click(arch, ActionIds.checklistApprove, 'U0ARCH', GATE);
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH']) {
      const dm = rb.approvalDm(user)!;
      expect(hasElement(dm, ActionIds.checklistApprove)).toBe(false);
      expect(textOf(dm)).toMatch(/Signed by <@U0DEVOPS> \(DevOps\)[^\n]*<@U0ARCH> \(Architecture\)/);
    }
    expect(textOf(rb.latestRun())).toContain('approved by <@U0DEVOPS> (DevOps), <@U0ARCH> (Architecture)');
    expect(rb.dms('U0ARCH')).toHaveLength(1); // updated in place, not posted again
    expect(rb.limitViolations()).toEqual([]);
  });

  it('refuses a DM click that is not allowed, says why, and changes nothing', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    const dm = rb.approvalDm('U0DEVOPS')!;
    await rb.click(dm, ActionIds.checklistApprove, 'U0DEVOPS', GATE);
    const before = await rb.state();
    const channelBefore = JSON.stringify(rb.latestRun().blocks);

    // Someone who already signed, pressing a stale Approve they still hold.
    await rb.click(dm, ActionIds.checklistApprove, 'U0DEVOPS', GATE).catch(() => undefined);
    // The buttons are gone from the DM now: press the old ones as a client could.
    const stale = { ...dm, blocks: JSON.parse(JSON.stringify(rb.latestRun().blocks)) };
    const pressAs = (user: string, channel: string) =>
      rb!.click({ ...stale, channel, ts: '1700000000.000100' }, ActionIds.checklistApprove, user, GATE);
    await pressAs('U0DEVOPS', rb.bot.fake.dmChannelOf('U0DEVOPS'));
    expect(rb.answers('U0DEVOPS')).toContain('You already signed');
    // The other DevOps member: the role is signed.
    await pressAs('U0OPS2', rb.bot.fake.dmChannelOf('U0OPS2'));
    expect(rb.answers('U0OPS2')).toContain('DevOps already signed');
    // The starter, from a DM the bot never sent them for this run.
    await pressAs(STARTER, rb.bot.fake.dmChannelOf(STARTER));
    expect(rb.answers(STARTER)).toContain('buttons work only in');
    // An outsider (Security) from their own DM.
    await pressAs('U0SEC', rb.bot.fake.dmChannelOf('U0SEC'));
    expect(rb.answers('U0SEC')).toContain('buttons work only in');

    const after = await rb.state();
    expect(after.gates).toEqual(before.gates);
    expect(after.steps).toEqual(before.steps);
    expect(JSON.stringify(rb.latestRun().blocks)).toBe(channelBefore);
    const refused = (await rb.store.store.listEvents(rb.runId())).filter((e) => e.type === 'refused');
    expect(refused.map((e) => e.code).sort()).toEqual([
      'already_signed',
      'role_signed',
      'wrong_channel',
      'wrong_channel',
    ]);
  });

  it('rejects from a DM with a reason, halts the run, and every DM says so', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    await rb.click(rb.approvalDm('U0ARCH')!, ActionIds.checklistReject, 'U0ARCH', GATE);
    await rb.submitModal('U0ARCH', {
      [ActionIds.checklistReasonBlock]: {
        [ActionIds.checklistReasonInput]: { type: 'plain_text_input', value: 'plan shows a <!channel> drop' },
      },
    });
    expect((await rb.state()).status).toBe('halted');
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH']) {
      const dm = rb.approvalDm(user)!;
      expect(hasElement(dm, ActionIds.checklistApprove)).toBe(false);
      expect(textOf(dm)).toContain('Rejected by <@U0ARCH> (Architecture)');
      expect(textOf(dm)).toContain('&lt;!channel&gt;'); // the reason, escaped
    }
  });

  it('in a drill, still asks by DM (marked DRILL) but pages no user group', async () => {
    rb = await startReachBot();
    await rb.command('drill promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    expect(dmUsers(rb).sort()).toEqual(['U0ARCH', 'U0DEVOPS', 'U0OPS2']);
    expect(textOf(rb.approvalDm('U0ARCH')!)).toContain('[DRILL] Promote DEV to SIT');
    const everything = [rb.latestRun(), ...rb.thread()].map(textOf).join('\n');
    expect(everything).toContain('is open for signatures');
    expect(everything).not.toContain('<!subteam^');
    // The reminder DM, read on its own at 3 a.m., says it is a drill too.
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    await rb.sweepAt(new Date(opened + 30 * 60_000).toISOString());
    const reminder = rb.dms('U0ARCH').find((m) => (m.text ?? '').startsWith(':alarm_clock:'));
    expect(reminder?.text).toContain('[DRILL] Promote DEV to SIT');
  });

  it('closes every DM when the run is cancelled or superseded', async () => {
    rb = await startReachBot();
    // A drill at its gate, then a live run of the same checklist: the live run replaces the drill (issue 18:
    // never a silent takeover of a live run, but a live run always replaces a drill).
    await rb.command('drill promote dev sit', STARTER);
    for (let n = 0; n < 3; n++) await rb.click(rb.latestRun(), ActionIds.checklistDone, STARTER);
    expect(rb.approvalDm('U0ARCH')).toBeDefined();
    await rb.command('promote dev sit', 'U0SEC');
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH']) {
      const dm = rb.dms(user)[0]!;
      expect(hasElement(dm, ActionIds.checklistApprove)).toBe(false);
      expect(textOf(dm)).toContain('Superseded');
    }
  });
});

describe('the App Home tab', () => {
  it('lists a waiting gate with Approve / Reject / Open, signs from there, and drops it once signed', async () => {
    rb = await startReachBot();
    expect(await rb.openHome('U0ARCH', 'Ev001')).toBe(200);
    expect(JSON.stringify(rb.home('U0ARCH')?.view)).toContain('Nothing waits for your signature');
    await atTheGate(rb);
    // Refreshed when a gate they could sign opened.
    const home = rb.home('U0ARCH')!;
    const text = JSON.stringify(home.view);
    expect(text).toContain('DEV → SIT promotion');
    expect(text).toContain('promote dev sit'); // the runbooks with their commands
    expect(text).toContain('Recent runs');
    expect(
      hasElement(
        { channel: '', ts: '', via: 'chat.postMessage', blocks: home.view.blocks as unknown[] },
        ActionIds.reachOpenRun,
      ),
    ).toBe(true);
    // The starter's Home: their run in progress.
    await rb.openHome(STARTER, 'Ev002');
    expect(JSON.stringify(rb.home(STARTER)?.view)).toContain('Your runs in progress');
    expect(JSON.stringify(rb.home(STARTER)?.view)).toMatch(/Promote DEV to SIT[^"]*in <#C0INCIDENT>/);

    await rb.clickHome('U0ARCH', ActionIds.checklistApprove, GATE);
    expect((await rb.state()).gates[GATE]?.approvals.map((a) => a.user)).toEqual(['U0ARCH']);
    expect(JSON.stringify(rb.home('U0ARCH')?.view)).toContain('Nothing waits for your signature');
    expect(hasElement(rb.approvalDm('U0ARCH')!, ActionIds.checklistApprove)).toBe(false);
    // The other DevOps member's Home lists the gate; once DevOps signs (in a DM), it is refreshed without it.
    expect(JSON.stringify(rb.home('U0OPS2')?.view)).toContain('DEV → SIT promotion');
    await rb.click(rb.approvalDm('U0DEVOPS')!, ActionIds.checklistApprove, 'U0DEVOPS', GATE);
    expect(JSON.stringify(rb.home('U0OPS2')?.view)).toContain('Nothing waits for your signature');
    expect(rb.limitViolations()).toEqual([]);
  });

  it('publishes once for an event and its retries, and never for a malformed user id', async () => {
    rb = await startReachBot();
    await rb.openHome('U0ARCH', 'Ev100');
    await rb.openHome('U0ARCH', 'Ev100', 1);
    await rb.openHome('U0ARCH', 'Ev100', 2);
    expect(rb.bot.fake.callsTo('views.publish').filter((c) => c.args.user_id === 'U0ARCH')).toHaveLength(1);
    await rb.openHome('U0ARCH', 'Ev101');
    expect(rb.bot.fake.callsTo('views.publish')).toHaveLength(2);
    expect(await rb.openHome('<!channel>', 'Ev102')).toBe(200);
    expect(rb.bot.fake.callsTo('views.publish')).toHaveLength(2);
  });

  it('refuses Approve from the Home tab of someone the bot never asked', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    // Security holds no role of this gate: no DM, and the Home tab offers nothing to sign.
    await rb.openHome('U0SEC', 'Ev200');
    expect(JSON.stringify(rb.home('U0SEC')?.view)).toContain('Nothing waits for your signature');
    // An Approve copied from an approver's Home into Security's own: refused, nothing signed.
    await rb.openHome('U0ARCH', 'Ev201');
    const before = await rb.state();
    const channelBefore = JSON.stringify(rb.latestRun().blocks);
    await rb.clickHome('U0SEC', ActionIds.checklistApprove, GATE, 'U0ARCH');
    const after = await rb.state();
    expect(after.gates).toEqual(before.gates);
    expect(after.gates[GATE]?.approvals ?? []).toEqual([]);
    expect(JSON.stringify(rb.latestRun().blocks)).toBe(channelBefore);
    const refused = (await rb.store.store.listEvents(rb.runId())).filter((e) => e.type === 'refused');
    expect(refused.map((e) => [e.user, e.code])).toEqual([['U0SEC', 'wrong_channel']]);
    // Told why, in their DM with the bot (a Home tab click has no response_url).
    const told = rb.dms('U0SEC').map((m) => m.text ?? '');
    expect(told).toEqual([expect.stringContaining('buttons work only in <#C0INCIDENT>')]);
  });
});

describe('reminders and escalation', () => {
  it('reminds after remind=, escalates to the runbook’s contact after twice that, once each, also after a restart', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    expect(Number.isFinite(opened)).toBe(true);
    const at = (minutes: number) => new Date(opened + minutes * 60_000).toISOString();
    const reminders = (r: ReachBot) => r.thread().filter((m) => (m.text ?? '').includes(':alarm_clock:'));

    await rb.sweepAt(at(29));
    expect(reminders(rb)).toHaveLength(0);
    await rb.sweepAt(at(30));
    expect(reminders(rb)).toHaveLength(1);
    expect(reminders(rb)[0]?.text).toContain('has waited 30 min');
    // Each asked person got a reminder in their DM, once.
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH'])
      expect(rb.dms(user).filter((m) => (m.text ?? '').startsWith(':alarm_clock:'))).toHaveLength(1);
    await rb.sweepAt(at(31));
    expect(reminders(rb)).toHaveLength(1);

    // A restart: a new app (a new process, a cold Lambda) over the same store.
    const store = rb.store;
    const runId = rb.runId();
    await rb.bot.close();
    const again = await startReachBot({ store, now: new Date(at(45)) });
    rb = again;
    await again.sweepAt(at(45));
    expect(again.bot.fake.messages.filter((m) => (m.text ?? '').includes(':alarm_clock:'))).toHaveLength(0);
    await again.sweepAt(at(60));
    const escalated = again.bot.fake.messages.filter(
      (m) => (m.text ?? '').includes(':rotating_light:') && m.thread_ts,
    );
    expect(escalated).toHaveLength(1);
    // PROMOTION.md: escalate=L2, the contacts table's L2 row.
    expect(escalated[0]?.text).toContain('L2 — Secondary on-call / service owner');
    expect(escalated[0]?.text).toContain('@sitecraft-platform-leads');
    await again.sweepAt(at(61));
    await again.sweepAt(at(90));
    expect(
      again.bot.fake.messages.filter((m) => (m.text ?? '').includes(':rotating_light:') && m.thread_ts),
    ).toHaveLength(1);
    // The timeline has each once.
    const notes = (await store.store.listEvents(runId))
      .filter((e) => e.type === 'note')
      .map((e) => e.text ?? '');
    expect(notes.filter((t) => t.includes(':alarm_clock:'))).toHaveLength(1);
    expect(notes.filter((t) => t.includes(':rotating_light:'))).toHaveLength(1);
    await again.close();
    rb = undefined;
    await store.store.close();
  });

  it('reminds once when two sweeps run at once and when a sweep is delivered again (a conditional write per timer)', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    const at = (minutes: number) => new Date(opened + minutes * 60_000).toISOString();
    const marked = (mark: string) => rb!.bot.fake.messages.filter((m) => (m.text ?? '').includes(mark));
    // Two sweeps at once (the local loop and a moved clock; two Lambda containers), then a redelivery.
    await Promise.all([rb.sweepAt(at(30)), rb.sweepAt(at(30)), rb.sweepAt(at(30))]);
    await rb.sweepAt(at(30));
    // One in the thread, one in each of the three DMs.
    expect(marked(':alarm_clock:').filter((m) => m.thread_ts)).toHaveLength(1);
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH'])
      expect(rb.dms(user).filter((m) => (m.text ?? '').startsWith(':alarm_clock:'))).toHaveLength(1);
    await Promise.all([rb.sweepAt(at(60)), rb.sweepAt(at(60))]);
    await rb.sweepAt(at(60));
    expect(marked(':rotating_light:').filter((m) => m.thread_ts)).toHaveLength(1);
    const notes = (await rb.store.store.listEvents(rb.runId())).filter((e) => e.type === 'note');
    expect(notes.filter((e) => (e.text ?? '').includes(':alarm_clock:'))).toHaveLength(1);
    expect(notes.filter((e) => (e.text ?? '').includes(':rotating_light:'))).toHaveLength(1);
  });

  it('sends a reminder Slack refused with the next sweep, and nothing already sent again', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    const opened = Date.parse((await rb.state()).steps['produce-the-sit-terraform-plan']?.at ?? '');
    const at = (minutes: number) => new Date(opened + minutes * 60_000).toISOString();
    const inThread = () => rb!.thread().filter((m) => (m.text ?? '').includes(':alarm_clock:'));
    const inDm = (user: string) => rb!.dms(user).filter((m) => (m.text ?? '').startsWith(':alarm_clock:'));
    // The first post of the sweep (the thread's reminder) fails as Slack fails; the DMs go out.
    const failed = rb.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'internal_error' }, 1);
    await rb.sweepAt(at(30));
    expect(failed.served).toBe(1);
    expect(inThread()).toHaveLength(0);
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH']) expect(inDm(user)).toHaveLength(1);
    // The next minute: the thread's reminder, once; no DM twice; one note in the timeline.
    await rb.sweepAt(at(31));
    await rb.sweepAt(at(32));
    expect(inThread()).toHaveLength(1);
    for (const user of ['U0DEVOPS', 'U0OPS2', 'U0ARCH']) expect(inDm(user)).toHaveLength(1);
    const notes = (await rb.store.store.listEvents(rb.runId())).filter((e) => e.type === 'note');
    expect(notes.filter((e) => (e.text ?? '').includes(':alarm_clock:'))).toHaveLength(1);
  });

  it('stops reminding once the gate is signed', async () => {
    rb = await startReachBot();
    await atTheGate(rb);
    await rb.click(rb.approvalDm('U0DEVOPS')!, ActionIds.checklistApprove, 'U0DEVOPS', GATE);
    await rb.click(rb.approvalDm('U0ARCH')!, ActionIds.checklistApprove, 'U0ARCH', GATE);
    await rb.sweepAt(new Date(Date.now() + 3 * 3_600_000).toISOString());
    expect(rb.thread().filter((m) => /alarm_clock|rotating_light/.test(m.text ?? ''))).toHaveLength(0);
  });
});
