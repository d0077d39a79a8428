/**
 * Stakeholder updates on the cadence the runbook promises (DR_FAILOVER.md's templates: `update=30m`,
 * `owner=incident-commander`, `local="SAST=Africa/Johannesburg"`), the update modal, and the all-clear the
 * completed failback offers, end to end. What stakeholders read names people, gives UTC and SAST times,
 * starts from the run's start time, and carries no run id (issue 16 item 6).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Artifact, Checklist, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { findElement, hasElement, type ReachBot, startReachBot, textOf } from './reach-bot';

const STAKE = 'C0STAKE';
const IC = 'U0IC';
// The next 21:40 UTC (23:40 SAST: the local date turns over during the incident), after now: requests are
// signed with the app's clock, which Bolt wants no earlier than 5 minutes ago.
const NOW = new Date();
const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 21, 40);
const DAY1 = new Date(T0).toISOString().slice(0, 10);
const DAY2 = new Date(T0 + 86_400_000).toISOString().slice(0, 10);

const step = (n: number, id: string, directives: Record<string, string> = {}): StepItem => ({
  type: 'step',
  id,
  n,
  title: id.replace(/-/g, ' '),
  markdown: `${id}.`,
  text: `${id}.`,
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  phase: null,
  directives,
});

const INCIDENT: Checklist = {
  id: 'failover',
  title: 'DR failover to eu-west-1',
  commands: ['failover'],
  sectionId: 'DR_FAILOVER.md#failover-procedure',
  records: null,
  directives: { checklist: 'failover' },
  items: [step(1, 'notify-stakeholders', { notify: 'failover-notice' }), step(2, 'hand-over')],
};

const FAILBACK: Checklist = {
  id: 'failback',
  title: 'Failback to af-south-1',
  commands: ['failback'],
  sectionId: 'DR_FAILOVER.md#failback-procedure',
  records: null,
  directives: { checklist: 'failback', 'all-clear': 'all-clear-notice' },
  // The real failback turns the switch here (action=route53-failback); this one only has the all-clear to offer.
  items: [step(1, 'cut-back'), step(2, 'verify-primary')],
};

async function artifact(): Promise<Artifact> {
  const real = await loadTestArtifact();
  return { ...real, checklists: [INCIDENT, FAILBACK] };
}

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

const stakeholderPosts = (r: ReachBot) => r.bot.fake.messages.filter((m) => m.channel === STAKE);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** The IC starts the failover and posts the notice at T0 + 1 min. */
async function noticePosted(): Promise<ReachBot> {
  const r = await startReachBot({
    artifact: await artifact(),
    env: { STAKEHOLDER_CHANNELS: STAKE },
    now: new Date(T0),
  });
  await r.command('failover', IC);
  r.clock.now = new Date(at(1));
  await r.click(r.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
  return r;
}

describe('the notice', () => {
  it('names people, says when the run started in UTC and SAST, shows no run id, and records when the next update is due', async () => {
    rb = await noticePosted();
    const [notice] = stakeholderPosts(rb);
    const text = textOf(notice!);
    expect(text).toContain(`Started by Ida Commander at ${DAY1} 21:40 UTC (23:40 SAST)`);
    expect(text).toContain('Next update within 30 minutes');
    expect(text).not.toMatch(/<@|U0IC|\d{8}T\d{6}-[0-9a-f]{6}/);
    expect(text).not.toContain('{{');
    const comms = (await rb.state()).comms;
    expect(comms?.posts).toEqual([
      expect.objectContaining({
        kind: 'notice',
        template: 'failover-notice',
        by: IC,
        at: at(1),
        nextDueAt: at(31),
        channels: [STAKE],
      }),
    ]);
  });
});

describe('who posts the notice, and how often', () => {
  async function started(before?: (r: ReachBot) => void): Promise<ReachBot> {
    const r = await startReachBot({
      artifact: await artifact(),
      env: { STAKEHOLDER_CHANNELS: STAKE },
      now: new Date(T0),
    });
    before?.(r);
    await r.command('failover', IC);
    r.clock.now = new Date(at(1));
    return r;
  }

  it('refuses someone who neither started the run nor holds one of its gate roles, and posts nothing', async () => {
    rb = await started();
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, 'U0OUTSIDER', 'notify-stakeholders');
    expect(stakeholderPosts(rb)).toHaveLength(0);
    expect(rb.answers('U0OUTSIDER')).toContain('can post to stakeholders');
    expect((await rb.state()).comms?.posts ?? []).toHaveLength(0);
  });

  it('names the starter without the bidi or zero-width characters of their Slack profile', async () => {
    rb = await started((r) =>
      r.bot.fake.profiles.set(IC, {
        real_name: 'Ida Commander',
        display_name: 'Ida\u202e Com\u200bmander\u2069',
      }),
    );
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    const text = textOf(stakeholderPosts(rb)[0]!);
    expect(text).toContain(`Started by Ida Commander at ${DAY1} 21:40 UTC`);
    expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it('gives the notice back when nothing could be posted, so the next click posts it at once', async () => {
    rb = await started();
    const failed = rb.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'not_in_channel' }, 1);
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    expect(failed.served).toBe(1);
    expect(stakeholderPosts(rb)).toHaveLength(0);
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders', (T0 + 70_000) / 1000);
    expect(stakeholderPosts(rb)).toHaveLength(1);
    expect(rb.answers(IC)).not.toContain('nothing was posted twice');
  });

  it('posts once for a double click; after a minute "Post notice again" posts again', async () => {
    rb = await started();
    const run = rb.latestRun();
    // Two clicks (their own action_ts), not one click redelivered.
    const ts = (ms: number) => (T0 + 60_000 + ms) / 1000;
    await Promise.all([
      rb.click(run, ActionIds.awsNotifyPost, IC, 'notify-stakeholders', ts(0)),
      rb.click(run, ActionIds.awsNotifyPost, IC, 'notify-stakeholders', ts(250)),
    ]);
    expect(stakeholderPosts(rb)).toHaveLength(1);
    expect(rb.answers(IC)).toContain('nothing was posted twice');
    rb.clock.now = new Date(at(3));
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    expect(stakeholderPosts(rb)).toHaveLength(2);
  });
});

describe('stakeholder updates', () => {
  it('reminds the incident commander when the update is due, once, and posts the update from the modal', async () => {
    rb = await noticePosted();
    // The checklist completes; the incident (and the updates it owes) goes on.
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'notify-stakeholders');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'hand-over');
    expect((await rb.state()).status).toBe('completed');

    const due = () => rb!.thread().filter((m) => hasElement(m, ActionIds.reachPostUpdate));
    await rb.sweepAt(at(30));
    expect(due()).toHaveLength(0);
    // Two sweeps at once, then the next minute's: one reminder (the timer's lease and the note's conditional write).
    await Promise.all([rb.sweepAt(at(31)), rb.sweepAt(at(31))]);
    await rb.sweepAt(at(32));
    expect(due()).toHaveLength(1);
    // The template's owner role (incident-commander) names its user group in approvers.yaml: mentioned.
    expect(due()[0]?.text).toContain('the next stakeholder update is due now');
    expect(textOf(due()[0]!)).toContain('<!subteam^S0ICS>');

    // Someone with no business speaking for the run: refused, no modal.
    const opened = rb.bot.fake.callsTo('views.open').length;
    await rb.click(due()[0]!, ActionIds.reachPostUpdate, 'U0OUTSIDER');
    expect(rb.bot.fake.callsTo('views.open')).toHaveLength(opened);
    expect(rb.answers('U0OUTSIDER')).toContain('can post to stakeholders');

    await rb.click(due()[0]!, ActionIds.reachPostUpdate, IC);
    const modal = rb.bot.fake.callsTo('views.open').at(-1)?.args.view as {
      blocks: unknown[];
      callback_id: string;
    };
    expect(modal.callback_id).toBe(ActionIds.reachUpdateView);
    const modalText = JSON.stringify(modal.blocks);
    expect(modalText).toContain(`In 30 min, by 22:42 UTC (${DAY2} 00:42 SAST)`); // prefilled from the cadence
    expect(modalText).toContain('What changed: {{changes}}'); // the runbook's update template
    rb.clock.now = new Date(at(32));
    await rb.submitModal(IC, {
      [ActionIds.reachUpdateStatus]: {
        [ActionIds.reachUpdateStatus]: { type: 'plain_text_input', value: 'Mitig\u202eated' },
      },
      [ActionIds.reachUpdateChanges]: {
        [ActionIds.reachUpdateChanges]: {
          type: 'plain_text_input',
          value: 'Sign-ins work again\u2066 <!channel>\u200b',
        },
      },
      [ActionIds.reachUpdateNext]: {
        [ActionIds.reachUpdateNext]: { type: 'static_select', selected_option: { value: '30' } },
      },
    });
    const update = stakeholderPosts(rb)[1]!;
    const text = textOf(update);
    expect(text).toContain('SiteCraft DR failover update: Mitigated');
    expect(text).toContain('What changed: Sign-ins work again &lt;!channel&gt;');
    // Bidi isolates and overrides, zero-width characters: dropped (they would reorder what stakeholders read).
    expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain(`Next update: by 22:42 UTC (${DAY2} 00:42 SAST)`);
    expect(text).toContain(`Posted by Ida Commander at ${DAY1} 22:12 UTC (${DAY2} 00:12 SAST)`);
    expect(text).toContain(`started ${DAY1} 21:40 UTC (23:40 SAST)`);
    expect(text).not.toMatch(/<@|U0IC|\d{8}T\d{6}-[0-9a-f]{6}/);
    expect((await rb.state()).comms?.posts.at(-1)).toMatchObject({ kind: 'update', nextDueAt: at(62) });

    // The next reminder follows the new due time, once.
    await rb.sweepAt(at(61));
    expect(due()).toHaveLength(1);
    await rb.sweepAt(at(62));
    expect(due()).toHaveLength(2);
    expect(rb.limitViolations()).toEqual([]);
  });

  it('posts an update reminder Slack refused with the next sweep, once', async () => {
    rb = await noticePosted();
    const due = () => rb!.thread().filter((m) => hasElement(m, ActionIds.reachPostUpdate));
    const failed = rb.bot.fake.failMethod('chat.postMessage', { ok: false, error: 'internal_error' }, 1);
    await rb.sweepAt(at(31));
    expect(failed.served).toBe(1);
    expect(due()).toHaveLength(0);
    await rb.sweepAt(at(32));
    await rb.sweepAt(at(33));
    expect(due()).toHaveLength(1);
  });

  it('refuses a forged next-update value and an empty change, and posts nothing', async () => {
    rb = await noticePosted();
    await rb.sweepAt(at(31));
    const reminder = rb.thread().find((m) => hasElement(m, ActionIds.reachPostUpdate))!;
    await rb.click(reminder, ActionIds.reachPostUpdate, IC);
    await rb.submitModal(IC, {
      [ActionIds.reachUpdateStatus]: {
        [ActionIds.reachUpdateStatus]: { type: 'plain_text_input', value: 'x' },
      },
      [ActionIds.reachUpdateChanges]: {
        [ActionIds.reachUpdateChanges]: { type: 'plain_text_input', value: ' ' },
      },
      [ActionIds.reachUpdateNext]: {
        [ActionIds.reachUpdateNext]: { type: 'static_select', selected_option: { value: '-5' } },
      },
    });
    expect(stakeholderPosts(rb)).toHaveLength(1);
  });
});

describe('the all-clear', () => {
  it('is offered when the failback completes, posts once, and ends the updates the failover owed', async () => {
    rb = await noticePosted();
    const failover = rb.runId();
    rb.clock.now = new Date(at(10));
    await rb.command('failback', IC);
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'cut-back');
    await rb.click(rb.latestRun(), ActionIds.checklistDone, IC, 'verify-primary');
    const offer = rb.thread().find((m) => hasElement(m, ActionIds.reachPostAllClear));
    expect(offer).toBeDefined();
    expect(textOf(offer!)).toContain('SiteCraft all clear: service restored in');

    rb.clock.now = new Date(at(20));
    await rb.click(offer!, ActionIds.reachPostAllClear, IC);
    await rb.click(offer!, ActionIds.reachPostAllClear, IC); // a second press: nothing more
    const allClear = stakeholderPosts(rb).filter((m) => textOf(m).includes('all clear'));
    expect(allClear).toHaveLength(1);
    const text = textOf(allClear[0]!);
    expect(text).toContain(`Failback started by Ida Commander at ${DAY1} 21:50 UTC (23:50 SAST)`);
    expect(text).toContain(`finished at ${DAY1} 22:00 UTC (${DAY2} 00:00 SAST)`);
    expect(text).not.toMatch(/<@|U0IC|\d{8}T\d{6}-[0-9a-f]{6}/);

    // The failover owes no more updates: no reminder at its due time.
    expect((await rb.store.store.getRun(failover))?.state.comms?.closed).toMatchObject({
      reason: expect.stringContaining('all-clear'),
    });
    await rb.sweepAt(at(31));
    expect(rb.bot.fake.messages.filter((m) => hasElement(m, ActionIds.reachPostUpdate))).toHaveLength(0);
    expect(findElement(offer!, ActionIds.reachPostAllClear).value).toMatch(/\|$/);
  });
});
