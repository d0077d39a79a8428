/**
 * Found in a review (helper-209): the commands an answer shows carry every variable they use.
 * render/answer-parts.ts `withVariables` puts at a shell block's top the `export` lines of the runbook
 * variables it uses, so the block can be copied and pasted alone, and drops the blocks that only set
 * variables. The variables an inserted line itself uses (`export PROVIDER_ARN="arn:aws:iam::${ACCOUNT_ID}:…"`)
 * were not added: pasted alone, the OIDC check ran with `${ACCOUNT_ID}` empty, its error read as "the
 * provider is missing", and the runbook's own definition had been dropped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import { sectionLookup } from '../../src/runbooks/model/split';
import { type AnswerView, renderAnswer } from '../../src/slack/render/answer';
import { ANSWER_PARTS, variablesFor } from '../../src/slack/render/answer-parts';
import { loadTestArtifact } from '../helpers/artifact';

const REPO = 'https://github.com/example/sitecraft-runbooks/blob/main/runbooks';

let artifact: Artifact;
beforeAll(async () => {
  artifact = await loadTestArtifact();
});

/** The code blocks of a message's section blocks (fenced, as renderBody writes them). */
function codeBlocks(blocks: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const b of blocks as { text?: { text?: string } }[]) {
    const text = b.text?.text ?? '';
    for (const m of text.matchAll(/```\n([\s\S]*?)\n```/g)) out.push(m[1] ?? '');
  }
  return out;
}

/** Runbook variables a block uses that it does not set. */
function unset(code: string, defined: ReadonlySet<string>): string[] {
  // `NAME=…` lines, and every assignment of an `export A=1 B=2` line (compactExports joins them).
  const set = new Set([...code.matchAll(/^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  for (const line of code.split('\n').filter((l) => /^\s*export\s/.test(l)))
    for (const m of line.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)) set.add(m[1]);
  const used = new Set([...code.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
  return [...used].filter((name) => defined.has(name) && !set.has(name));
}

describe('an answer’s commands', () => {
  it('the OIDC trust policy check sets ACCOUNT_ID, which its PROVIDER_ARN is made of', () => {
    const s = artifact.sections.find(
      (x) => x.id === 'TROUBLESHOOTING.md#could-not-assume-role-with-oidc--trust-policy',
    )!;
    const message = renderAnswer({ section: s, view: 'all', artifact, repoUrl: REPO, command: '/runbook' });
    const check = codeBlocks(message.blocks).find((c) => c.includes('get-open-id-connect-provider'));
    expect(check).toContain('PROVIDER_ARN="arn:aws:iam::$' + '{ACCOUNT_ID}');
    expect(check).toMatch(/^export ACCOUNT_ID=333333333333$/m);
  });

  it('set every runbook variable they use, in every view of every section', () => {
    const byId = sectionLookup(artifact.sections);
    const missing: string[] = [];
    for (const s of artifact.sections as Section[]) {
      const defined = new Set(variablesFor(s, byId).keys());
      if (defined.size === 0) continue;
      const views: AnswerView[] = ['summary', 'all', ...ANSWER_PARTS.map((p) => p.key)];
      for (const view of views) {
        const message = renderAnswer({ section: s, view, artifact, repoUrl: REPO, command: '/runbook' });
        for (const code of codeBlocks(message.blocks)) {
          const names = unset(code, defined);
          if (names.length > 0) missing.push(`${s.id} ${view}: ${names.join(', ')}`);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
