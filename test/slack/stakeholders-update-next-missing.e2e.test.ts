/**
 * Found in a review (helper-211): the stakeholder update modal with no "next update" picked (the select's
 * value left out of the submission). onUpdateSubmitted (src/slack/features/reach/stakeholders.ts) read it as
 * Number('') = 0, which is offered ("No further updates planned"): the update was posted to stakeholders
 * promising no further updates and the reminders stopped, where a missing answer is refused in the modal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Artifact, Checklist, StepItem } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { loadTestArtifact } from '../helpers/artifact';
import { hasElement, type ReachBot, startReachBot } from './reach-bot';

const STAKE = 'C0STAKE';
const IC = 'U0IC';
const NOW = new Date();
const T0 = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() + 1, 21, 40);

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

async function artifact(): Promise<Artifact> {
  const real = await loadTestArtifact();
  return { ...real, checklists: [INCIDENT] };
}

let rb: ReachBot | undefined;
afterEach(async () => {
  await rb?.close();
  rb = undefined;
});

const stakeholderPosts = (r: ReachBot) => r.bot.fake.messages.filter((m) => m.channel === STAKE);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function reminderShown(): Promise<ReachBot> {
  const r = await startReachBot({
    artifact: await artifact(),
    env: { STAKEHOLDER_CHANNELS: STAKE },
    now: new Date(T0),
  });
  await r.command('failover', IC);
  r.clock.now = new Date(at(1));
  await r.click(r.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');
  await r.sweepAt(at(31));
  const reminder = r.thread().find((m) => hasElement(m, ActionIds.reachPostUpdate))!;
  await r.click(reminder, ActionIds.reachPostUpdate, IC);
  r.clock.now = new Date(at(32));
  return r;
}

const submission = (changes: string, next: string) => ({
  [ActionIds.reachUpdateStatus]: {
    [ActionIds.reachUpdateStatus]: { type: 'plain_text_input', value: 'Mitigated' },
  },
  [ActionIds.reachUpdateChanges]: {
    [ActionIds.reachUpdateChanges]: { type: 'plain_text_input', value: changes },
  },
  [ActionIds.reachUpdateNext]: {
    [ActionIds.reachUpdateNext]: { type: 'static_select', selected_option: { value: next } },
  },
});

describe('the stakeholder update modal', () => {
  it('refuses a submission that picked no next update, in the modal, and posts nothing', async () => {
    rb = await reminderShown();
    const values = submission('Sign-ins work again', '30');
    delete (values as Record<string, unknown>)[ActionIds.reachUpdateNext];

    await rb.submitModal(IC, values);

    expect(stakeholderPosts(rb)).toHaveLength(1);
    expect((await rb.state()).comms?.posts.at(-1)?.kind).toBe('notice');
  });
});
