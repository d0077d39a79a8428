/**
 * A first answer over a split artifact: its "Run as checklist" and "Walk the tree" buttons come from the
 * index (no rest.json parse), and are the buttons the whole artifact gives, for every section.
 */
import { describe, expect, it } from 'vitest';
import { runtimeArtifact } from '../../src/runbooks/model/artifact';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import { checklistFor, renderAnswer } from '../../src/slack/render/answer';
import { loadTestArtifact, openSplitInMemory } from '../helpers/artifact';

async function open(): Promise<{ whole: Artifact; opened: Artifact; reads: string[] }> {
  const whole = runtimeArtifact(await loadTestArtifact());
  return { whole, ...openSplitInMemory(whole) };
}

/** The answer's checklist and tree buttons, as action id → value. */
function buttons(artifact: Artifact, section: Section): string[] {
  const message = renderAnswer({
    section,
    view: 'summary',
    artifact,
    repoUrl: 'https://example.com/repo',
    command: '/runbook',
    query: section.title,
  });
  const out: string[] = [];
  for (const block of message.blocks as { elements?: { action_id?: string; value?: string }[] }[])
    for (const e of block.elements ?? [])
      if (e.action_id === ActionIds.runChecklist || e.action_id === ActionIds.treeStart)
        out.push(`${e.action_id}=${e.value}`);
  return out;
}

describe('first answer over a split artifact', () => {
  it('does not read rest.json for a section no declared checklist holds', async () => {
    const { whole, opened, reads } = await open();
    const without = opened.sections.filter((_s, i) => !checklistFor(whole.sections[i]!, whole));
    expect(without.length).toBeGreaterThan(0);
    let trees = 0;
    for (const s of without)
      trees += buttons(opened, s).filter((b) => b.startsWith(ActionIds.treeStart)).length;
    expect(trees).toBeGreaterThan(0);
    expect(reads.filter((name) => name === 'rest.json')).toEqual([]);
    expect(reads.some((name) => name.startsWith('runbook-'))).toBe(true);
  });

  it('gives the same checklist and tree buttons as the whole artifact, for every section', async () => {
    const { whole, opened } = await open();
    let withButtons = 0;
    whole.sections.forEach((s, i) => {
      const expected = buttons(whole, s);
      if (expected.length > 0) withButtons++;
      expect(buttons(opened, opened.sections[i]!), s.id).toEqual(expected);
    });
    expect(withButtons).toBeGreaterThan(0);
  });
});
