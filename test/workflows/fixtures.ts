/** A small checklist with two gates, built by hand so the state machine is tested apart from the compiler. */

import type { Checklist, GateItem, StepItem } from '../../src/runbooks/model/model';
import { apply, type CommandContext, type RunCommand } from '../../src/workflows/checklist';
import { createRunState, type RunEvent, type RunState } from '../../src/workflows/run-state';

export const step = (n: number, id: string, directives: Record<string, string> = {}): StepItem => ({
  type: 'step',
  id,
  n,
  title: `Step ${id}`,
  markdown: `Do ${id}.`,
  text: `Do ${id}.`,
  sectionId: 'PROMOTION.md#promote',
  phase: null,
  directives,
});

export const gate = (id: string, roles: string[]): GateItem => ({
  type: 'gate',
  id,
  title: `Gate ${id}`,
  roles,
  markdown: `> **Approval gate: ${id}.**`,
  sectionId: 'PROMOTION.md#promote',
});

/** build → test → [gate qa: security, architecture] → release → [gate go: business-owner] → verify. */
export const promotion: Checklist = {
  id: 'promote-sit-prod',
  title: 'Promote SIT → PROD',
  commands: ['promote sit prod'],
  sectionId: 'PROMOTION.md#promote',
  records: null,
  directives: {},
  items: [
    step(1, 'build'),
    step(2, 'test'),
    gate('qa', ['security', 'architecture']),
    step(3, 'release'),
    gate('go', ['business-owner']),
    step(4, 'verify'),
  ],
};

export const STARTER = 'UIC';
/** In `newRunId`'s format, as buttons carry it. */
export const RUN = '20240501T100000-abc123';

export function newRun(overrides: Partial<RunState> = {}): RunState {
  return {
    ...createRunState({
      runId: RUN,
      checklist: promotion,
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    }),
    ...overrides,
  };
}

let clock = 0;
/** A context at a fresh time and key for each call. */
export function ctx(user: string, roles: string[] = [], extra: Partial<CommandContext> = {}): CommandContext {
  clock++;
  const at = new Date(Date.parse('2024-05-01T10:00:00.000Z') + clock * 1000).toISOString();
  // A click in the run's channel (C1), from no particular workspace (newRun records none).
  return { user, at, key: `k${clock}`, roles, channel: 'C1', ...extra };
}

/** Apply commands at given minutes after 10:00 on 2024-05-01, collecting the events as the store would. */
export function play(
  steps: [minute: number, user: string, command: RunCommand, roles?: string[]][],
  start: RunState = newRun(),
): { state: RunState; events: RunEvent[] } {
  let state = start;
  const events: RunEvent[] = [];
  steps.forEach(([minute, user, command, roles = []], i) => {
    const at = new Date(Date.parse('2024-05-01T10:00:00.000Z') + minute * 60_000).toISOString();
    const result = apply(state, command, { user, at, key: `k${i}`, roles, channel: 'C1' });
    events.push(...result.events);
    if (result.ok) state = result.state;
  });
  return { state, events };
}

/** A Route 53 change batch as a failover note carries it (the timeline attaches it as JSON). */
export const ROUTE53_BATCH = {
  Comment: 'failover to eu-west-1',
  Changes: [
    {
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: 'api.example.',
        Type: 'A',
        Failover: 'PRIMARY',
        AliasTarget: { DNSName: 'd-eu.example.' },
      },
    },
  ],
};
