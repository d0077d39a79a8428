import { describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { RunbookCompileError } from '../../../src/runbooks/compile/errors';
import { parseRunbookFile } from '../../../src/runbooks/compile/sections';
import { readRunbookSources } from '../../../src/runbooks/model/source-hash';
import { loadTestArtifact, RUNBOOKS_DIR } from '../../helpers/artifact';
import { FIXTURES, TROUBLESHOOTING_MD } from '../fixtures';

/** ATX headings outside fenced code, counted without marked: the compiler must not lose any. */
function countHeadings(source: string): number {
  let inFence = false;
  let n = 0;
  for (const line of source.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && /^\s{0,3}#{1,6}\s/.test(line)) n++;
  }
  return n;
}

describe('sections', () => {
  it('makes every heading of every fixture file a section', async () => {
    const artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
    for (const f of FIXTURES) {
      expect(artifact.sections.filter((s) => s.file === f.file)).toHaveLength(countHeadings(f.source));
    }
  });

  it('makes every heading of every real runbook a section', async () => {
    const artifact = await loadTestArtifact();
    const sources = await readRunbookSources(RUNBOOKS_DIR);
    expect(sources.length).toBeGreaterThan(0);
    for (const f of sources) {
      expect(artifact.sections.filter((s) => s.file === f.file).length, f.file).toBe(countHeadings(f.source));
    }
  });

  it('leaves the single # title out of heading paths and links parents and children', () => {
    const { runbook, sections } = parseRunbookFile('TROUBLESHOOTING.md', TROUBLESHOOTING_MD);
    const byAnchor = new Map(sections.map((p) => [p.section.anchor, p.section]));
    expect(runbook.title).toBe('Troubleshooting');
    const token = byAnchor.get('token-expired--cognito-refresh')!;
    expect(token.headings).toEqual(['Authentication issues', '"Token expired" — Cognito refresh']);
    expect(token.level).toBe(3);
    expect(token.line).toBe(9);
    expect(token.parent).toBe('TROUBLESHOOTING.md#authentication-issues');
    expect(token.children).toEqual([
      'TROUBLESHOOTING.md#what-you-see',
      'TROUBLESHOOTING.md#likely-causes',
      'TROUBLESHOOTING.md#diagnosis',
      'TROUBLESHOOTING.md#fix',
      'TROUBLESHOOTING.md#verify',
      'TROUBLESHOOTING.md#escalate',
    ]);
    expect(byAnchor.get('troubleshooting')!.headings).toEqual(['Troubleshooting']);
    expect(byAnchor.get('fix-1')!.headings).toEqual([
      'Model issues',
      '"Generation timeout" — Bedrock throttling',
      'Fix',
    ]);
    expect([...byAnchor.keys()].filter((a) => a.startsWith('fix'))).toEqual([
      'fix',
      'fix-1',
      'fix-2',
      'fix-3',
    ]);
  });

  it('keeps body Markdown, plain text, summary, code blocks with language and line, and tables', () => {
    const { sections } = parseRunbookFile('TROUBLESHOOTING.md', TROUBLESHOOTING_MD);
    const seen = sections.find((p) => p.section.anchor === 'what-you-see')!.section;
    expect(seen.markdown).toBe('Users are logged out and the API answers 401 with `Token expired`.');
    expect(seen.text).toBe('Users are logged out and the API answers 401 with Token expired.');
    expect(seen.summary).toBe(seen.text);
    const diagnosis = sections.find((p) => p.section.anchor === 'diagnosis')!.section;
    expect(diagnosis.code).toEqual([
      { lang: 'bash', code: 'aws cognito-idp describe-user-pool --user-pool-id "$POOL_ID"', line: 23 },
    ]);
    const { sections: ops } = parseRunbookFile(
      'X.md',
      '# X\n\n## T\n\nIntro.\n\n| A | B |\n|---|---|\n| `1` | two |\n',
    );
    expect(ops[1]!.section.tables).toEqual([{ header: ['A', 'B'], rows: [['1', 'two']], line: 7 }]);
  });

  it('keeps every # heading in the path when a file has several', () => {
    const { sections } = parseRunbookFile('M.md', '# One\n\n## A\n\n# Two\n\n## B\n');
    expect(sections.map((p) => p.section.headings)).toEqual([['One'], ['One', 'A'], ['Two'], ['Two', 'B']]);
  });

  it('reads setext headings and code in headings', () => {
    const { sections } = parseRunbookFile('S.md', 'Title\n=====\n\nSub `code`\n---\n\ntext\n');
    expect(sections.map((p) => [p.section.title, p.section.anchor, p.section.level])).toEqual([
      ['Title', 'title', 1],
      ['Sub code', 'sub-code', 2],
    ]);
  });

  it('refuses text before the first heading instead of dropping it', () => {
    expect(() => parseRunbookFile('P.md', '<!-- a comment is fine -->\n\nStray text.\n\n# Title\n')).toThrow(
      new RunbookCompileError('P.md', 3, 'content before the first heading belongs to no section'),
    );
  });
});
