/**
 * The parts of an answer kept per section (src/slack/render/answer-cache.ts) change nothing an answer
 * shows: a second answer of a section, with another question, another set of other matches and other trust
 * lines, is the answer a fresh copy of the artifact (nothing kept) gives; the kept sections are bounded;
 * what is kept cannot be changed by one answer for the next.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import { renderAnswer } from '../../src/slack/render/answer';
import { CACHED_SECTIONS, cachedSections } from '../../src/slack/render/answer-cache';
import { partsOf } from '../../src/slack/render/answer-parts';
import { loadTestArtifact } from '../helpers/artifact';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';
const OTHER_REPO = 'https://git.example.com/ops/runbooks/blob/main';

let artifact: Artifact;
beforeAll(async () => {
  artifact = await loadTestArtifact();
});

/** A copy of the artifact with its own section objects: nothing kept for the original applies to it. */
const freshCopy = (a: Artifact): Artifact => JSON.parse(JSON.stringify(a)) as Artifact;

const render = (a: Artifact, s: Section, opts: { query: string; others: Section[]; repoUrl?: string }) =>
  renderAnswer({
    section: s,
    view: 'summary',
    artifact: a,
    repoUrl: opts.repoUrl ?? REPO,
    command: '/runbook',
    query: opts.query,
    others: opts.others,
    trust: ['Owner @team', ':warning: stale'],
  });

describe('answers with kept section parts', () => {
  it('answer every section a second time (another query, others, repository) exactly as a fresh artifact does', () => {
    const fresh = freshCopy(artifact);
    const freshById = new Map(fresh.sections.map((s) => [s.id, s]));
    const elsewhere = freshCopy(artifact);
    const elsewhereById = new Map(elsewhere.sections.map((s) => [s.id, s]));
    const byId = new Map(artifact.sections.map((x) => [x.id, x]));
    const symptoms = artifact.sections.filter((s) => partsOf(s, byId).size > 0);
    expect(symptoms.length).toBeGreaterThan(10);
    for (const [i, s] of artifact.sections.entries()) {
      const others = artifact.sections.slice(i + 1, i + 4);
      render(artifact, s, { query: 'first question', others: [] }); // fills what is kept
      const second = { query: `why is ${s.title} <!here> & so slow`, others };
      const again = render(artifact, s, second);
      const expected = render(fresh, freshById.get(s.id)!, {
        ...second,
        others: others.map((o) => freshById.get(o.id)!),
      });
      expect(JSON.stringify(again)).toBe(JSON.stringify(expected));
      // A kept section answered for another repository links there, not to the first one.
      const moved = render(artifact, s, { ...second, repoUrl: OTHER_REPO });
      const expectedMoved = render(elsewhere, elsewhereById.get(s.id)!, {
        ...second,
        others: others.map((o) => elsewhereById.get(o.id)!),
        repoUrl: OTHER_REPO,
      });
      expect(JSON.stringify(moved)).toBe(JSON.stringify(expectedMoved));
      expect(JSON.stringify(moved)).toContain(OTHER_REPO);
    }
  });

  it(`keeps at most ${CACHED_SECTIONS} sections`, () => {
    for (const s of artifact.sections) render(artifact, s, { query: 'q', others: [] });
    expect(artifact.sections.length).toBeGreaterThan(CACHED_SECTIONS);
    expect(cachedSections()).toBe(CACHED_SECTIONS);
  });

  it('shares blocks that cannot be changed by one answer for the next', () => {
    const byId = new Map(artifact.sections.map((x) => [x.id, x]));
    const symptom = artifact.sections.find((s) => partsOf(s, byId).size > 0)!;
    const first = render(artifact, symptom, { query: 'q', others: [] });
    const kept = first.blocks.find((b) => Object.isFrozen(b));
    expect(kept).toBeDefined();
    expect(() => {
      (kept as unknown as { type: string }).type = 'divider';
    }).toThrow(TypeError);
    // The message itself is the answer's own: its list can be extended.
    expect(Object.isFrozen(first.blocks)).toBe(false);
  });
});
