import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunbookFile } from '../../src/runbooks/compile/sections';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import { ActionIds } from '../../src/slack/action-ids';
import {
  type AnswerView,
  decodeAnswerRef,
  encodeAnswerRef,
  parentHeading,
  renderAnswer,
} from '../../src/slack/render/answer';
import {
  ANSWER_PARTS,
  exportsIn,
  firstItem,
  partsOf,
  withVariables,
} from '../../src/slack/render/answer-parts';
import type { Message } from '../../src/slack/render/blocks';
import { renderContacts, renderWho } from '../../src/slack/render/contacts';
import { loadTestArtifact, openSplitInMemory } from '../helpers/artifact';
import { slackLimitViolations } from '../helpers/slack-limits';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';
/** The first screen of an answer: about fifteen lines on a laptop-wide Slack window. */
const FIRST_SCREEN_LINES = 15;
/** Characters of a line before Slack wraps it, on a laptop-wide window. */
const LINE_CHARS = 110;
/** Buttons in one row before they wrap. */
const BUTTONS_PER_ROW = 5;

type Obj = Record<string, unknown>;

/** How many lines a message takes on screen, the way Slack lays blocks out (an estimate, conservative). */
function screenLines(message: Message): number {
  let lines = 0;
  for (const block of message.blocks as unknown as Obj[]) {
    if (block.type === 'header' || block.type === 'context' || block.type === 'divider') lines += 1;
    else if (block.type === 'actions')
      lines += Math.ceil((block.elements as unknown[]).length / BUTTONS_PER_ROW);
    else if (block.type === 'section') {
      const text = (block.text as { text: string }).text;
      for (const line of text.split('\n')) {
        if (/^```$/.test(line)) continue;
        lines += Math.max(1, Math.ceil(line.replace(/^```/, '').length / LINE_CHARS));
      }
    }
  }
  return lines;
}

function allText(message: Message): string {
  return JSON.stringify(message.blocks);
}

let artifact: Artifact;
let byId: Map<string, Section>;
let symptoms: Section[];
beforeAll(async () => {
  artifact = await loadTestArtifact();
  byId = new Map(artifact.sections.map((s) => [s.id, s]));
  symptoms = artifact.sections.filter((s) => partsOf(s, byId).size > 0);
});

const render = (
  section: Section,
  view: AnswerView,
  extra: Partial<Parameters<typeof renderAnswer>[0]> = {},
) =>
  renderAnswer({
    section,
    view,
    artifact,
    repoUrl: REPO,
    command: '/runbook',
    query: 'token expired',
    others: artifact.sections.slice(1, 5),
    trust: ['Owner @team · reviewed 2026-11-01 · build `abc1234`'],
    ...extra,
  });

describe('an answer’s first screen', () => {
  it('fits about fifteen lines for every symptom section, within Slack’s limits', () => {
    expect(symptoms.length).toBeGreaterThanOrEqual(12);
    for (const s of symptoms) {
      const message = render(s, 'summary');
      expect(slackLimitViolations(message), s.id).toEqual([]);
      expect(screenLines(message), `${s.id}\n${allText(message)}`).toBeLessThanOrEqual(FIRST_SCREEN_LINES);
    }
  });

  it('shows the title, What you see, the first fix with its command, and the parts as buttons', () => {
    const s = symptoms.find((x) => x.anchor === 'generation-timeout--bedrock-throttling')!;
    const message = render(s, 'summary');
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: s.title } });
    expect(text).toContain('What you see');
    expect(text).toContain('Generation timeout');
    // The first fix's command (shedding load at API Gateway), not the whole Fix.
    expect(text).toContain('update-stage');
    expect(text).not.toContain('Rate-limit a noisy tenant');
    // The command's variables travel with it, so the block can be pasted alone.
    expect(text).toMatch(/export [^`]*REST_API_ID=a1b2c3d4e5[^`]*\\n[^`]*apigateway update-stage/);
    const ids = message.blocks
      .flatMap((b) => ((b as unknown as Obj).elements as Obj[] | undefined) ?? [])
      .map((e) => e.action_id);
    for (const part of ['d', 'f', 'v', 'e']) expect(ids).toContain(`${ActionIds.answerPart}:${part}`);
    expect(ids).toContain(ActionIds.shareSection);
    expect(ids).toContain(ActionIds.feedbackHelpful);
    expect(ids).toContain(ActionIds.feedbackNotThis);
    // A decision tree leads to this symptom: its walk is offered.
    expect(ids).toContain(ActionIds.treeStart);
  });

  it('keeps every code block whole (fences paired in each block) in every view of every section', () => {
    for (const s of artifact.sections) {
      const views: AnswerView[] = ['summary', 'all', ...ANSWER_PARTS.map((p) => p.key)];
      for (const view of views) {
        const message = render(s, view);
        expect(slackLimitViolations(message), `${s.id} ${view}`).toEqual([]);
        for (const block of message.blocks as unknown as Obj[]) {
          const t = (block.text as { text?: string } | undefined)?.text ?? '';
          expect((t.match(/```/g) ?? []).length % 2, `${s.id} ${view}`).toBe(0);
        }
      }
    }
  });

  it('opens a part in place: its whole text, the other parts as buttons, the current one marked', () => {
    const s = symptoms.find((x) => x.anchor === 'token-expired--cognito-refresh')!;
    const message = render(s, 'd');
    const text = allText(message);
    expect(text).toContain('Diagnosis');
    expect(text).toContain('TokenRefreshSuccesses');
    expect(text).toContain('export USER_POOL_ID=');
    const nav = (message.blocks as unknown as Obj[]).find((b) => b.block_id === 'answer.nav')!;
    const buttons = nav.elements as Obj[];
    expect(buttons.find((b) => b.action_id === `${ActionIds.answerPart}:d`)).toMatchObject({
      style: 'primary',
    });
    expect(buttons.some((b) => b.action_id === `${ActionIds.answerPart}:summary`)).toBe(true);
  });

  it('offers Run as checklist where the section is part of a declared checklist, and the step asked about', () => {
    const s = artifact.sections.find((x) => x.anchor === 'quick-rollback-steps')!;
    const message = render(s, 'summary', { query: 'how do I roll back the frontend' });
    const text = allText(message);
    expect(text).toContain(ActionIds.runChecklist);
    expect(text).toContain('"value":"rollback"');
    expect(text).toMatch(/Step 4: Frontend/);
    expect(text).toContain('create-invalidation');
    expect(screenLines(message)).toBeLessThanOrEqual(FIRST_SCREEN_LINES + 6);
  });

  it('offers Run as checklist for a numbered procedure no checklist declares: the section, or the part open in place', () => {
    const cache = artifact.sections.find((x) => x.anchor === 'invalidate-the-cloudfront-cache')!;
    const procedure = artifact.procedures!.find((p) => p.sectionId === cache.id)!;
    expect(procedure.commands).toEqual([]);
    expect(allText(render(cache, 'summary', { query: 'invalidate the cloudfront cache' }))).toContain(
      `"action_id":"${ActionIds.runChecklist}","value":"${procedure.id}"`,
    );
    // A symptom's Fix, opened in place, runs as a checklist; its first screen keeps to its parts.
    const symptom = symptoms.find((x) => x.anchor === 'generation-timeout--bedrock-throttling')!;
    expect(allText(render(symptom, 'summary'))).not.toContain(ActionIds.runChecklist);
    expect(allText(render(symptom, 'f'))).toContain(
      '"value":"troubleshooting-generation-timeout-bedrock-throttling-fix"',
    );
    // A numbered description runs nothing.
    const path = artifact.sections.find((x) => x.anchor === 'generation-request-path-sse')!;
    expect(allText(render(path, 'summary'))).not.toContain(ActionIds.runChecklist);
  });

  it('shares a compact card: no buttons, who shared it, the link', () => {
    const s = symptoms[0]!;
    const message = render(s, 'summary', { sharedBy: 'U0SHARER' });
    expect((message.blocks as unknown as Obj[]).some((b) => b.type === 'actions')).toBe(false);
    expect(allText(message)).toContain('Shared by <@U0SHARER>');
    expect(screenLines(message)).toBeLessThanOrEqual(FIRST_SCREEN_LINES);
  });
});

describe('answer references in buttons', () => {
  it('round-trip, carry the query escaped, and reject what is not one', () => {
    const ref = { view: 'f' as const, id: 'A.md#x', query: 'ask <!channel> now', others: ['B.md#y'] };
    const value = encodeAnswerRef(ref);
    expect(value).not.toContain('<!channel>');
    expect(decodeAnswerRef(value)).toEqual(ref);
    expect(decodeAnswerRef('nonsense')).toBeNull();
    expect(decodeAnswerRef('x\nA.md#x')).toBeNull();
  });
});

describe('answer parts', () => {
  it('puts the variables a command uses at its top and drops blocks that only set variables', () => {
    const vars = exportsIn('```bash\nexport A=1\nexport B=two\n```');
    expect([...vars.keys()]).toEqual(['A', 'B']);
    const braced = ['"$', '{A}"'].join('');
    const md = `\`\`\`bash\nexport A=1\n\`\`\`\n\n1. **Do it**\n\n   \`\`\`bash\n   run "$B" --x ${braced}\n   \`\`\`\n`;
    const out = withVariables(md, vars);
    expect(out).not.toContain('```bash\nexport A=1\n```');
    expect(out).toContain(
      `   \`\`\`bash\n   export A=1\n   export B=two\n   run "$B" --x ${braced}\n   \`\`\``,
    );
  });

  it('reads the first list item with what is nested in it', () => {
    expect(firstItem('Intro.\n\n1. **One**\n\n   ```bash\n   x\n   ```\n\n2. **Two**\n')).toBe(
      '1. **One**\n\n   ```bash\n   x\n   ```',
    );
    expect(firstItem('Just a paragraph\nover two lines.\n\nAnother.')).toBe(
      'Just a paragraph\nover two lines.',
    );
  });
});

describe('contacts', () => {
  it('mention a configured user group as <!subteam^ID> in the ephemeral list, and stay plain text in channel posts', () => {
    const contacts = [
      { level: 'Security', role: 'Security on-call', who: '@sitecraft-security', phone: '', when: 'Leaks' },
    ];
    const message = renderContacts({
      contacts,
      filter: '',
      command: '/runbook',
      groups: { 'sitecraft-security': 'S0SEC1' },
    });
    expect(JSON.stringify(message.blocks)).toContain('<!subteam^S0SEC1|@sitecraft-security>');
    expect(
      renderWho('@sitecraft-security', { mentions: false, groups: { 'sitecraft-security': 'S0SEC1' } }),
    ).toBe('@sitecraft-security');
    expect(renderWho('@unknown-group', { mentions: true, groups: { 'sitecraft-security': 'S0SEC1' } })).toBe(
      '@unknown-group',
    );
  });

  it('mention only configured user groups, never a name every object has (@constructor, @toString)', () => {
    const out = renderWho('Call @constructor, @toString or @oncall', {
      mentions: true,
      groups: { oncall: 'S0ONCALL' },
    });
    expect(out).toBe('Call @constructor, @toString or <!subteam^S0ONCALL|@oncall>');
  });
});

describe('other matches’ labels', () => {
  const headingAbove = (s: Section) =>
    s.headings.length > 1 ? s.headings[s.headings.length - 2] : undefined;

  it('name the heading above a section from ids, titles and parents, as its headings path does', async () => {
    const artifact = await loadTestArtifact();
    const files = [
      // One leading `#` title: not part of the path.
      ['titled.md', '# Titled\n\n## Area\n\ntext\n\n### Leaf\n\ntext\n'],
      // No `#` title (the runbook's title is its file name): the top-level heading is part of the path.
      ['untitled.md', '## Area\n\ntext\n\n### Leaf\n\ntext\n'],
      // Two `#` headings: neither is the title.
      ['two-h1.md', '# One\n\ntext\n\n## Under one\n\ntext\n\n# Two\n\n## Under two\n\ntext\n'],
    ].map(([file, source]) => parseRunbookFile(file!, source!));
    const all = {
      runbooks: [...artifact.runbooks, ...files.map((f) => f.runbook)],
      sections: [...artifact.sections, ...files.flatMap((f) => f.sections.map((p) => p.section))],
    };
    expect(all.sections.filter((s) => headingAbove(s) !== undefined).length).toBeGreaterThan(100);
    for (const s of all.sections) expect(parentHeading(s, all), s.id).toBe(headingAbove(s));
  });

  it('read no runbook file of a split artifact', async () => {
    const whole = await loadTestArtifact();
    const { opened: split, reads: read } = openSplitInMemory(whole);
    const labels = split.sections.map((s) => parentHeading(s, split));
    expect(read.filter((f) => f.startsWith('runbook-'))).toEqual([]);
    expect(labels).toEqual(whole.sections.map(headingAbove));
  });
});
