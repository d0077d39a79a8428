/**
 * Found in a review (helper-182): a stakeholder channel that rejects the bot (not_in_channel) while the notice or an
 * update is posted. The update is posted where the last post went; a channel that failed once is dropped
 * from every later update, and the person posting the update is not told which channel missed it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Artifact, Checklist, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { hasElement, type ReachBot, startReachBot } from './reach-bot';

const STAKE = 'C0STAKE';
const STAKE2 = 'C0STAKE2';
const IC = 'U0IC';
const NOW = new Date();
const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 9, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

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

const postsIn = (r: ReachBot, channel: string) => r.bot.fake.messages.filter((m) => m.channel === channel);

/** STAKE2 answers not_in_channel while `rejecting()` says so. */
async function started(rejecting: () => boolean): Promise<ReachBot> {
  const r = await startReachBot({
    artifact: await artifact(),
    env: { STAKEHOLDER_CHANNELS: `${STAKE},${STAKE2}` },
    now: new Date(T0),
  });
  r.bot.fake.handleMethod('chat.postMessage', (args) =>
    args['channel'] === STAKE2 && rejecting() ? { ok: false, error: 'not_in_channel' } : undefined,
  );
  await r.command('failover', IC);
  r.clock.now = new Date(at(1));
  return r;
}

async function postUpdate(r: ReachBot): Promise<void> {
  await r.sweepAt(at(31));
  const reminder = r.thread().find((m) => hasElement(m, ActionIds.reachPostUpdate))!;
  expect(reminder).toBeDefined();
  await r.click(reminder, ActionIds.reachPostUpdate, IC);
  r.clock.now = new Date(at(32));
  await r.submitModal(IC, {
    [ActionIds.reachUpdateStatus]: {
      [ActionIds.reachUpdateStatus]: { type: 'plain_text_input', value: 'Mitigated' },
    },
    [ActionIds.reachUpdateChanges]: {
      [ActionIds.reachUpdateChanges]: { type: 'plain_text_input', value: 'Sign-ins work again' },
    },
    [ActionIds.reachUpdateNext]: {
      [ActionIds.reachUpdateNext]: { type: 'static_select', selected_option: { value: '30' } },
    },
  });
}

describe('a stakeholder channel that rejects the bot', () => {
  it('still gets the next update once the bot is invited after the notice missed it', async () => {
    let rejecting = true;
    rb = await started(() => rejecting);
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    expect(postsIn(rb, STAKE)).toHaveLength(1);
    expect(postsIn(rb, STAKE2)).toHaveLength(0);
    // The notice told the IC; someone invites the bot to the channel.
    rejecting = false;
    await postUpdate(rb);
    expect(postsIn(rb, STAKE)).toHaveLength(2);
    // STAKEHOLDER_CHANNELS names it: the update must reach it (it is silently dropped for good).
    expect(postsIn(rb, STAKE2)).toHaveLength(1);
  });

  it('tells the person posting an update which stakeholder channel did not get it', async () => {
    let rejecting = false;
    rb = await started(() => rejecting);
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
    expect(postsIn(rb, STAKE2)).toHaveLength(1);
    // The bot is removed from (or the channel archived) between the notice and the update.
    rejecting = true;
    const before = rb.thread().length;
    await postUpdate(rb);
    expect(postsIn(rb, STAKE)).toHaveLength(2);
    expect(postsIn(rb, STAKE2)).toHaveLength(1);
    // What the IC reads after submitting: their answers and the thread's new note (it names <#C0STAKE> only).
    const told = `${rb.answers(IC)}\n${rb
      .thread()
      .slice(before)
      .filter((m) => !hasElement(m, ActionIds.reachPostUpdate)) // the reminder names the last post's channels
      .map((m) => JSON.stringify(m.blocks ?? m.text))
      .join('\n')}`;
    expect(told).toContain(STAKE2);
  });
});
