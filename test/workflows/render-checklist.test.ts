import { describe, expect, it } from 'vitest';
import type { Checklist } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { context } from '../../src/slack/render/blocks';
import { decodeItemValue, EXPANDED_STEPS, renderChecklist } from '../../src/slack/render/checklist';
import { eventLine, threadMessage } from '../../src/slack/render/checklist-thread';
import { apply, type RunCommand } from '../../src/workflows/checklist';
import { createRunState, type RunState } from '../../src/workflows/run-state';
import { loadTestArtifact } from '../helpers/artifact';
import { allText, buttons, expectWithinLimits } from './block-limits';
import { ctx, gate, newRun, promotion, STARTER, step } from './fixtures';

function must(state: RunState, command: RunCommand, user: string, roles: string[] = []): RunState {
  const result = apply(state, command, ctx(user, roles));
  if (!result.ok) throw new Error(result.reason);
  return result.state;
}

/** A deploy-sized checklist: 60 long-titled steps in 3 phases, with 3 gates between them. */
function huge(): Checklist {
  const items: Checklist['items'] = [];
  for (let i = 1; i <= 60; i++) {
    items.push({
      ...step(i, `s${i}`),
      title: `Step ${i}: ${'apply the Terraform plan for the backend and check the outputs '.repeat(2).trim()}`,
      text: 'Run `terraform apply` and compare the outputs with the plan. '.repeat(12),
      phase: i <= 20 ? 'Backend (Lambda)' : i <= 40 ? 'Frontend (CloudFront)' : 'Verification',
    });
    if (i % 20 === 0 && i < 60) items.push(gate(`g${i}`, ['security', 'architecture', 'business-owner']));
  }
  return { ...promotion, id: 'huge', title: 'A very long deploy checklist', items };
}

describe('renderChecklist', () => {
  it('shows title, starter, progress and a Done button per expanded step', () => {
    const message = renderChecklist(newRun());
    expectWithinLimits(message);
    const text = allText(message);
    expect(text).toContain('Promote SIT → PROD');
    expect(text).toContain(`Started by <@${STARTER}>`);
    expect(text).toContain('*0 of 4* steps done');
    const done = buttons(message).filter((b) => b.action_id === ActionIds.checklistDone);
    // build is current; test comes after it (Done only out of order, with a reason); release and verify
    // are locked behind gates.
    expect(done.map((b) => decodeItemValue(b.value)?.itemId)).toEqual(['build']);
    for (const b of done) expect(b.text.text.startsWith('Done')).toBe(true);
    const later = buttons(message).filter((b) => b.action_id === ActionIds.checklistDoneAnyway);
    expect(later.map((b) => [decodeItemValue(b.value)?.itemId, b.text.text])).toEqual([
      ['test', 'Done out of order…'],
    ]);
    expect(text).toContain('_Comes after 1. Step build, not done yet._');
    expect(text).toContain(':lock: 3. Step release');
  });

  it('says how many earlier steps a step waits for without running the count into a title', () => {
    const state = createRunState({
      runId: '20240501T100000-000002',
      checklist: { ...promotion, items: [step(1, 'build'), step(2, 'test'), step(3, 'release')] },
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    const text = allText(renderChecklist(state));
    expect(text).toContain('_Comes after 1. Step build, not done yet._');
    // "after 1. Stop the pipeline and announce and 1 more" read as one title.
    expect(text).toContain('_Comes after 1. Step build, not done yet (nor 1 more step before this one)._');
  });

  it('offers no Undo that could only be refused: not for a step with a signed gate after it', () => {
    let state = must(newRun(), { type: 'done', stepId: 'build' }, 'U01');
    state = must(state, { type: 'done', stepId: 'test' }, 'U02');
    const before = buttons(renderChecklist(state)).filter((b) =>
      [ActionIds.checklistUndo, ActionIds.checklistUndoPick].includes(b.action_id),
    );
    expect(before.length).toBeGreaterThan(0);
    // One signature on the gate after steps 1 and 2: undoing either is refused, so neither is offered.
    const gateId = state.items.find((i) => i.type === 'gate')!.id;
    const role = state.items.find((i) => i.type === 'gate' && i.id === gateId)!;
    state = must(state, { type: 'approve', gateId }, 'U0SIGN', role.type === 'gate' ? [role.roles[0]!] : []);
    const message = renderChecklist(state);
    expect(JSON.stringify(message.blocks)).not.toContain(ActionIds.checklistUndo);
    expect(JSON.stringify(message.blocks)).not.toContain(ActionIds.checklistUndoPick);
  });

  it('shows who did a step and when, compactly, with Undo', () => {
    const state = must(newRun(), { type: 'done', stepId: 'build' }, 'U01');
    const message = renderChecklist(state);
    const text = allText(message);
    expect(text).toMatch(
      /:white_check_mark: 1\. Step build — <@U01> <!date\^\d+\^\{time\}\|2024-05-01 \d\d:\d\d UTC>/,
    );
    expect(buttons(message).find((b) => b.action_id === ActionIds.checklistUndo)?.text.text).toBe(
      'Undo step 1',
    );
    expect(buttons(message).filter((b) => b.action_id === ActionIds.checklistDone)).toHaveLength(1);
  });

  it('offers Approve and Reject on the open gate, listing roles signed and waiting', () => {
    let state = must(newRun(), { type: 'done', stepId: 'build' }, 'U01');
    state = must(state, { type: 'done', stepId: 'test' }, 'U01');
    state = must(state, { type: 'approve', gateId: 'qa' }, 'USEC', ['security']);
    const message = renderChecklist(state);
    expectWithinLimits(message);
    const ids = buttons(message).map((b) => b.action_id);
    expect(ids).toContain(ActionIds.checklistApprove);
    expect(ids).toContain(ActionIds.checklistReject);
    const text = allText(message);
    expect(text).toContain('Security: <@USEC>');
    expect(text).toContain('Architecture: waiting');
  });

  it('names roles as the runbook writes them', () => {
    const checklist: Checklist = {
      ...promotion,
      items: [
        {
          ...gate('go', ['devops', 'business-owner']),
          markdown: '> **Approval gate: go.** Approvers: DevOps, Business Owner.',
        },
        step(1, 'after'),
      ],
    };
    const state = createRunState({
      runId: '20240501T100000-000001',
      checklist,
      drill: false,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    expect(state.roleNames).toEqual({ devops: 'DevOps', 'business-owner': 'Business Owner' });
    expect(allText(renderChecklist(state))).toContain(':hourglass_flowing_sand: DevOps: waiting');
    // A refusal records the clicker's roles as ids (`devops,business-owner`, or `none`): the thread names them.
    const refused = (role: string) =>
      eventLine(state, {
        id: 'e1',
        runId: state.runId,
        type: 'refused',
        action: 'approve',
        gateId: 'go',
        user: 'U0OUTSIDER1',
        role,
        reason: 'You started this run, so you cannot approve it.',
        at: '2024-05-01T10:01:00.000Z',
        version: state.version,
      });
    expect(refused('devops,business-owner')).toContain(
      '<@U0OUTSIDER1> (DevOps, Business Owner) tried to approve',
    );
    expect(refused('none')).toContain('<@U0OUTSIDER1> (no role) tried to approve');
  });

  it('escapes user text (skip reasons) so it cannot ping or link', () => {
    const state = must(
      newRun(),
      { type: 'skip', stepId: 'build', reason: '<!channel> see <http://evil|here> & more' },
      'U01',
    );
    const text = allText(renderChecklist(state));
    expect(text).toContain('&lt;!channel&gt; see &lt;http://evil|here&gt; &amp; more');
    expect(text).not.toContain('<!channel>');
  });

  it('marks a drill as DRILL in the header and the context line', () => {
    const message = renderChecklist(newRun({ drill: true }));
    expect((message.blocks[0] as { text: { text: string } }).text.text).toBe('[DRILL] Promote SIT → PROD');
    expect(allText(message)).toContain('*DRILL*');
    expect(message.text).toContain('[DRILL]');
  });

  it('has no step buttons once the run is over, but keeps Export', () => {
    let state = must(newRun(), { type: 'done', stepId: 'build' }, 'U01');
    state = must(state, { type: 'done', stepId: 'test' }, 'U01');
    state = must(state, { type: 'reject', gateId: 'qa', reason: 'pen test open' }, 'USEC', ['security']);
    const message = renderChecklist(state);
    expect(buttons(message).map((b) => b.action_id)).toEqual([ActionIds.checklistExport]);
    expect(allText(message)).toContain('*Halted*: <@USEC> rejected');
    expect(allText(message)).toContain('pen test open');
  });

  it('keeps a 60-step, 3-gate checklist within Slack limits at every point of the run', () => {
    const checklist = huge();
    let state = createRunState({
      runId: '20240501T100000-000002',
      checklist,
      drill: true,
      startedBy: STARTER,
      startedAt: '2024-05-01T10:00:00.000Z',
      channel: 'C1',
    });
    const extra = context(['evidence '.repeat(300)]);
    let renders = 0;
    for (const item of checklist.items) {
      const extraBlocks = Object.fromEntries(
        checklist.items.map((it) => [it.id, [extra, extra, extra, extra]]),
      );
      const message = renderChecklist(state, { extraBlocks });
      expectWithinLimits(message);
      renders++;
      const done = buttons(message).filter((b) => b.action_id === ActionIds.checklistDone);
      // The next item is either a step (it has a Done button) or a gate (Approve instead; steps locked).
      expect(done.length).toBeLessThanOrEqual(EXPANDED_STEPS);
      if (item.type === 'step') expect(done.map((b) => decodeItemValue(b.value)?.itemId)).toContain(item.id);
      else expect(done).toEqual([]);
      if (item.type === 'step') {
        state =
          item.n % 7 === 0
            ? must(state, { type: 'skip', stepId: item.id, reason: 'not needed '.repeat(20) }, 'U01')
            : must(
                state,
                {
                  type: 'done',
                  stepId: item.id,
                  override: item.n % 5 === 0 ? 'override '.repeat(20) : undefined,
                } as RunCommand,
                'U01',
              );
      } else {
        for (const [user, role] of [
          ['USEC', 'security'],
          ['UARCH', 'architecture'],
          ['UBIZ', 'business-owner'],
        ] as const) {
          const before = renderChecklist(state);
          expectWithinLimits(before);
          expect(buttons(before).some((b) => b.action_id === ActionIds.checklistApprove)).toBe(true);
          state = must(state, { type: 'approve', gateId: item.id }, user, [role]);
        }
      }
    }
    expect(state.status).toBe('completed');
    const final = renderChecklist(state);
    expectWithinLimits(final);
    expect(allText(final)).toContain('*Complete*');
    expect(renders).toBe(checklist.items.length);
  });

  it('renders every checklist of the real runbooks within limits, from start to finish', async () => {
    const artifact = await loadTestArtifact();
    expect(artifact.checklists.length).toBeGreaterThan(0);
    for (const checklist of artifact.checklists) {
      let state = createRunState({
        runId: '20240501T100000-000003',
        checklist,
        drill: false,
        startedBy: STARTER,
        startedAt: '2024-05-01T10:00:00.000Z',
        channel: 'C1',
      });
      for (const item of checklist.items) {
        expectWithinLimits(renderChecklist(state));
        if (item.type === 'step') state = must(state, { type: 'done', stepId: item.id }, 'U01');
        else
          for (const [i, role] of item.roles.entries())
            state = must(state, { type: 'approve', gateId: item.id }, `UAPP${i}`, [role]);
      }
      expect(state.status).toBe('completed');
      expectWithinLimits(renderChecklist(state));
    }
  });
});

describe('thread lines', () => {
  it('says who did what, escaping reasons, and marks drills', () => {
    let state = newRun({ drill: true });
    const result = apply(
      state,
      { type: 'skip', stepId: 'build', reason: 'done <!here> already' },
      ctx('U01'),
    );
    if (!result.ok) throw new Error(result.reason);
    state = result.state;
    expect(eventLine(state, result.events[0]!)).toBe(
      ':fast_forward: <@U01> skipped *1. Step build*: “done &lt;!here&gt; already”',
    );
    const message = threadMessage(state, result.events);
    expect(message.text).toContain('DRILL');
    expectWithinLimits(message);
  });
});
