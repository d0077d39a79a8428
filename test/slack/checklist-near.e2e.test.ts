/**
 * A checklist command typed wrong (`promote prod dev`, `promote sit`): answered with the commands it could
 * have meant, starting nothing; a question that begins with the same word is still searched. Through signed
 * requests against the real runbooks.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checklistCommands } from '../../src/runbooks/model/split';
import { isNearChecklistPhrase, nearChecklistCommands } from '../../src/slack/features/checklists/phrase';
import { loadTestArtifact } from '../helpers/artifact';
import { type ChecklistBot, startChecklistBot } from '../workflows/checklist-bot';

const IC = 'U0IC';
let t: ChecklistBot;
beforeAll(async () => {
  t = await startChecklistBot({ artifact: await loadTestArtifact() });
});
afterAll(async () => {
  await t.close();
});

describe('a mistyped checklist command', () => {
  test.each(['promote prod dev', 'promote sit', 'promote', 'Promote  PROD to SIT'])(
    '“%s” lists the promotions and starts nothing',
    async (text) => {
      const responses = await t.command(text, IC, 'C0NEAR');
      const reply = String(responses.at(-1)?.body.text ?? '');
      expect(reply).toContain('is not a checklist here; nothing was started');
      expect(reply).toContain('`/runbook promote dev sit` — Promote DEV to SIT');
      expect(reply).toContain('`/runbook promote sit prod` — Promote SIT to PROD');
      expect(reply).not.toContain('`/runbook failover`');
      expect(responses.at(-1)?.body.response_type).toBe('ephemeral');
      expect(t.runMessages('C0NEAR')).toHaveLength(0);
    },
  );

  test('a question that starts with the same word is searched, not taken for a command', async () => {
    const responses = await t.command('promote to prod failed with 403', IC, 'C0NEAR');
    const body = JSON.stringify(responses.at(-1)?.body);
    expect(body).not.toContain('is not a checklist here');
    expect(t.runMessages('C0NEAR')).toHaveLength(0);
  });

  test('the exact command still starts its checklist', async () => {
    await t.command('promote sit prod', IC, 'C0NEAR2');
    expect(t.runMessages('C0NEAR2')).toHaveLength(1);
  });
});

describe('nearChecklistCommands', () => {
  const entries = [
    { commands: ['promote dev sit', 'promote dev to sit'] },
    { commands: ['promote sit prod', 'promote sit to prod'] },
    { commands: ['deploy'] },
  ];
  test('only words of one family’s commands, none exact', () => {
    expect(nearChecklistCommands(entries, 'promote prod')).toEqual([
      'promote dev sit',
      'promote dev to sit',
      'promote sit prod',
      'promote sit to prod',
    ]);
    expect(nearChecklistCommands(entries, 'promote dev sit')).toEqual([]);
    expect(nearChecklistCommands(entries, 'promote the site')).toEqual([]);
    expect(nearChecklistCommands(entries, 'deploy deploy')).toEqual(['deploy']);
    expect(nearChecklistCommands(entries, 'deploy failed')).toEqual([]);
    expect(nearChecklistCommands(entries, '')).toEqual([]);
  });

  // Routing asks this on every search, from families made once per artifact: the same answers.
  test('isNearChecklistPhrase answers as nearChecklistCommands does, on the real runbooks', async () => {
    const artifact = await loadTestArtifact();
    const commands = checklistCommands(artifact).flatMap((c) => c.commands);
    const words = [...new Set(commands.flatMap((c) => c.split(' ')))];
    const texts = [
      ...commands,
      ...commands.map((c) => c.split(' ').reverse().join(' ')),
      ...commands.map((c) => `${c} now`),
      ...commands.map((c) => c.split(' ')[0]!),
      ...words.flatMap((a) => words.map((b) => `${a} ${b}`)),
      'token expired',
      'Promote, SIT!',
      '',
      '  ',
    ];
    const answers = texts.map((text) => isNearChecklistPhrase(artifact, text));
    expect(answers).toEqual(
      texts.map((text) => nearChecklistCommands(checklistCommands(artifact), text).length > 0),
    );
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });
});
