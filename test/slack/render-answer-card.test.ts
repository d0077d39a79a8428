/**
 * Answer cards (issue 21): a symptom's first-screen summary, made at build time by the renderer itself and
 * written into the split artifact, so a cold start's first answer reads one small file instead of the
 * section's Markdown. The message stays the renderer's: every view of every section over an artifact with
 * cards is byte for byte the whole artifact's (no cards), with and without a question, other matches and a
 * trust warning (which change how much of the summary fits the first screen).
 */
import { describe, expect, it } from 'vitest';
import { runtimeArtifact } from '../../src/runbooks/model/artifact';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import {
  answerCardOf,
  openSplitArtifact,
  type SplitFiles,
  splitArtifact,
} from '../../src/runbooks/model/split';
import { type AnswerView, answerCard, answerCards, renderAnswer } from '../../src/slack/render/answer';
import { ANSWER_PARTS, partsOf } from '../../src/slack/render/answer-parts';
import { loadTestArtifact } from '../helpers/artifact';

const REPO = 'https://example.com/org/runbooks';

interface Frame {
  query?: string;
  others: number;
  warning: boolean;
}

const FRAMES: Frame[] = [
  { query: 'token expired after an hour', others: 3, warning: false },
  { query: 'x', others: 0, warning: true },
  { others: 0, warning: false },
  { query: 'build failed', others: 4, warning: true },
];

function render(artifact: Artifact, i: number, view: AnswerView, frame: Frame): string {
  const all = artifact.sections;
  return JSON.stringify(
    renderAnswer({
      section: all[i]!,
      view,
      artifact,
      repoUrl: REPO,
      command: '/runbook',
      ...(frame.query !== undefined ? { query: frame.query } : {}),
      others: Array.from({ length: frame.others }, (_, d) => all[(i + 1 + d * 29) % all.length]!),
      trust: [
        'Owner @team · reviewed 2026-11-01',
        ...(frame.warning ? [':warning: Not reviewed for 200 days'] : []),
      ],
    }),
  );
}

function open({ index, files }: SplitFiles, reads: string[] = []): Artifact {
  return openSplitArtifact(JSON.parse(JSON.stringify(index)), (name) => {
    reads.push(name);
    const f = files[name];
    if (f === undefined) throw new Error(`no file ${name}`);
    return typeof f === 'string' ? Buffer.from(f) : f;
  });
}

describe('answer cards', () => {
  it('give every view of every section exactly the renderer’s message, each from a fresh open', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const cards = answerCards(whole);
    const split = splitArtifact(whole, { cards });
    expect(Object.keys(split.index.files.cards ?? {})).toHaveLength(cards.size);
    expect(cards.has('TROUBLESHOOTING.md#token-expired--cognito-refresh')).toBe(true);
    const views: AnswerView[] = ['summary', 'all', ...ANSWER_PARTS.map((p) => p.key)];
    let carded = 0;
    whole.sections.forEach((s, i) => {
      if (cards.has(s.id)) carded++;
      // A carded section in every frame (how much of its summary fits differs), any other in one.
      for (const frame of cards.has(s.id) ? FRAMES : FRAMES.slice(0, 1)) {
        // The summary (where a card is used) from a fresh open, as on a cold start; the other views after it.
        const opened = open(split);
        for (const view of views)
          expect(render(opened, i, view, frame), `${s.id} ${view} ${JSON.stringify(frame)}`).toBe(
            render(whole, i, view, frame),
          );
      }
    });
    expect(carded).toBe(cards.size);
    expect(carded).toBeGreaterThan(5);
  }, 120_000);

  it('spare a first answer the Markdown of the section’s parts and ancestors', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const withCards = splitArtifact(whole, { cards: answerCards(whole) });
    const without = splitArtifact(whole);
    const sectionFiles = (reads: string[]) => reads.filter((r) => r.startsWith('runbook-'));
    let cardedReads = 0;
    let plainReads = 0;
    for (const [id] of answerCards(whole)) {
      const i = whole.sections.findIndex((s) => s.id === id);
      const carded: string[] = [];
      render(open(withCards, carded), i, 'summary', FRAMES[0]!);
      const plain: string[] = [];
      render(open(without, plain), i, 'summary', FRAMES[0]!);
      expect(carded, id).toContain(`card-${i}.json`);
      // Its own part only (its title, summary and sub-section list), none of its parts' or ancestors' more.
      expect(sectionFiles(carded).length, id).toBeLessThanOrEqual(1);
      for (const name of sectionFiles(carded)) expect(sectionFiles(plain), id).toContain(name);
      cardedReads += sectionFiles(carded).length;
      plainReads += sectionFiles(plain).length;
    }
    expect(cardedReads).toBeLessThan(plainReads);
  });

  it('are made only for symptoms, and not when the summary links into the repository (its URL is set at deploy)', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const byId = new Map(whole.sections.map((s) => [s.id, s]));
    for (const s of whole.sections)
      if (partsOf(s, byId).size === 0) expect(answerCard(s, whole), s.id).toBeUndefined();
    const id = 'TROUBLESHOOTING.md#token-expired--cognito-refresh';
    const symptom = byId.get(id)!;
    expect(answerCard(symptom, whole)).toBeDefined();
    // The same symptom whose first fix starts with a link to another runbook file.
    const fix = partsOf(symptom, byId).get('f')!;
    const linked: Section = {
      ...fix,
      markdown: fix.markdown.replace(
        /^(\s*(?:[-*+]|\d+[.)])\s+)/m,
        '$1See [the guide](OPERATIONS.md#guide) first. ',
      ),
    };
    expect(linked.markdown).not.toBe(fix.markdown);
    const sections = whole.sections.map((s) => (s.id === fix.id ? linked : s));
    expect(answerCard(symptom, { ...whole, sections })).toBeUndefined();
  });

  it('are read by section id, and a whole artifact has none', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const cards = answerCards(whole);
    const opened = open(splitArtifact(whole, { cards }));
    for (const [id, card] of cards)
      expect(answerCardOf(opened, id), id).toEqual(JSON.parse(JSON.stringify(card)));
    expect(answerCardOf(opened, 'TROUBLESHOOTING.md#no-such-section')).toBeUndefined();
    expect(answerCardOf(whole, [...cards.keys()][0]!)).toBeUndefined();
    expect(() => splitArtifact(whole, { cards: new Map([['NOPE.md#x', {}]]) })).toThrow(/no such section/);
  });
});
