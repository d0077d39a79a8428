/**
 * Who is asked to sign (src/workflows/invites.ts), the bot's bookkeeping of it (reach-commands.ts), the
 * DM acceptance it gives authorize(), and the timers derived from the run (timers.ts). Pure, no Slack.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/runbooks/model/durations';
import { type Actor, authorize } from '../../src/workflows/authorize';
import { type ApplyResult, apply, type CommandContext } from '../../src/workflows/checklist';
import { awaitingSignatures, gateOpenedAt, planInvites } from '../../src/workflows/invites';
import { audienceTime, parseLocalZone } from '../../src/workflows/notice';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { isWatched, nextUpdateDue } from '../../src/workflows/stakeholders';
import { DEFAULT_REMIND, dueTimers } from '../../src/workflows/timers';
import { gate, promotion, RUN, STARTER, step } from './fixtures';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
let tick = 0;
const at = () => new Date(T0 + ++tick * 1000).toISOString();

const MEMBERS: Record<string, string[]> = {
  security: ['USEC', 'USEC2'],
  architecture: ['UARCH', STARTER],
  'business-owner': ['UBIZ'],
  devops: ['UDEV'],
};

function run(): RunState {
  return createRunState({
    runId: RUN,
    checklist: {
      ...promotion,
      items: [
        step(1, 'build'),
        { ...gate('qa', ['security', 'architecture']), directives: { remind: '10m', escalate: 'L3' } },
        step(2, 'release', { action: 'route53-failover' }),
      ],
    },
    drill: false,
    startedBy: STARTER,
    startedAt: '2024-05-01T10:00:00.000Z',
    channel: 'C1',
    team: 'T1',
    enterprise: null,
  });
}

const actor = (user: string, roles: string[], extra: Partial<Actor> = {}): Actor => ({
  user,
  roles,
  team: 'T1',
  enterprise: null,
  channel: 'C1',
  ...extra,
});
const ctx = (a: Actor, time = at()): CommandContext => ({ ...a, at: time, key: `k${++tick}` });
const bot = (time = at()): CommandContext => ({
  user: 'UBOT',
  at: time,
  key: `bot${++tick}`,
  system: true,
});

function ok(result: ApplyResult): RunState {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.state;
}

/** build done at 10:05: the gate opens then. */
function gateOpen(): RunState {
  return ok(
    apply(run(), { type: 'done', stepId: 'build' }, ctx(actor(STARTER, []), '2024-05-01T10:05:00.000Z')),
  );
}

function invited(state: RunState): RunState {
  const plan = planInvites(state, (r) => MEMBERS[r] ?? [], '2024-05-01T10:05:01.000Z');
  return ok(apply(state, { type: 'invites', ...plan }, bot()));
}

describe('who is invited', () => {
  it('asks every member of the missing roles, but never the starter, and nobody before the gate opens', () => {
    expect(planInvites(run(), (r) => MEMBERS[r] ?? [], at()).open).toEqual([]);
    const open = gateOpen();
    expect(gateOpenedAt(open, 1)).toBe('2024-05-01T10:05:00.000Z');
    const plan = planInvites(open, (r) => MEMBERS[r] ?? [], at());
    expect(plan.open.map((i) => i.user).sort()).toEqual(['UARCH', 'USEC', 'USEC2']);
    expect(plan.open.every((i) => i.target === 'gate:qa' && i.status === 'open')).toBe(true);
    expect(plan.close).toEqual([]);
  });

  it('closes the invites of a role once someone signed it, and of the signer', () => {
    let s = invited(gateOpen());
    s = ok(apply(s, { type: 'approve', gateId: 'qa' }, ctx(actor('USEC', ['security']))));
    const plan = planInvites(s, (r) => MEMBERS[r] ?? [], at());
    const closing = plan.close.map((id) => s.invites!.find((i) => i.id === id)!.user).sort();
    expect(closing).toEqual(['USEC', 'USEC2']);
    expect(plan.open).toEqual([]);
  });

  it('records a plan once, even when it is applied again on a newer version', () => {
    const s = gateOpen();
    const plan = planInvites(s, (r) => MEMBERS[r] ?? [], at());
    const once = ok(apply(s, { type: 'invites', ...plan }, bot()));
    const again = apply(once, { type: 'invites', ...plan }, bot());
    expect(again.ok).toBe(false);
    expect(once.invites).toHaveLength(3);
  });

  it('refuses the bookkeeping commands from anyone but the bot', () => {
    const s = gateOpen();
    const plan = planInvites(s, (r) => MEMBERS[r] ?? [], at());
    const refused = apply(s, { type: 'invites', ...plan }, ctx(actor('USEC', ['security'])));
    expect(refused).toMatchObject({ ok: false, code: 'not_allowed' });
    const dm = apply(s, { type: 'invite_dms', dms: [] }, ctx(actor(STARTER, [])));
    expect(dm).toMatchObject({ ok: false, code: 'not_allowed' });
  });

  it('invites the approvers of a pending live-action request, not its requester', () => {
    let s = invited(gateOpen());
    s = ok(apply(s, { type: 'approve', gateId: 'qa' }, ctx(actor('USEC', ['security']))));
    s = ok(apply(s, { type: 'approve', gateId: 'qa' }, ctx(actor('UARCH', ['architecture']))));
    s = ok(
      apply(
        s,
        { type: 'request', stepId: 'release', requestId: 'a1b2c3d4e5f60718', kind: 'route53-failover' },
        ctx(actor('USEC2', ['security'])),
      ),
    );
    const awaiting = awaitingSignatures(s);
    expect(awaiting.map((a) => a.target)).toEqual(['request:a1b2c3d4e5f60718']);
    const plan = planInvites(s, (r) => MEMBERS[r] ?? [], at());
    // security and architecture (the gate's roles), minus the requester; the passed gate's invites close.
    expect(plan.open.map((i) => i.user).sort()).toEqual([STARTER, 'UARCH', 'USEC'].sort());
    expect(plan.close.sort()).toEqual(s.invites!.map((i) => i.id).sort());
  });
});

describe('clicks from an approval DM', () => {
  function withDms(): RunState {
    const s = invited(gateOpen());
    const dms = s.invites!.map((i) => ({ id: i.id, channel: `D${i.user}`, ts: '1.1', shown: 'x' }));
    return ok(apply(s, { type: 'invite_dms', dms }, bot()));
  }

  it('counts the DM the bot sent this person for this run as the run’s channel, for its decisions only', () => {
    const s = withDms();
    const fromDm = actor('USEC', ['security'], { channel: 'DUSEC' });
    expect(authorize(s, { type: 'approve_gate', gateId: 'qa' }, fromDm, at())).toMatchObject({ ok: true });
    expect(authorize(s, { type: 'reject_gate', gateId: 'qa' }, fromDm, at())).toMatchObject({ ok: true });
    // Not for anything else the DM does not offer.
    expect(authorize(s, { type: 'done', stepId: 'release' }, fromDm, at())).toMatchObject({
      code: 'wrong_channel',
    });
    expect(authorize(s, { type: 'export_timeline' }, fromDm, at())).toMatchObject({ code: 'wrong_channel' });
  });

  it('refuses another person’s DM, a DM of no invite, and a Home tab of someone never invited', () => {
    const s = withDms();
    const approve = { type: 'approve_gate', gateId: 'qa' } as const;
    // UARCH clicking in USEC's DM channel cannot happen in Slack; the check does not rely on that.
    expect(authorize(s, approve, actor('UARCH', ['architecture'], { channel: 'DUSEC' }), at())).toMatchObject(
      {
        code: 'wrong_channel',
      },
    );
    expect(authorize(s, approve, actor('UBIZ', ['architecture'], { channel: 'DUBIZ' }), at())).toMatchObject({
      code: 'wrong_channel',
    });
    expect(
      authorize(s, approve, actor('UBIZ', ['architecture'], { channel: null, home: true }), at()),
    ).toMatchObject({ code: 'wrong_channel' });
    expect(
      authorize(s, approve, actor('UARCH', ['architecture'], { channel: null, home: true }), at()),
    ).toMatchObject({ ok: true });
  });

  it('still explains a refusal in a DM: already signed, or signed by someone else', () => {
    let s = withDms();
    s = ok(
      apply(s, { type: 'approve', gateId: 'qa' }, ctx(actor('USEC', ['security'], { channel: 'DUSEC' }))),
    );
    const again = authorize(
      s,
      { type: 'approve_gate', gateId: 'qa' },
      actor('USEC', ['security'], { channel: 'DUSEC' }),
      at(),
    );
    expect(again).toMatchObject({ ok: false, code: 'already_signed' });
    const other = authorize(
      s,
      { type: 'approve_gate', gateId: 'qa' },
      actor('USEC2', ['security'], { channel: 'DUSEC2' }),
      at(),
    );
    expect(other).toMatchObject({ ok: false, code: 'role_signed' });
  });
});

describe('timers', () => {
  it('reminds after the gate’s remind=, escalates after twice that, from when the gate opened', () => {
    const s = gateOpen();
    const due = (iso: string) => dueTimers(s, new Date(iso)).map((t) => t.kind);
    expect(due('2024-05-01T10:14:59.000Z')).toEqual([]);
    expect(due('2024-05-01T10:15:00.000Z')).toEqual(['remind']);
    expect(due('2024-05-01T10:25:00.000Z')).toEqual(['remind', 'escalate']);
    const [, escalate] = dueTimers(s, new Date('2024-05-01T10:25:00.000Z'));
    expect(escalate).toMatchObject({ escalateTo: 'L3', target: 'gate:qa', remindMs: 600_000 });
    // The key names the occasion: the same gate opening again later gets new timers.
    expect(escalate?.key).toBe(`escalate:${RUN}:gate:qa:2024-05-01T10:05:00.000Z`);
  });

  it('waits the documented default when the runbook says nothing, and stops when nothing waits', () => {
    const plain = createRunState({
      runId: RUN,
      checklist: promotion,
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    let s = ok(
      apply(plain, { type: 'done', stepId: 'build' }, ctx(actor(STARTER, []), '2024-05-01T10:00:00.000Z')),
    );
    s = ok(apply(s, { type: 'done', stepId: 'test' }, ctx(actor(STARTER, []), '2024-05-01T10:00:00.000Z')));
    const defaultMs = parseDuration(DEFAULT_REMIND)!;
    expect(dueTimers(s, new Date(T0 + defaultMs - 1))).toEqual([]);
    expect(dueTimers(s, new Date(T0 + defaultMs)).map((t) => t.kind)).toEqual(['remind']);
    const cancelled = ok(apply(s, { type: 'cancel', reason: 'x' }, ctx(actor(STARTER, []))));
    expect(dueTimers(cancelled, new Date(T0 + 10 * defaultMs))).toEqual([]);
  });

  it('reminds when the next stakeholder update is due, until the all-clear', () => {
    let s = gateOpen();
    s = {
      ...s,
      comms: {
        posts: [
          {
            kind: 'notice',
            template: 'failover-notice',
            at: '2024-05-01T10:06:00.000Z',
            by: STARTER,
            channels: ['C9'],
            nextDueAt: '2024-05-01T10:36:00.000Z',
          },
        ],
      },
    };
    expect(nextUpdateDue(s)).toBe('2024-05-01T10:36:00.000Z');
    expect(dueTimers(s, new Date('2024-05-01T10:36:00.000Z')).map((t) => t.kind)).toContain('update');
    const completed = { ...s, status: 'completed' as const };
    expect(isWatched(completed)).toBe(true);
    const closed = ok(apply(completed, { type: 'close_comms', reason: 'all clear' }, bot()));
    expect(nextUpdateDue(closed)).toBeNull();
    expect(isWatched(closed)).toBe(false);
  });
});

describe('stakeholder actions', () => {
  it('lets the starter or a gate role post updates after a notice, also on a completed run', () => {
    const s = gateOpen();
    expect(authorize(s, { type: 'post_update' }, actor(STARTER, []), at())).toMatchObject({
      code: 'unknown_item',
    });
    const noticed: RunState = {
      ...s,
      status: 'completed',
      comms: { posts: [{ kind: 'notice', template: 't', at: at(), by: STARTER, channels: ['C9'] }] },
    };
    expect(authorize(noticed, { type: 'post_update' }, actor(STARTER, []), at())).toEqual({ ok: true });
    expect(authorize(noticed, { type: 'post_update' }, actor('UARCH', ['architecture']), at())).toEqual({
      ok: true,
    });
    expect(authorize(noticed, { type: 'post_update' }, actor('UOUT', []), at())).toMatchObject({
      code: 'not_allowed',
    });
    expect(authorize(noticed, { type: 'post_all_clear' }, actor(STARTER, []), at())).toEqual({ ok: true });
    expect(authorize(s, { type: 'post_all_clear' }, actor(STARTER, []), at())).toMatchObject({
      code: 'not_current',
    });
  });
});

describe('times as stakeholders read them', () => {
  it('writes UTC and the runbook’s local zone, with the local date when it differs', () => {
    const sast = parseLocalZone('SAST=Africa/Johannesburg');
    expect(sast).toEqual({ label: 'SAST', timeZone: 'Africa/Johannesburg' });
    expect(audienceTime('2025-03-01T10:04:00.000Z', sast)).toBe('2025-03-01 10:04 UTC (12:04 SAST)');
    expect(audienceTime('2025-03-01T23:30:00.000Z', sast)).toBe(
      '2025-03-01 23:30 UTC (2025-03-02 01:30 SAST)',
    );
    expect(audienceTime('2025-03-01T10:04:00.000Z', null, { withDate: false })).toBe('10:04 UTC');
    expect(parseLocalZone('SAST=Nowhere/Atlantis')).toBeNull();
    expect(parseLocalZone(undefined)).toBeNull();
  });
});
