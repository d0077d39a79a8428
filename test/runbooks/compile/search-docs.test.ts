/**
 * The search documents the compiler indexes (src/runbooks/compile/search-index.ts): a command's bare numbers
 * and region codes are parameters and are left out; prose, a decision tree's labels and shell syntax stay.
 * And the messages a symptom's "What you see" quotes in code marks, which name that symptom, and the messages
 * another section's prose quotes (not its commands, not its code blocks).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { buildSearchDocs } from '../../../src/runbooks/compile/search-index';
import type { Artifact, SearchDoc } from '../../../src/runbooks/model/model';

const MD = `# Ops

## Tail the stream

The stream function's timeout is 300 s; the agent runs in eu-west-1.

\`\`\`bash
aws cloudwatch get-metric-statistics --region af-south-1 --period 300 -m 20 --query 'x' --output text
echo $'quoted' $$ "$AWS_REGION"
\`\`\`

\`\`\`mermaid
flowchart TD
  Q1 -->|504 or API timeout| L1["fix"]
\`\`\`

## Sign in

1. **Sign in** again when the CLI says \`Error when retrieving token from sso: Token has
   expired and refresh failed\`:

   \`\`\`bash
   echo \`Not A Message Of This Section\`
   \`\`\`

   then run \`aws sso login --sso-session work\` and \`Unknown\`.

## "Session invalid" — logout

### What you see

- A disabled user's sign-in gets \`User is disabled.\`; others see \`npm ci\` or \`Invalid Refresh Token\`.

## Blocked by the firewall — a managed rule

### What you see

- A 403 whose body has no \`code\` field.

### Fix

- Override the rule to count.
`;

describe('the search documents', () => {
  let artifact: Artifact;
  let tail: SearchDoc;
  beforeAll(async () => {
    artifact = await compileRunbookSources([{ file: 'OPS.md', source: MD }], { skipTrees: true });
    tail = buildSearchDocs(artifact.sections, artifact.runbooks).find(
      (d) => d.id === 'OPS.md#tail-the-stream',
    )!;
  });

  it("leaves out a command's bare numbers and region codes, and keeps the prose's and the tree's", () => {
    const words = tail.body.split(/[^a-z0-9$'-]+/);
    expect(words).not.toContain('20');
    expect(words).not.toContain('af-south-1');
    // The prose's "300 s" and "eu-west-1", and the tree's "504", stay.
    expect(tail.body).toContain('timeout is 300 s');
    expect(tail.body).toContain('runs in eu-west-1');
    expect(tail.body).toContain('504 or api timeout');
    expect(tail.body.match(/\b300\b/g)).toHaveLength(1);
  });

  it('keeps shell syntax that a replacement string would have read as a pattern', () => {
    expect(tail.body).toContain(`echo $'quoted' $$ "$aws_region"`);
  });

  it("stores the messages a symptom's What you see quotes, three words or more", () => {
    const data = artifact.search;
    const at = data.ids.indexOf('OPS.md#session-invalid--logout');
    const signIn = data.ids.indexOf('OPS.md#sign-in');
    // Each message once, with the sections that quote it: nothing for every other section at cold start,
    // nor for the symptom's What you see (the symptom has its messages).
    // By first word: a query tests only the messages that begin with one of its words.
    expect(data.quotedBy).toEqual({
      error: { 'error when retrieving token from sso token has expired and refresh failed': [signIn] },
      user: { 'user is disabled': [at] },
      invalid: { 'invalid refresh token': [at] },
    });
  });

  it('reads a section with a What you see as a symptom though its title quotes no message', () => {
    const docs = buildSearchDocs(artifact.sections, artifact.runbooks);
    const blocked = docs.find((d) => d.id === 'OPS.md#blocked-by-the-firewall--a-managed-rule')!;
    // Its What you see is its symptom text, and its parts' words are its own (its Fix's "override").
    expect(blocked.symptom).toContain('a 403 whose body has no code field');
    expect(blocked.body).toContain('override the rule to count');
    const data = artifact.search;
    const at = data.ids.indexOf('OPS.md#blocked-by-the-firewall--a-managed-rule');
    expect(data.messages[at]).toBe('');
    expect(data.seen?.[at]).toContain('a 403 whose body has no code field');
  });

  it("stores the messages another section's prose quotes: a code span across a line break, no command", () => {
    const data = artifact.search;
    const signIn = data.ids.indexOf('OPS.md#sign-in');
    expect(
      data.quotedBy?.['error']?.['error when retrieving token from sso token has expired and refresh failed'],
    ).toEqual([signIn]);
  });
});

/** The search data of one runbook, `OPS.md`, made of these lines. */
async function searchOf(lines: readonly string[]): Promise<Artifact['search']> {
  const artifact = await compileRunbookSources([{ file: 'OPS.md', source: lines.join('\n') }], {
    skipTrees: true,
  });
  return artifact.search;
}

describe('a message several sections quote', () => {
  it('is stored once, with every section that quotes it in document order', async () => {
    const { ids, quotedBy } = await searchOf([
      '# Ops',
      '',
      '## "Session invalid" — logout',
      '',
      '### What you see',
      '',
      '- The sign-in form shows `User is disabled.` after the admin action.',
      '',
      '## "Session invalid" — second copy',
      '',
      '### What you see',
      '',
      '- The sign-in form shows `User is disabled.` for every user.',
      '',
    ]);
    expect(quotedBy).toEqual({
      user: {
        'user is disabled': [
          ids.indexOf('OPS.md#session-invalid--logout'),
          ids.indexOf('OPS.md#session-invalid--second-copy'),
        ],
      },
    });
  });
});

describe("what a symptom's What you see quotes in prose", () => {
  it("is a message when it stands in double quotes outside code, not a code span's JSON, not outside a symptom", async () => {
    const { ids, quotedBy } = await searchOf([
      '# Ops',
      '',
      '## "Session invalid" — logout',
      '',
      '### What you see',
      '',
      '- A **Session invalid** dialog ("Please sign out and sign in again.").',
      '- The body is `{"code": "SESSION_GONE", "message": "go away now please"}`.',
      '',
      '## Rotate the key',
      '',
      'Say "rotate the signing key now" in the channel first.',
      '',
    ]);
    expect(quotedBy?.['please']).toEqual({
      'please sign out and sign in again': [ids.indexOf('OPS.md#session-invalid--logout')],
    });
    // The code span is read as a code span (whole), never its quoted JSON strings one by one; the other
    // section's prose quote is no message.
    expect(Object.keys(quotedBy ?? {}).sort()).toEqual(['code', 'please']);
  });
});
