/**
 * The reach renderers within Block Kit's limits whatever the store holds: a Home tab with far more waiting
 * gates and runs than fit (100 blocks), an approval DM for a long checklist with long titles and hostile
 * text, the update modal, and the all-clear offer.
 */
import { describe, expect, it } from 'vitest';
import { homeRun, renderHome } from '../../src/slack/render/home';
import { renderInviteDm } from '../../src/slack/render/invite-dm';
import { allClearOffer, updateDueMessage, updateModal } from '../../src/slack/render/stakeholders';
import { awaitingSignatures } from '../../src/workflows/invites';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { slackLimitViolations } from '../helpers/slack-limits';
import { gate, promotion, step } from '../workflows/fixtures';

const LONG = `${'A very long step title with <!channel> & <@U0EVIL> in it '.repeat(4)}`;

function bigRun(i: number): RunState {
  const steps = Array.from({ length: 40 }, (_, k) => ({ ...step(k + 1, `s${k + 1}`), title: `${LONG}${k}` }));
  const state = createRunState({
    runId: `20240501T1000${String(i % 60).padStart(2, '0')}-abc${String(100 + i).slice(-3)}`,
    checklist: {
      ...promotion,
      title: LONG,
      items: [...steps, gate('qa', ['security', 'architecture']), step(41, 'after')],
    },
    drill: false,
    startedBy: 'U0START',
    startedAt: '2024-05-01T10:00:00.000Z',
    channel: 'C1',
  });
  for (const s of steps)
    state.steps[s.id] = { status: 'skipped', by: 'U0START', at: '2024-05-01T10:01:00.000Z', reason: LONG };
  return state;
}

describe('reach renderers stay inside Block Kit’s limits', () => {
  it('a Home tab with 60 waiting gates and 60 runs', () => {
    const runs = Array.from({ length: 60 }, (_, i) => bigRun(i));
    const view = renderHome({
      user: 'U0ARCH',
      roles: ['architecture'],
      waiting: runs.map((run) => ({
        run,
        awaiting: awaitingSignatures(run)[0]!,
        invited: true,
        permalink: `https://example.slack.com/archives/C1/p${'1'.repeat(16)}`,
      })),
      mine: runs.map((r) => homeRun(r, null)),
      recent: runs.map((r) => homeRun(r)),
      checklists: Array.from({ length: 40 }, (_, i) => ({ title: `${LONG}${i}`, commands: [`cmd ${i}`] })),
      runbooks: Array.from({ length: 10 }, (_, i) => ({ title: `Runbook ${i}`, file: `R${i}.md` })),
      repoUrl: 'https://github.com/example/runbooks/blob/main/runbooks',
      command: '/runbook',
      now: '2024-05-01T11:00:00.000Z',
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(slackLimitViolations({ text: 'home', blocks: view.blocks }, { surface: 'modal' })).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('more; open them from their channels');
    expect(JSON.stringify(view.blocks)).not.toContain('<!channel>');
  });

  it('an approval DM for a 40-step checklist, open and closed', () => {
    const run = bigRun(1);
    const invite = {
      id: 'gate:qa:U0ARCH:0',
      target: 'gate:qa',
      user: 'U0ARCH',
      n: 0,
      status: 'open' as const,
      openedAt: run.startedAt,
    };
    const open = renderInviteDm({ run, invite, roles: ['architecture'], permalink: null });
    expect(slackLimitViolations(open)).toEqual([]);
    expect(JSON.stringify(open)).toContain('earlier step(s) done');
    expect(JSON.stringify(open)).not.toContain('<!channel>');
    const cancelled = { ...run, status: 'cancelled' as const, endedBy: 'U0START', endReason: LONG };
    const closed = renderInviteDm({
      run: cancelled,
      invite: { ...invite, status: 'closed' },
      roles: ['architecture'],
      permalink: null,
    });
    expect(slackLimitViolations(closed)).toEqual([]);
    expect(JSON.stringify(closed)).not.toContain('checklist.approve');
  });

  it('an approval DM for a live-action request names only the roles that may approve it', () => {
    const run = createRunState({
      runId: '20240501T100000-abc001',
      checklist: {
        ...promotion,
        items: [step(1, 'assess'), step(2, 'switch', { approve: 'incident-commander devops' })],
      },
      drill: false,
      startedBy: 'U0START',
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    run.requests = {
      a1b2c3d4e5f60718: {
        id: 'a1b2c3d4e5f60718',
        kind: 'route53-failover',
        stepId: 'switch',
        requestedBy: 'U0START',
        requestedAt: '2024-05-01T10:05:00.000Z',
        status: 'pending',
        attempts: 0,
      },
    };
    const invite = {
      id: 'request:a1b2c3d4e5f60718:U0DAVE:0',
      target: 'request:a1b2c3d4e5f60718',
      user: 'U0DAVE',
      n: 0,
      status: 'open' as const,
      openedAt: run.startedAt,
    };
    // Dave is a business owner too, but only his Incident Commander role may approve the switch.
    const dm = renderInviteDm({
      run,
      invite,
      roles: ['business-owner', 'incident-commander'],
      permalink: null,
    });
    expect(JSON.stringify(dm)).toContain('You are asked as Incident Commander (approvers file)');
    // Once approved and carried out, the DM says what became of it in words; a drill wrote nothing.
    run.requests.a1b2c3d4e5f60718 = {
      ...run.requests.a1b2c3d4e5f60718!,
      status: 'succeeded',
      decidedBy: 'U0DAVE',
      decidedAt: '2024-05-01T10:06:00.000Z',
    };
    const done = (drill: boolean) =>
      JSON.stringify(
        renderInviteDm({
          run: { ...run, drill },
          invite: { ...invite, status: 'closed' },
          roles: ['incident-commander'],
          permalink: null,
        }),
      );
    expect(done(false)).toContain('the change was made.');
    expect(done(true)).toContain('a drill: the change was rehearsed, nothing was written.');
  });

  it('the update reminder, the update modal and the all-clear offer', () => {
    expect(
      slackLimitViolations(
        updateDueMessage({
          runId: '20240501T100000-abc123',
          who: '<!subteam^S0ICS>',
          cadence: '30 min',
          lastAt: 'x',
          channels: ['C1', 'C2'],
        }),
      ),
    ).toEqual([]);
    const modal = updateModal({
      metadata: 'm'.repeat(500),
      status: LONG,
      nextOptions: [
        { minutes: 30, label: LONG },
        { minutes: 0, label: 'No further updates planned' },
      ],
      channels: ['C1'],
      template: LONG.repeat(20),
    });
    expect(slackLimitViolations({ text: 'modal', blocks: modal.blocks }, { surface: 'modal' })).toEqual([]);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(
      slackLimitViolations(
        allClearOffer({ runId: '20240501T100000-abc123', preview: LONG.repeat(10), channels: ['C1'] }),
      ),
    ).toEqual([]);
  });
});
