import { describe, expect, it } from 'vitest';
import {
  blockText,
  codeSpans,
  echoedMessages,
  githubSlug,
  lex,
  lexWithLines,
  proseQuotes,
  Slugger,
} from '../../../src/runbooks/compile/markdown';

describe('githubSlug', () => {
  it.each([
    ['"Token expired" — Cognito refresh', 'token-expired--cognito-refresh'],
    ['"Generation timeout" — Bedrock throttling', 'generation-timeout--bedrock-throttling'],
    ['Step 2: Update Route 53', 'step-2-update-route-53'],
    ['Backend (Lambda)', 'backend-lambda'],
    ['SIT → PROD release', 'sit--prod-release'],
    ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
    ['Ünïcödé Café', 'ünïcödé-café'],
    ['  Leading spaces', '--leading-spaces'],
    ['429s & 5xx?', '429s--5xx'],
  ])('%s → %s', (heading, anchor) => {
    expect(githubSlug(heading)).toBe(anchor);
  });

  it('suffixes duplicates -1, -2 the way GitHub does', () => {
    const slugger = new Slugger();
    expect(['Fix', 'Fix', 'Verify', 'Fix', 'Fix 1', 'Fix'].map((h) => slugger.slug(h))).toEqual([
      'fix',
      'fix-1',
      'verify',
      'fix-2',
      'fix-1-1',
      'fix-3',
    ]);
  });
});

describe('lexWithLines', () => {
  it('gives each top-level block its 1-based source line', () => {
    const md = '# Title\n\nText\n\n\n## Two\n\n```bash\necho\n```\n';
    const lines = lexWithLines(md)
      .filter((t) => t.token.type !== 'space')
      .map((t) => [t.token.type, t.line]);
    expect(lines).toEqual([
      ['heading', 1],
      ['paragraph', 3],
      ['heading', 6],
      ['code', 8],
    ]);
  });
});

describe('blockText', () => {
  it('drops Markdown marks and HTML comments, keeps code and table cells', () => {
    const md =
      'Use **bold** and `code` <!-- bot: x=1 --> [link](http://x).\n\n| a | b |\n|---|---|\n| `1` | *2* |\n\n```bash\nls -la\n```\n';
    expect(blockText(lex(md))).toBe('Use bold and code  link.\na | b\n1 | 2\nls -la');
  });
});

describe('codeSpans', () => {
  it('reads code spans as CommonMark does: wrapped, with a backtick inside, in lists and tables, not code blocks', () => {
    const md = [
      'The CLI says `Token has',
      'expired` and ``Did you mean `id-token`?``.',
      '',
      '1. **Step** with `a &lt; b`:',
      '',
      '   ```bash',
      '   echo `Not A Span`',
      '   ```',
      '',
      '| Error | Fix |',
      '|---|---|',
      '| `User is disabled.` | enable |',
    ].join('\n');
    expect(codeSpans(md)).toEqual([
      'Token has expired',
      'Did you mean `id-token`?',
      'a < b',
      'User is disabled.',
    ]);
    // Tokens a caller lexed already read the same (search-index.ts lexes a section once for all readings).
    expect(codeSpans(lex(md))).toEqual(codeSpans(md));
  });
});

describe('proseQuotes', () => {
  it('reads double quotes in prose, in lists and tables, not in code, and not across code or emphasis', () => {
    const md = [
      'The dialog says "Please sign out and sign in again." and the toast \u201cPlease sign in again.\u201d',
      '',
      '- A banner: "We lost the connection to the generator."',
      '- Not `"a quote in code"`, nor "half `code` half".',
      '',
      '| Screen | Fix |',
      '|---|---|',
      '| "The server took too long to respond." | retry |',
      '',
      '```bash',
      'echo "not prose"',
      '```',
    ].join('\n');
    expect(proseQuotes(md)).toEqual([
      'Please sign out and sign in again.',
      'Please sign in again.',
      'We lost the connection to the generator.',
      'The server took too long to respond.',
    ]);
    expect(proseQuotes(lex(md))).toEqual(proseQuotes(md));
  });
});

describe('echoedMessages: texts', () => {
  it("reads what a section's scripts echo, in code blocks (in lists too), split where a variable or command is substituted", () => {
    const md = [
      'Prose that says `echo "not this"`.',
      '',
      '```bash',
      'if [ "$waiting" = 2 ]; then echo "FAILED: read StatusReason (get-provisioned-concurrency-config)"; break; fi',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell's ${var}, what the test reads.
      'echo "${fn}: no provisioned concurrency configured"',
      "echo 'all $fn READY'",
      'echo "eu-west-1 target: $(dig +short "$HOST")"',
      'echoes "not an echo"',
      '```',
      '',
      '1. **Step**',
      '',
      '   ```bash',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell's ${var}, what the test reads.
      '   echo "FAIL marker not in ${REGION} after 30 s"',
      '   ```',
    ].join('\n');
    expect(echoedMessages(md).texts).toEqual([
      'FAILED: read StatusReason (get-provisioned-concurrency-config)',
      ': no provisioned concurrency configured',
      'all $fn READY',
      'eu-west-1 target:',
      'FAIL marker not in',
      'after 30 s',
    ]);
  });
});

describe('echoedMessages: templates', () => {
  it('reads the double-quoted echoes that substitute a value, as their literal parts in order', () => {
    const md = [
      '```bash',
      'if late; then echo "$region $fn: still $status after 15 minutes" >&2; fi',
      'echo "all READY"',
      "echo 'still $status after 15 minutes'",
      '```',
    ].join('\n');
    expect(echoedMessages(md).templates).toEqual([['', ' ', ': still ', ' after 15 minutes']]);
  });
});
