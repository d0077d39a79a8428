/**
 * A live run with a two-person action, as the authorization tests drive it through apply(): build (with
 * evidence), the gate `ops` (DevOps and the Business Owner), failover (`action=`), notify. Bound to team T1
 * and channel C1; contexts dated one second apart from 2024-05-01T10:00:00Z.
 */
import type { Actor } from '../../src/workflows/authorize';
import type { ApplyResult, CommandContext } from '../../src/workflows/checklist';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { gate, promotion, STARTER, step } from './fixtures';

/** Where the contexts' clock starts (epoch ms). */
export const T0 = Date.parse('2024-05-01T10:00:00.000Z');
let tick = 0;
/** The next instant, one second after the last. */
export const at = () => new Date(T0 + ++tick * 1000).toISOString();
/** Moves the contexts' clock on by `seconds` (a lease running out). */
export const advance = (seconds: number) => {
  tick += seconds;
};

export function liveRun(directives: Record<string, string> = { action: 'route53-failover' }): RunState {
  return createRunState({
    runId: '20240501T100000-abc123',
    checklist: {
      ...promotion,
      items: [
        step(1, 'build', { evidence: 'primary-health' }),
        gate('ops', ['devops', 'business-owner']),
        step(2, 'failover', directives),
        step(3, 'notify'),
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

export const who = (user: string, roles: string[] = [], extra: Partial<Actor> = {}): Actor => ({
  user,
  roles,
  team: 'T1',
  enterprise: null,
  channel: 'C1',
  ...extra,
});

/**
 * A click's context, at the next instant, with a fresh key. The requester still holds the role they asked
 * with unless `requesterRoles` (or the actor's own) says otherwise.
 */
export const ctxOf = (a: Actor, requesterRoles: string[] = ['devops', 'business-owner']): CommandContext => ({
  requesterRoles,
  ...a,
  at: at(),
  key: `k${tick}-${Math.random()}`,
});

/** The state of an applied command; a refusal fails the test with its reason. */
export function ok(result: ApplyResult): RunState {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.state;
}
