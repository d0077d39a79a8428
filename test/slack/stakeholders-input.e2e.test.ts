/**
 * What people type into the stakeholder update modal (found in a review, helper-161). docs/security.md: "A forged 'next update'
 * value in the update modal | only the offered minutes are accepted"; rule 5: user text is escaped and
 * verbatim.
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

describe('the stakeholder update modal ', () => {
  it('refuses a next-update value the modal never offered (24 h: the reminders go quiet for a day)', async () => {
    rb = await reminderShown();
    const offered = JSON.stringify(rb.bot.fake.callsTo('views.open').at(-1)?.args.view);
    expect(offered).not.toContain('"value":"1440"');

    await rb.submitModal(IC, submission('Sign-ins work again', '1440'));

    // Only the notice: the forged value is refused as -5 is.
    expect(stakeholderPosts(rb)).toHaveLength(1);
    expect((await rb.state()).comms?.posts.at(-1)?.kind).toBe('notice');
  });

  it('posts what the person typed in a verbatim text object', async () => {
    rb = await reminderShown();

    await rb.submitModal(IC, submission('See #general and https://evil.example/login', '30'));

    const update = stakeholderPosts(rb)[1]!;
    const blocks = JSON.parse(JSON.stringify(update.blocks)) as {
      text?: { text: string; verbatim?: boolean };
    }[];
    const echo = blocks.find((b) => b.text?.text.includes('evil.example'))!;
    expect(echo.text!.verbatim).toBe(true);
  });

  it('escapes a name once in the notice: "R&D Ops" reaches stakeholders as R&D Ops, not R&amp;D Ops', async () => {
    rb = await startReachBot({
      artifact: await artifact(),
      env: { STAKEHOLDER_CHANNELS: STAKE },
      now: new Date(T0),
    });
    rb.bot.fake.profiles.set(IC, { real_name: 'R&D Ops', display_name: 'R&D Ops' });
    await rb.command('failover', IC);
    rb.clock.now = new Date(at(1));
    await rb.click(rb.latestRun(), ActionIds.awsNotifyPost, IC, 'notify-stakeholders');

    const notice = stakeholderPosts(rb)[0]!;
    const shown = JSON.stringify(notice.blocks);
    // mrkdwn escaped once (`&amp;`) shows `&`; escaped twice it shows `&amp;` to every stakeholder.
    expect(shown).toContain('Started by R&amp;D Ops');
    expect(shown).not.toContain('&amp;amp;');
  });
  it('keeps the last lines of an update whose typed text grows past a section when escaped', async () => {
    rb = await reminderShown();

    // 1,000 typed characters, 5,000 once escaped: more than one section (3,000) holds.
    await rb.submitModal(IC, submission('&'.repeat(999) + '<', '30'));

    const update = stakeholderPosts(rb)[1]!;
    const texts = (update.blocks as { text?: { text: string; verbatim?: boolean } }[]).map((b) => b.text!);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) {
      expect(t.text.length).toBeLessThanOrEqual(3000);
      expect(t.verbatim).toBe(true);
      // Never cut inside an entity: every '&' starts a whole one.
      expect(t.text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
    const all = texts.map((t) => t.text).join('\n');
    expect(all.match(/&amp;/g)).toHaveLength(999);
    expect(all).toContain('&lt;');
    expect(all).toContain('Posted by');
  });
});
