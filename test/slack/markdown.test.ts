import { describe, expect, test } from 'vitest';
import { renderBody, splitLines } from '../../src/slack/render/body';
import { escapeMrkdwn, quoteUserText } from '../../src/slack/render/escape';
import { SLACK_LIMITS, truncate } from '../../src/slack/render/limits';
import { inline, markdownToSegments, plainInline, repoLinkResolver } from '../../src/slack/render/markdown';

const REPO = 'https://github.com/example/runbooks/blob/main/runbooks';
const resolveLink = repoLinkResolver(REPO, 'TROUBLESHOOTING.md');

describe('escapeMrkdwn', () => {
  test('escapes exactly &, <, > in that order', () => {
    expect(escapeMrkdwn('a & b < c > d &amp;')).toBe('a &amp; b &lt; c &gt; d &amp;amp;');
    expect(escapeMrkdwn('<!channel> <@U123> <http://x|y>')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt;',
    );
    expect(escapeMrkdwn('*bold* _i_ `c` 🙂 é')).toBe('*bold* _i_ `c` 🙂 é');
  });

  test('quoteUserText shortens on a code point boundary and keeps one line', () => {
    expect(quoteUserText('a\n\nb  c')).toBe('a b c');
    const emoji = '🙂'.repeat(10);
    const short = quoteUserText(emoji, 5);
    expect(short.length).toBeLessThanOrEqual(5);
    expect(short).toBe('🙂🙂…');
    expect(truncate('x'.repeat(10), 4)).toBe('xxx…');
  });

  test('quoteUserText drops bidirectional controls, which would reorder the quoted words on screen', () => {
    // U+202E RIGHT-TO-LEFT OVERRIDE … U+202C POP; U+2067 RIGHT-TO-LEFT ISOLATE … U+2069 POP.
    expect(quoteUserText('token \u202edeirpxe\u202c now')).toBe('token deirpxe now');
    expect(quoteUserText('\u2067L4\u2069 security')).toBe('L4 security');
    // Zero-width characters and other controls vanish without splitting the word they hid in.
    expect(quoteUserText('to\u200bken\u0007 ex\ufeffpired')).toBe('token expired');
  });
});

describe('inline Markdown → mrkdwn', () => {
  test.each([
    ['**bold** and __bold__', '*bold* and *bold*'],
    ['*italic* and _italic_', '_italic_ and _italic_'],
    ['~~gone~~', '~gone~'],
    ['a `code <b> & *x*` z', 'a `code &lt;b&gt; &amp; *x*` z'],
    ['snake_case_name stays', 'snake_case_name stays'],
    ['5 * 3 * 2', '5 * 3 * 2'],
    ['**Approval gate:** _now_', '*Approval gate:* _now_'],
    ['x < y && y > z', 'x &lt; y &amp;&amp; y &gt; z'],
  ])('%s', (md, expected) => {
    expect(inline(md)).toBe(expected);
  });

  test('links in Slack syntax; relative links resolved against the repository', () => {
    expect(inline('[AWS](https://aws.amazon.com/?a=1&b=2)', { resolveLink })).toBe(
      '<https://aws.amazon.com/?a=1&b=2|AWS>',
    );
    expect(inline('see [the fix](#fix-1)', { resolveLink })).toBe(
      `see <${REPO}/TROUBLESHOOTING.md#fix-1|the fix>`,
    );
    expect(inline('[DR](DR_FAILOVER.md#dr-architecture)', { resolveLink })).toBe(
      `<${REPO}/DR_FAILOVER.md#dr-architecture|DR>`,
    );
    expect(inline('[**bold** label](https://x.test)', { resolveLink })).toBe('<https://x.test|*bold* label>');
    expect(inline('<https://status.aws.amazon.com>', { resolveLink })).toBe(
      '<https://status.aws.amazon.com>',
    );
    // Anything that is not http(s)/mailto or a repository path keeps its label only.
    expect(inline('[click](javascript:alert(1))', { resolveLink })).toBe('click');
  });

  test('formatting placeholders cannot be forged from input', () => {
    expect(inline('\u0002 0 \u0002 **a**')).toBe(' 0  *a*');
  });

  test('plainInline removes marks for monospace tables', () => {
    expect(plainInline('**L1** [on-call](#x) `cmd` _now_')).toBe('L1 on-call cmd now');
  });
});

describe('block Markdown → segments', () => {
  test('paragraphs join their lines; lists, quotes and comments', () => {
    const md = [
      '<!-- bot: keywords="a b" -->',
      'First line',
      'continues here.',
      '',
      '- one',
      '  - nested **bold**',
      '- [ ] todo',
      '- [x] done',
      '1. first',
      '2. second',
      '   continued',
      '',
      '> **Approval gate: SIT → PROD.** Approvers: Security.',
    ].join('\n');
    const [seg] = markdownToSegments(md);
    expect(seg).toEqual({
      kind: 'text',
      mrkdwn: [
        'First line continues here.',
        '',
        '• one\n\u2003◦ nested *bold*\n• ☐ todo\n• ☑ done\n1. first\n2. second continued',
        '',
        '> *Approval gate: SIT → PROD.* Approvers: Security.',
      ].join('\n'),
    });
  });

  test('code blocks are kept whole, with their language', () => {
    const md = 'Run:\n\n```bash\nexport A=1 && echo "<x>"\n\naws s3 ls\n```\n\nDone.';
    expect(markdownToSegments(md)).toEqual([
      { kind: 'text', mrkdwn: 'Run:' },
      { kind: 'code', lang: 'bash', code: 'export A=1 && echo "<x>"\n\naws s3 ls' },
      { kind: 'text', mrkdwn: 'Done.' },
    ]);
  });

  test('tables: narrow ones aligned in monospace, wide ones one line per row', () => {
    const narrow = markdownToSegments('| Level | Who |\n|---|---|\n| L1 | `@oncall` |\n| L2 | Ops \\| SRE |');
    expect(narrow).toEqual([
      {
        kind: 'table',
        header: ['Level', 'Who'],
        rows: [
          ['L1', '`@oncall`'],
          ['L2', 'Ops | SRE'],
        ],
      },
    ]);
    const body = renderBody(narrow, { maxBlocks: 10, maxChars: 10_000 });
    expect((body.blocks[0] as { text: { text: string } }).text.text).toBe(
      '```\nLevel | Who\n------+----------\nL1    | @oncall\nL2    | Ops | SRE\n```',
    );
    const wide = markdownToSegments(
      `| Component | Notes |\n|---|---|\n| API | ${'long words '.repeat(10)}|\n| Web | **CDN** |`,
    );
    const text = (
      renderBody(wide, { maxBlocks: 10, maxChars: 10_000 }).blocks[0] as { text: { text: string } }
    ).text.text;
    expect(text.split('\n')).toEqual([
      `• *API* — _Notes:_ ${'long words '.repeat(10).trim()}`,
      '• *Web* — _Notes:_ *CDN*',
    ]);
  });
});

describe('long sections', () => {
  const code = Array.from({ length: 40 }, (_, i) => `echo "step ${i}" # ${'x'.repeat(40)}`).join('\n');
  const para = (i: number) => `Paragraph ${i}: ${'words and more words '.repeat(20)}`;

  test('split across blocks without cutting a code block', () => {
    const md = [para(1), '```bash', code, '```', para(2), para(3), '```', code, '```', para(4)].join('\n\n');
    const body = renderBody(markdownToSegments(md), { maxBlocks: 40, maxChars: 20_000 });
    expect(body.truncated).toBe(false);
    expect(body.blocks.length).toBeGreaterThan(1);
    for (const b of body.blocks) {
      const text = (b as { text: { text: string } }).text.text;
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    const all = body.blocks.map((b) => (b as { text: { text: string } }).text.text).join('\n');
    expect(all.match(/echo "step 39"/g)).toHaveLength(2);
  });

  test('a code block longer than one block is split at line boundaries, each part fenced', () => {
    const huge = Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(30)}`).join('\n');
    const body = renderBody([{ kind: 'code', lang: '', code: huge }], { maxBlocks: 40, maxChars: 20_000 });
    expect(body.blocks.length).toBeGreaterThan(2);
    const texts = body.blocks.map((b) => (b as { text: { text: string } }).text.text);
    for (const t of texts) {
      expect(t.startsWith('```\n') && t.endsWith('\n```')).toBe(true);
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    expect(texts.join('\n')).toContain(`line 199 ${'y'.repeat(30)}`);
  });

  test('past the budget the body stops at a block boundary and says it was cut', () => {
    const md = Array.from({ length: 100 }, (_, i) => para(i)).join('\n\n');
    const body = renderBody(markdownToSegments(md), { maxBlocks: 5, maxChars: 9000 });
    expect(body.truncated).toBe(true);
    expect(body.blocks.length).toBeLessThanOrEqual(5);
  });

  test('splitLines never cuts an escape entity', () => {
    const parts = splitLines(`${'a'.repeat(8)}&amp;${'b'.repeat(8)}`, 10);
    expect(parts.join('')).toBe(`${'a'.repeat(8)}&amp;${'b'.repeat(8)}`);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(10);
    expect(parts.some((p) => p.includes('&amp;'))).toBe(true);
  });
});
