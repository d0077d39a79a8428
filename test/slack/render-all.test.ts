import { beforeAll, describe, expect, test } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { renderList } from '../../src/slack/render/list';
import { renderSectionAnswer } from '../../src/slack/render/section';
import { loadTestArtifact } from '../helpers/artifact';
import { slackLimitViolations } from '../helpers/slack-limits';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';
let artifact: Artifact;

beforeAll(async () => {
  artifact = await loadTestArtifact();
});

describe('every section of every runbook renders within Slack limits', () => {
  test('as the asker sees it, with other matches', () => {
    expect(artifact.sections.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [i, section] of artifact.sections.entries()) {
      const others = artifact.sections.slice(i + 1, i + 5);
      const msg = renderSectionAnswer({
        section,
        others,
        artifact,
        repoUrl: REPO,
        command: '/runbook',
        query: section.title,
      });
      for (const v of slackLimitViolations(msg)) problems.push(`${section.id}: ${v}`);
    }
    expect(problems).toEqual([]);
  });

  test('as shared in the channel', () => {
    const problems: string[] = [];
    for (const section of artifact.sections) {
      const msg = renderSectionAnswer({
        section,
        artifact,
        repoUrl: REPO,
        command: '/runbook',
        sharedBy: 'U0ALICE',
      });
      for (const v of slackLimitViolations(msg)) problems.push(`${section.id}: ${v}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('list', () => {
  test('all runbooks, and each runbook in full, render within Slack limits and name every runbook', () => {
    const all = renderList({ artifact, repoUrl: REPO, command: '/runbook' });
    expect(slackLimitViolations(all)).toEqual([]);
    for (const r of artifact.runbooks) {
      expect(JSON.stringify(all.blocks)).toContain(r.title);
      const one = renderList({
        artifact,
        repoUrl: REPO,
        command: '/runbook',
        filter: r.file.replace(/\.md$/, ''),
      });
      expect(slackLimitViolations(one)).toEqual([]);
    }
  });
});

describe('a section far past Slack limits', () => {
  test('is cut at a block boundary with a link to the rest, within every limit', () => {
    const base = artifact.sections[0]!;
    const code = Array.from(
      { length: 60 },
      (_, i) => `aws s3 ls s3://bucket-${i} --recursive # ${'x'.repeat(30)}`,
    ).join('\n');
    const markdown = Array.from(
      { length: 30 },
      (_, i) => `Paragraph ${i} ${'word '.repeat(150)}\n\n\`\`\`bash\n${code}\n\`\`\``,
    ).join('\n\n');
    expect(markdown.length).toBeGreaterThan(100_000);
    const msg = renderSectionAnswer({
      section: { ...base, markdown },
      artifact,
      repoUrl: REPO,
      command: '/runbook',
    });
    expect(slackLimitViolations(msg)).toEqual([]);
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('This section continues.');
    expect(text).toContain(`<${REPO}/${base.file}#${base.anchor}|Read the rest in the runbook>`);
  });
});

describe('a symptom answer carries the whole fix', () => {
  test('its sub-sections (What you see … Escalate) are in the answer, and not offered again as other matches', () => {
    const symptom = artifact.sections.find(
      (s) => s.id === 'TROUBLESHOOTING.md#token-expired--cognito-refresh',
    )!;
    const children = symptom.children.map((id) => artifact.sections.find((s) => s.id === id)!);
    expect(children.map((c) => c.title)).toEqual(
      expect.arrayContaining(['What you see', 'Likely causes', 'Diagnosis', 'Fix', 'Verify', 'Escalate']),
    );
    const msg = renderSectionAnswer({
      section: symptom,
      others: [...children, artifact.sections[0]!],
      artifact,
      repoUrl: REPO,
      command: '/runbook',
      query: 'token expired',
    });
    const text = JSON.stringify(msg.blocks);
    for (const c of children) expect(text).toContain(`*${c.title}*`);
    const fix = children.find((c) => c.title === 'Fix')!;
    // Every long word of the Fix body appears in the answer.
    const fixWords = fix.text.match(/[A-Za-z_]{10,}/g) ?? [];
    expect(fixWords.length).toBeGreaterThan(0);
    for (const word of fixWords) expect(text).toContain(word);
    const otherButtons = msg.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => ('elements' in b ? (b.elements as { text?: { text: string } }[]) : []))
      .map((e) => e.text?.text ?? '');
    for (const c of children) expect(otherButtons.some((t) => t.startsWith(c.title))).toBe(false);
    expect(slackLimitViolations(msg)).toEqual([]);
  });

  test('a section too large for one message lists its sub-sections instead of cutting them', () => {
    const runbookTitle = artifact.sections.find((s) => s.id === 'TROUBLESHOOTING.md#authentication-issues')!;
    const msg = renderSectionAnswer({ section: runbookTitle, artifact, repoUrl: REPO, command: '/runbook' });
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('In this section:');
    for (const id of runbookTitle.children) {
      const child = artifact.sections.find((s) => s.id === id)!;
      expect(text).toContain(`#${child.anchor}|`);
    }
    expect(slackLimitViolations(msg)).toEqual([]);
  });
});
