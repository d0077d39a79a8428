/**
 * What a first answer reads of a split artifact (issue 21): a few small section files (SLICE_BUDGET) and,
 * for a section a declared checklist holds, that checklist's own file, never rest.json; and the answer is
 * byte for byte the one the whole artifact gives, for every section and every view.
 */
import { describe, expect, it } from 'vitest';
import { runtimeArtifact } from '../../src/runbooks/model/artifact';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import {
  asciiJson,
  boundedGroups,
  checklistAt,
  openSplitArtifact,
  partName,
  SLICE_BUDGET,
  splitArtifact,
} from '../../src/runbooks/model/split';
import { type AnswerView, checklistFor, renderAnswer } from '../../src/slack/render/answer';
import { ANSWER_PARTS } from '../../src/slack/render/answer-parts';
import { loadTestArtifact, openSplitInMemory } from '../helpers/artifact';

const REPO = 'https://example.com/repo';

function render(artifact: Artifact, section: Section, view: AnswerView, others: Section[]): string {
  return JSON.stringify(
    renderAnswer({
      section,
      view,
      artifact,
      repoUrl: REPO,
      command: '/runbook',
      query: `${section.title} steps`,
      others,
      trust: ['Owner @team · reviewed 2026-11-01'],
    }),
  );
}

describe('first answer over a split artifact', () => {
  it('renders every view of every section exactly as the whole artifact does, each from a fresh open', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const views: AnswerView[] = ['summary', 'all', ...ANSWER_PARTS.map((p) => p.key)];
    let compared = 0;
    const { index, files } = splitArtifact(whole);
    const indexJson = JSON.stringify(index);
    const read = (name: string) => {
      const f = files[name];
      if (f === undefined) throw new Error(`no file ${name}`);
      return typeof f === 'string' ? Buffer.from(f) : f;
    };
    whole.sections.forEach((s, i) => {
      const others = [1, 2, 3].map((d) => whole.sections[(i + d * 37) % whole.sections.length]!);
      // A fresh artifact per section: the answer reads its own files, as on a cold start.
      const opened = openSplitArtifact(JSON.parse(indexJson), read);
      const mine = opened.sections[i]!;
      const theirs = others.map((o) => opened.sections[whole.sections.indexOf(o)]!);
      for (const view of views) {
        expect(render(opened, mine, view, theirs), `${s.id} ${view}`).toBe(render(whole, s, view, others));
        compared++;
      }
    });
    expect(compared).toBe(whole.sections.length * views.length);
    // About 3,300 renders: room for a machine shared with other test runs.
  }, 60_000);

  it('reads small files: no rest.json, and for a checklist’s section that checklist alone', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    const largestRunbook = Math.max(
      ...whole.runbooks.map(
        (r) => JSON.stringify(whole.sections.filter((s) => r.sections.includes(s.id))).length,
      ),
    );
    let held = 0;
    const read: number[] = [];
    const indexJson = JSON.stringify(index);
    whole.sections.forEach((s, i) => {
      const reads: string[] = [];
      const opened = openSplitArtifact(JSON.parse(indexJson), (name) => {
        reads.push(name);
        const f = files[name];
        if (f === undefined) throw new Error(`no file ${name}`);
        return typeof f === 'string' ? Buffer.from(f) : f;
      });
      reads.length = 0;
      render(opened, opened.sections[i]!, 'summary', []);
      expect(reads, s.id).not.toContain('rest.json');
      const bytes = reads.reduce((n, name) => n + (files[name]?.length ?? 0), 0);
      read.push(bytes);
      // A section without sub-sections: its file, its ancestors' (the variables their commands set) and its
      // checklist's, far less than the runbook file it used to parse whole (108 KiB for the largest) and
      // rest.json (90 KiB). One with sub-sections may read its subtree (a short one is shown whole).
      if (s.children.length === 0) expect(bytes, s.id).toBeLessThan(largestRunbook / 2);
      const declared = checklistFor(s, whole);
      if (declared) {
        held++;
        expect(
          reads.filter((r) => r.startsWith('checklist-')),
          s.id,
        ).toHaveLength(1);
        expect(checklistFor(opened.sections[i]!, opened), s.id).toEqual(declared);
      }
    });
    expect(held).toBeGreaterThan(0);
    read.sort((a, b) => a - b);
    expect(read[read.length >> 1]).toBeLessThan(4 * SLICE_BUDGET);
  });

  it('gives the very checklist of rest.json once rest.json is read', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { opened, reads } = openSplitInMemory(whole);
    const alone = checklistAt(opened, 0);
    expect(alone).toEqual(whole.checklists[0]);
    expect(reads).not.toContain('rest.json');
    const all = opened.checklists;
    expect(checklistAt(opened, 0)).toBe(all[0]);
    expect(checklistAt(whole, 0)).toBe(whole.checklists[0]);
  });
});

describe('split files', () => {
  it('are ASCII JSON holding the same values (the runbooks have characters beyond ASCII)', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    expect(JSON.stringify(whole.sections)).toMatch(/[^\x00-\x7f]/);
    const texts = Object.values(files).filter((f): f is string => typeof f === 'string');
    expect(texts.length).toBeGreaterThan(10);
    for (const text of [...texts, asciiJson(index)]) expect(text).toMatch(/^[\x00-\x7f]*$/);
    const tricky = { s: 'It’s — “quoted” → 😀 \u0000 é\n', n: [1, 'ü'] };
    expect(JSON.parse(asciiJson(tricky))).toEqual(tricky);
    expect(asciiJson(tricky)).toMatch(/^[\x00-\x7f]*$/);
  });

  it('puts each runbook’s items a few to a file, within the budget unless one item alone exceeds it', () => {
    expect(boundedGroups([3000, 3000, 3000, 20000, 10], [0, 0, 0, 0, 1], 8192)).toEqual([0, 0, 1, 2, 3]);
    // Items of another runbook never share a file, even interleaved.
    expect(boundedGroups([10, 10, 10], [0, 1, 0], 8192)).toEqual([0, 1, 0]);
  });

  it('writes no section or procedure file larger than SLICE_BUDGET unless it holds one item', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    const names = Object.keys(files).filter((n) => /^(runbook|procedures)-.+-\d+\.json$/.test(n));
    // Every part the index names, and no other file.
    const named = (list: string[], parts: number[][] | undefined) =>
      list.flatMap((name, f) => (parts?.[f] ?? []).map((_, p) => partName(name, p)));
    expect(names.sort()).toEqual(
      [
        ...named(index.files.slices, index.sections.parts),
        ...named(index.files.procedures ?? [], index.procedures?.parts),
      ].sort(),
    );
    expect(names.length).toBeGreaterThan(whole.runbooks.length * 2);
    for (const name of names) {
      const text = files[name] as string;
      if (text.length > SLICE_BUDGET) expect(JSON.parse(text), name).toHaveLength(1);
    }
  });
});
