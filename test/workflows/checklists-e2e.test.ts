/**
 * Checklists end to end: signed slash commands and interactions through Bolt's HTTP receiver, the fake
 * Slack on loopback, and dynalite for state.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../src/slack/action-ids';
import { checklistsFeature } from '../../src/slack/features/checklists/checklists';
import {
  registerStepExtension,
  unregisterStepExtension,
} from '../../src/slack/features/checklists/extensions';
import { recordRunNote, runtimeFor } from '../../src/slack/features/checklists/runtime';
import { context } from '../../src/slack/render/blocks';
import { loadTestArtifact } from '../helpers/artifact';
import { startTestBot } from '../helpers/slack-bot';
import { blockActionPayload } from '../helpers/slack-payloads';
import { type ChecklistBot, hasElement, startChecklistBot, textOf, writeApprovers } from './checklist-bot';
import { compileMarkdown, PROMOTION_MD } from './promotion-fixture';

const IC = 'U0IC';
const GATE = 'gate-sit-prod-release';

let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': PROMOTION_MD }) });
});
afterAll(async () => {
  await t.close();
});

const current = (channel?: string) => t.latestRun(channel);

describe('a promotion from start to exported timeline', () => {
  const channel = 'C0PROMO';

  it('runs: steps, refusals, two roles approving, completion, export', async () => {
    await t.command('promote sit prod', IC, channel);
    let msg = current(channel);
    expect(textOf(msg)).toContain('Promote SIT → PROD');
    expect(textOf(msg)).toContain(`Started by <@${IC}>`);
    expect(textOf(msg)).toContain('*0 of 3* steps done');
    expect(t.thread(msg).map(textOf).join('\n')).toContain(`<@${IC}> started *Promote SIT → PROD*`);
    // The step after the gate is locked: no Done button for it.
    expect(hasElement(msg, ActionIds.checklistDone, 'deploy-prod')).toBe(false);

    await t.click(msg, ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(current(channel), ActionIds.checklistDone, 'U0OPS', 'run-the-regression-suite');
    msg = current(channel);
    expect(textOf(msg)).toContain('*2 of 3* steps done');
    expect(textOf(msg)).toMatch(/1\. Freeze SIT — <@U0IC> <!date\^/);
    expect(textOf(msg)).toMatch(/2\. Run the regression suite — <@U0OPS> <!date\^/);

    // The starter holds no role here, and a non-member: refused, explained, recorded; nothing changes.
    const before = textOf(current(channel));
    const selfApproval = await t.click(msg, ActionIds.checklistApprove, IC, GATE);
    expect(String(selfApproval.responses()[0]?.body.text)).toContain('You are not an approver for');
    const outsider = await t.click(msg, ActionIds.checklistApprove, 'U0DEVOPS', GATE);
    expect(String(outsider.responses()[0]?.body.text)).toContain('You are not an approver for');
    expect(textOf(current(channel))).toBe(before);

    await t.click(msg, ActionIds.checklistApprove, 'U0SEC', GATE);
    expect(hasElement(current(channel), ActionIds.checklistDone, 'deploy-prod')).toBe(false);
    // U0ARCH is in architecture through the S0ARCH user group (usergroups.users.list).
    await t.click(current(channel), ActionIds.checklistApprove, 'U0ARCH', GATE);
    msg = current(channel);
    expect(textOf(msg)).toContain('approved by <@U0SEC> (Security), <@U0ARCH> (Architecture)');
    expect(hasElement(msg, ActionIds.checklistDone, 'deploy-prod')).toBe(true);

    await t.click(msg, ActionIds.checklistDone, IC, 'deploy-prod');
    msg = current(channel);
    expect(textOf(msg)).toContain('*Complete*');
    expect(hasElement(msg, ActionIds.checklistDone)).toBe(false);

    const thread = t.thread(msg).map(textOf).join('\n');
    expect(thread).toContain('<@U0OPS> marked *2. Run the regression suite* done');
    expect(thread).toContain('Refused: <@U0IC> (no role) tried to approve');
    expect(thread).toContain('Refused: <@U0DEVOPS> (Devops) tried to approve');
    expect(thread).toContain('<@U0SEC> approved _SIT → PROD release_ as Security');
    expect(thread).toContain('_SIT → PROD release_ has every signature');
    expect(thread).toContain('the run is complete');

    const exportClick = await t.click(msg, ActionIds.checklistExport, IC);
    expect(String(exportClick.responses()[0]?.body.text)).toContain('as a file');
    // One file in the thread, shared with a short summary; the full timeline is the file's text.
    const [file, ...others] = t.threadFiles(msg);
    expect(others).toHaveLength(0);
    expect(file?.name).toMatch(/^timeline-promote-sit-prod-.+\.txt$/);
    const md = file!.text;
    expect(md).toContain('Promote SIT → PROD: timeline\n====');
    expect(md).toContain('All times are UTC.');
    expect(md).toMatch(/\n1 +Freeze SIT +done +@User U0IC /);
    expect(md).toMatch(/\n2 +Run the regression suite +done +@User U0OPS /);
    expect(md).toMatch(/SIT → PROD release +Security +approved +@User U0SEC +\d\d:\d\d:\d\d/);
    expect(md).toMatch(/SIT → PROD release +Architecture +approved +@User U0ARCH /);
    expect(md).toContain('Refused signatures\n---');
    expect(md).toMatch(/• \d\d:\d\d:\d\d @User U0IC marked step 3 "Deploy to PROD" done/);
    expect(md).toContain('· completed');
    expect(md).not.toMatch(/<@U|&lt;|```|\*Steps\*/);

    const events = await t.store.listEvents(await runIdOf(msg));
    expect(events.map((e) => e.type)).toEqual([
      'started',
      'step_done',
      'step_done',
      'refused',
      'refused',
      'gate_approved',
      'gate_approved',
      'gate_passed',
      'step_done',
      'completed',
    ]);
  });
});

describe('buttons and modals', () => {
  it('cancels a run with a reason, only by its starter; the run ends and a new one can start', async () => {
    const channel = 'C0CANCEL';
    await t.command('promote sit to prod', IC, channel);
    const run = current(channel);
    expect(hasElement(run, ActionIds.checklistCancel, '')).toBe(true);
    const opened = () => t.bot.fake.callsTo('views.open').length;
    const before = opened();
    // Someone else: refused, no modal, nothing changes.
    const refused = await t.click(run, ActionIds.checklistCancel, 'U0OPS', '');
    expect(opened()).toBe(before);
    expect(String(refused.responses()[0]?.body.text)).toContain('can cancel it');
    expect(textOf(current(channel))).not.toContain('ancelled');
    // Its starter: a reason modal, then the run ends.
    await t.click(current(channel), ActionIds.checklistCancel, IC, '');
    const view = t.bot.fake.callsTo('views.open').pop()?.args.view as { callback_id: string };
    expect(view.callback_id).toBe(ActionIds.checklistCancelView);
    await t.submitModal(IC, 'started by mistake <!here>');
    const ended = textOf(current(channel));
    expect(ended).toMatch(/[Cc]ancelled/);
    expect(ended).toContain('started by mistake &lt;!here&gt;');
    expect(hasElement(current(channel), ActionIds.checklistDone, 'freeze-sit')).toBe(false);
    expect(hasElement(current(channel), ActionIds.checklistCancel, '')).toBe(false);
    // Not active any more: the same command starts a new run.
    await t.command('promote sit to prod', IC, channel);
    expect(t.runMessages(channel)).toHaveLength(2);
    expect(hasElement(current(channel), ActionIds.checklistDone, 'freeze-sit')).toBe(true);
  });

  it('skips with a reason from the modal, undoes, and shows Details ephemerally', async () => {
    const channel = 'C0SKIP';
    await t.command('promote sit to prod', IC, channel);
    await t.click(current(channel), ActionIds.checklistSkip, 'U0OPS', 'freeze-sit');
    const view = t.bot.fake.callsTo('views.open').pop()?.args.view as { callback_id: string };
    expect(view.callback_id).toBe(ActionIds.checklistSkipView);
    await t.submitModal('U0OPS', 'SIT is already frozen <!channel>');
    expect(textOf(current(channel))).toContain('skipped by <@U0OPS>');
    expect(textOf(current(channel))).toContain('SIT is already frozen &lt;!channel&gt;');

    // Undo by someone who neither did it nor started the run: refused.
    const refused = await t.click(current(channel), ActionIds.checklistUndo, 'U0OTHER', 'freeze-sit');
    expect(String(refused.responses()[0]?.body.text)).toContain('can undo it');
    await t.click(current(channel), ActionIds.checklistUndo, IC, 'freeze-sit');
    expect(textOf(current(channel))).toContain('*0 of 3* steps done');

    // Undo from the select, for a step that is not the latest.
    await t.click(current(channel), ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(current(channel), ActionIds.checklistDone, IC, 'run-the-regression-suite');
    await t.click(current(channel), ActionIds.checklistUndoPick, IC, '1');
    expect(textOf(current(channel))).toContain('*1 of 3* steps done');
    expect(hasElement(current(channel), ActionIds.checklistDone, 'freeze-sit')).toBe(true);

    const details = await t.click(current(channel), ActionIds.checklistDetails, 'U0OPS', 'freeze-sit');
    const body = details.responses()[0]?.body;
    expect(body?.response_type).toBe('ephemeral');
    expect(JSON.stringify(body?.blocks)).toContain('Announce the freeze in #releases');
  });

  it('rejects with a reason, halting the run; later clicks change nothing', async () => {
    const channel = 'C0REJECT';
    await t.command('promote sit prod', IC, channel);
    await t.click(current(channel), ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(current(channel), ActionIds.checklistDone, IC, 'run-the-regression-suite');

    // A non-approver is refused before any modal opens.
    const opened = t.bot.fake.callsTo('views.open').length;
    const outsider = await t.click(current(channel), ActionIds.checklistReject, 'U0NOBODY', GATE);
    expect(String(outsider.responses()[0]?.body.text)).toContain('Only an approver');
    expect(t.bot.fake.callsTo('views.open')).toHaveLength(opened);

    await t.click(current(channel), ActionIds.checklistReject, 'U0SEC', GATE);
    await t.submitModal('U0SEC', 'Pen test finding still open');
    const msg = current(channel);
    expect(textOf(msg)).toContain('*Halted*: <@U0SEC> rejected _SIT → PROD release_ as Security');
    expect(textOf(msg)).toContain('Pen test finding still open');
    expect(hasElement(msg, ActionIds.checklistApprove)).toBe(false);

    // A stale Approve button (from the message as it was before) answers ephemerally, changes nothing.
    const staleMessage = {
      ...msg,
      blocks: t.bot.fake
        .callsTo('chat.update')
        .map((c) => c.args)
        .filter((a) => a.ts === msg.ts)
        .at(-2)?.blocks as unknown[],
    };
    const late = await t.click(staleMessage, ActionIds.checklistApprove, 'U0ARCH', GATE);
    expect(String(late.responses()[0]?.body.text)).toContain('halted');
    const record = await t.store.getRun(await runIdOf(msg));
    expect(record?.state.status).toBe('halted');
    expect(record?.state.gates[GATE]?.approvals).toEqual([]);
    expect(t.thread(msg).map(textOf).join('\n')).toContain('The run is halted');
  });

  it('never replaces the active run silently: a second start names it, and starts nothing', async () => {
    const channel = 'C0TWICE';
    await t.command('promote sit prod', IC, channel);
    // Someone else starts it again (the same person within seconds is a double submit: see below).
    const answer = await t.command('promote sit prod', 'U0OPS', channel);
    expect(t.runMessages(channel)).toHaveLength(1);
    const text = answer.map((r) => JSON.stringify(r.body)).join('\n') + t.ephemerals('U0OPS').join('\n');
    expect(text).toContain('This checklist is already running in this channel');
    expect(text).toContain(`started by <@${IC}>`);
    expect(text).toContain('0 of 3 steps done');
    // U0OPS holds no role of the run: no Take over for them.
    expect(text).not.toContain(ActionIds.checklistTakeOver);
    expect(text).toContain('can take this run over');
    expect(textOf(current(channel))).toContain('*0 of 3* steps done');
  });

  it('records a Slack retry of the same click once', async () => {
    const channel = 'C0RETRY';
    await t.command('promote sit prod', IC, channel);
    const asShown = structuredClone(current(channel));
    const click = await t.click(asShown, ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(current(channel), ActionIds.checklistDone, IC, 'freeze-sit', { retryOf: click.payload });
    const events = await t.store.listEvents(await runIdOf(current(channel)));
    expect(events.filter((e) => e.type === 'step_done')).toHaveLength(1);
    expect(t.bot.logs.some((e) => e.msg === 'checklist action already applied')).toBe(true);
    // A second, distinct click on the same step is a new action: refused, not duplicated.
    const again = await t.click(asShown, ActionIds.checklistDone, 'U0OPS', 'freeze-sit');
    expect(String(again.responses()[0]?.body.text)).toContain('already done by <@U0IC>');
  });

  it('starts a drill marked DRILL everywhere', async () => {
    const channel = 'C0DRILL';
    await t.command('drill promote sit prod', IC, channel);
    const msg = current(channel);
    expect(textOf(msg)).toContain('[DRILL] Promote SIT → PROD');
    expect(textOf(msg)).toContain('*DRILL*: practice run');
    await t.click(msg, ActionIds.checklistDone, IC, 'freeze-sit');
    for (const line of t.thread(msg)) expect(textOf(line)).toContain('DRILL');
    expect((await t.store.getRun(await runIdOf(msg)))?.state.drill).toBe(true);
  });

  it('lists the checklists for an unknown drill', async () => {
    const responses = await t.command('drill nonsense', IC, 'C0LIST');
    expect(String(responses[0]?.body.text)).toContain('No checklist is called “nonsense”');
    expect(String(responses[0]?.body.text)).toContain('promote sit prod');
  });
});

describe('step extensions', () => {
  afterEach(() => unregisterStepExtension('check'));

  it('render under their step, can hold Done back, and accept an override reason', async () => {
    const seen: { drill: boolean; value: string }[] = [];
    const notes: boolean[] = [];
    registerStepExtension('check', {
      renderBlocks: ({ value, drill }) => {
        seen.push({ value, drill });
        return [context([`EVIDENCE ${value}`])];
      },
      guardDone: () => ({ ok: false, reason: 'The primary region still looks healthy.', overridable: true }),
      onDone: async (c) => {
        const note = {
          user: c.user,
          text: `:satellite: noted ${c.value} (drill: ${c.drill})`,
          key: `done:${c.step.id}`,
          at: c.run.steps[c.step.id]?.at,
        };
        notes.push(await recordRunNote(runtimeFor(c.deps), c.client, c.run.runId, note));
        notes.push(await recordRunNote(runtimeFor(c.deps), c.client, c.run.runId, note));
      },
    });
    const channel = 'C0EXT';
    await t.command('drill promote sit prod', IC, channel);
    await t.click(current(channel), ActionIds.checklistDone, IC, 'freeze-sit');
    await t.click(current(channel), ActionIds.checklistDone, IC, 'run-the-regression-suite');
    expect(textOf(current(channel))).not.toContain('EVIDENCE');
    await t.click(current(channel), ActionIds.checklistApprove, 'U0SEC', GATE);
    await t.click(current(channel), ActionIds.checklistApprove, 'U0ARCH', GATE);
    expect(textOf(current(channel))).toContain('EVIDENCE fixture-evidence');
    expect(seen.at(-1)).toEqual({ value: 'fixture-evidence', drill: true });

    await t.click(current(channel), ActionIds.checklistDone, IC, 'deploy-prod');
    const view = t.bot.fake.callsTo('views.open').pop()?.args.view as { callback_id: string };
    expect(view.callback_id).toBe(ActionIds.checklistOverrideView);
    expect((await t.store.getRun(await runIdOf(current(channel))))?.state.steps['deploy-prod']?.status).toBe(
      'pending',
    );
    await t.submitModal(IC, 'Confirmed down on the AWS Health Dashboard');
    const msg = current(channel);
    expect(textOf(msg)).toContain('override: “Confirmed down on the AWS Health Dashboard”');
    expect(textOf(msg)).toContain('*Complete*');
    // onDone ran once; its note was recorded once however often it was sent, and is in the thread.
    expect(notes).toEqual([true, false]);
    expect(t.thread(msg).map(textOf).join('\n')).toContain(
      ':satellite: noted fixture-evidence (drill: true)',
    );
    const events = await t.store.listEvents(await runIdOf(msg));
    expect(events.filter((e) => e.type === 'note')).toHaveLength(1);
  });
});

describe('the real runbooks', () => {
  it('promotes DEV to SIT: every step done from the message, both roles sign, timeline exported', async () => {
    const real = await startChecklistBot();
    try {
      const channel = 'C0REAL';
      await real.command('promote dev to sit', IC, channel);
      const signers: Record<string, string> = {
        devops: 'U0DEVOPS',
        architecture: 'U0ARCH',
        security: 'U0SEC',
        'business-owner': 'U0BIZ',
      };
      const checklist = real.bot.deps.artifact.checklists.find((c) => c.id === 'promote-dev-sit')!;
      const gates = checklist.items.filter((it) => it.type === 'gate');
      expect(gates.length).toBeGreaterThan(0);
      // Walk the run the way people would: click what the message offers until it is complete.
      for (let guard = 0; guard < 100 && !textOf(real.latestRun(channel)).includes('*Complete*'); guard++) {
        const msg = real.latestRun(channel);
        const gate = gates.find((g) => hasElement(msg, ActionIds.checklistApprove, g.id));
        if (gate) {
          const run = await real.store.getRun(await runIdOf(msg));
          const signed = new Set(run?.state.gates[gate.id]?.approvals.map((a) => a.role));
          const role = gate.roles.find((r) => !signed.has(r))!;
          await real.click(msg, ActionIds.checklistApprove, signers[role]!, gate.id);
        } else {
          await real.click(msg, ActionIds.checklistDone, 'U0OPS');
        }
      }
      const msg = real.latestRun(channel);
      expect(textOf(msg)).toContain('*Complete*');
      const steps = checklist.items.filter((it) => it.type === 'step').length;
      expect(textOf(msg)).toContain(`*${steps} of ${steps}* steps done`);
      await real.click(msg, ActionIds.checklistExport, IC);
      const md = real.threadFiles(msg)[0]?.text ?? '';
      expect(md).toContain('Promote DEV to SIT: timeline');
      for (const role of gates.flatMap((g) => g.roles)) expect(md).toContain(`@User ${signers[role]}`);
      expect(md).toContain('· completed');
    } finally {
      await real.close();
    }
  });

  it('claims every checklist command of the runbooks', async () => {
    const artifact = await loadTestArtifact();
    const deps = { ...t.bot.deps, artifact };
    expect(artifact.checklists.map((c) => c.id)).toEqual(
      expect.arrayContaining(['deploy', 'rollback', 'promote-dev-sit', 'promote-sit-prod']),
    );
    for (const checklist of artifact.checklists) {
      for (const phrase of checklist.commands)
        expect(checklistsFeature.claimText?.(phrase, deps)).toBeTypeOf('function');
    }
  });
});

describe('concurrent clicks through Slack', () => {
  it('applies 20 simultaneous Done clicks once each and leaves the message showing the final state', async () => {
    // One parallel group: every step is current, so every click is allowed and they race for the run.
    const steps = Array.from(
      { length: 20 },
      (_, i) => `${i + 1}. **Task ${i + 1}.** Do it. <!-- bot: parallel=bulk -->`,
    ).join('\n');
    const md = `# Ops\n\n## Bulk\n<!-- bot: checklist=bulk command="bulk" -->\n\n${steps}\n`;
    const t3 = await startChecklistBot({ artifact: await compileMarkdown({ 'OPS.md': md }) });
    try {
      await t3.command('bulk', IC, 'C0BULK');
      const msg = structuredClone(t3.latestRun('C0BULK'));
      const runId = await runIdOf(msg);
      const payloads = Array.from({ length: 20 }, (_, i) =>
        blockActionPayload({
          actionId: ActionIds.checklistDone,
          value: `${runId}|task-${i + 1}`,
          user: `U0W${i}`,
          channel: 'C0BULK',
          messageTs: msg.ts,
          responseUrl: t3.bot.fake.responseUrl({ channel: 'C0BULK', user: `U0W${i}`, messageTs: msg.ts }),
        }),
      );
      await t3.concurrently(payloads);
      const final = t3.latestRun('C0BULK');
      expect(textOf(final)).toContain('*Complete*');
      expect(textOf(final)).toContain('*20 of 20* steps done');
      const events = await t3.store.listEvents(runId);
      expect(events.filter((e) => e.type === 'step_done')).toHaveLength(20);
      expect(new Set(events.filter((e) => e.type === 'step_done').map((e) => e.stepId)).size).toBe(20);
      expect(t3.thread(final).filter((m) => textOf(m).includes('marked'))).toHaveLength(20);
    } finally {
      await t3.close();
    }
  });
});

describe('runbooks drive the checklists', () => {
  it('changes the checklist when the Markdown changes', async () => {
    const edited = PROMOTION_MD.replace(
      '2. **Run the regression suite.**',
      '2. **Run the smoke tests.** Quick check.\n3. **Run the regression suite.**',
    ).replace('3. **Deploy to PROD.**', '4. **Deploy to PROD.**');
    const t2 = await startChecklistBot({ artifact: await compileMarkdown({ 'PROMOTION.md': edited }) });
    try {
      await t2.command('promote sit prod', IC, 'C0EDIT');
      const text = textOf(t2.latestRun('C0EDIT'));
      expect(text).toContain('*0 of 4* steps done');
      expect(text).toContain('2. Run the smoke tests');
      expect(text).toContain('3. Run the regression suite');
      // Step 2 is offered, after step 1, as out of order: Done with a reason.
      expect(hasElement(t2.latestRun('C0EDIT'), ActionIds.checklistDone, 'freeze-sit')).toBe(true);
      expect(hasElement(t2.latestRun('C0EDIT'), ActionIds.checklistDoneAnyway, 'run-the-smoke-tests')).toBe(
        true,
      );
    } finally {
      await t2.close();
    }
  });

  it('claims the checklist command phrases and mistyped ones, leaving other text to search', async () => {
    expect(checklistsFeature.claimText?.('Promote SIT → PROD', t.bot.deps)).toBeTypeOf('function');
    expect(checklistsFeature.claimText?.('promote  SIT to prod', t.bot.deps)).toBeTypeOf('function');
    // A command typed wrong is answered with the commands it could mean (test/slack/checklist-near.e2e.test.ts).
    expect(checklistsFeature.claimText?.('promote', t.bot.deps)).toBeTypeOf('function');
    expect(checklistsFeature.claimText?.('how do I promote', t.bot.deps)).toBeNull();
    expect(checklistsFeature.claimText?.('promote sit prod failed', t.bot.deps)).toBeNull();
  });

  it('refuses to start with a malformed approvers file, naming it', async () => {
    const file = writeApprovers('roles:\n  security: [alice]\n');
    await expect(startTestBot({ env: { APPROVERS_FILE: file } })).rejects.toThrow(
      `${file}: role "security": "alice"`,
    );
  });
});

async function runIdOf(message: { blocks?: unknown[] }): Promise<string> {
  const value = /"value":"([^"|]+)\|/.exec(JSON.stringify(message.blocks ?? []))?.[1];
  if (!value) throw new Error('no run id on the message');
  return value;
}
