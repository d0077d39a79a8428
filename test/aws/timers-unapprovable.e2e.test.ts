/**
 * Found in a review (helper-205): the timers (reminders, escalations) for live-action requests nobody can carry out.
 * `awaitingSignatures` (src/workflows/invites.ts) lists every pending request on the current step; the sweep
 * reminds and escalates it without asking whether an approval could still stand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import type { Artifact } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { runTimers } from '../../src/slack/timers';
import { writeApprovers } from '../workflows/checklist-bot';
import { RECORDS } from './fixtures';
import { type StepsBot, startStepsBot } from './steps-bot';

const ALICE = 'U0ALICE';
const LEAVER = 'U0LEAVER';
const APPROVERS = `
roles:
  devops: [U0DEVOPS, S0DEVOPS]
  security: [U0SEC]
  architecture: [U0ARCH]
  business-owner: [U0BIZ]
`;

let sb: StepsBot | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await sb?.close();
  sb = undefined;
});

const text = (m: { text?: string; blocks?: unknown[] }) =>
  `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`;

async function pendingRequest(s: StepsBot, requester: string) {
  await s.command('failover', ALICE);
  await s.openRoute53Step(ALICE);
  await s.click(s.run(), ActionIds.awsRoute53Execute, requester, 'update-route-53');
  await s.waitFor('approval request', () =>
    s.thread().find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve)),
  );
  await s.settle();
  const asked = Object.values((await s.store.store.getRun(s.runId()))!.state.requests ?? {})[0]!;
  expect(asked.status).toBe('pending');
  return asked;
}

async function sweepAfter(s: StepsBot, ms: number) {
  vi.setSystemTime(Date.now() + ms);
  s.clock.now = new Date(s.clock.now.getTime() + ms);
  await runTimers(s.bot.deps);
  await s.settle();
}

const reminders = (s: StepsBot) =>
  s.thread().filter((m) => /:alarm_clock:|:rotating_light:/.test(text(m)) && /change request/i.test(text(m)));

describe('timers for a request nobody can approve any more', () => {
  it('does not remind or escalate a request whose requester lost the role (every approval is refused)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sim = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    sb.bot.fake.usergroups.set('S0DEVOPS', [LEAVER]);
    await pendingRequest(sb, LEAVER);
    // LEAVER leaves @devops; an approval is now refused (requester-left-role.e2e). Three hours pass.
    sb.bot.fake.usergroups.set('S0DEVOPS', []);
    await sweepAfter(sb, 3 * 60 * 60_000);
    expect(reminders(sb).map((m) => m.text)).toEqual([]);
  });

  it('does not remind or escalate a pending request after a deploy changed the runbook (its execution is refused)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sim = createSimulatedGateway(loadScenario('primary-down'), {
      records: RECORDS,
      now: () => new Date(),
    });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    await pendingRequest(sb, 'U0DEVOPS');
    // The deploy: the run's checklist gains a step; the run may no longer act on AWS (runbookChangedSince).
    const deps = sb.bot.deps as { artifact: Artifact };
    const artifact = structuredClone(deps.artifact);
    const run = (await sb.store.store.getRun(sb.runId()))!.state;
    const checklist = artifact.checklists.find((c) => c.id === run.checklistId)!;
    const first = checklist.items.find((i) => i.type === 'step')!;
    checklist.items.push({
      ...structuredClone(first),
      id: 'added-by-deploy',
      title: 'Added by a deploy',
    } as never);
    deps.artifact = artifact;
    await sweepAfter(sb, 3 * 60 * 60_000);
    expect(reminders(sb).map((m) => m.text)).toEqual([]);
  });

  it('(control, passes) after that deploy an approval of the pending request writes nothing and fails it', async () => {
    const sim = createSimulatedGateway(loadScenario('primary-down'), { records: RECORDS });
    sb = await startStepsBot({ gateway: sim, env: { APPROVERS_FILE: writeApprovers(APPROVERS) } });
    const asked = await pendingRequest(sb, 'U0DEVOPS');
    const deps = sb.bot.deps as { artifact: Artifact };
    const artifact = structuredClone(deps.artifact);
    const run = (await sb.store.store.getRun(sb.runId()))!.state;
    const checklist = artifact.checklists.find((c) => c.id === run.checklistId)!;
    const first = checklist.items.find((i) => i.type === 'step')!;
    checklist.items.push({
      ...structuredClone(first),
      id: 'added-by-deploy',
      title: 'Added by a deploy',
    } as never);
    deps.artifact = artifact;
    const request = sb
      .thread()
      .find((m) => JSON.stringify(m.blocks ?? []).includes(ActionIds.awsRoute53Approve))!;
    await sb.click(request, ActionIds.awsRoute53Approve, 'U0BIZ');
    await sb.settle();
    const after = (await sb.store.store.getRun(sb.runId()))!.state.requests?.[asked.id];
    expect(sim.writes).toEqual([]);
    expect(after?.status).toBe('failed');
    expect(after?.lastError).toMatch(/runbook changed/);
  });
});
