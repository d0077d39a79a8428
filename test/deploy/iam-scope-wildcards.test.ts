/**
 * Found in a review (helper-179): the IAM scope is written from the runbooks' tables (scripts/bundle.ts
 * iamScopeFromArtifact), and an IAM Resource globs: a `*` in a canary table's log group becomes logs:StartQuery on
 * every log group of the region. The compiler accepts the cell, the bundle writes it as it is, and
 * scripts/check-package.ts flags wildcards only for Resource "*" and the switch's writes (a `*` in the switch's
 * S3 key is caught there; this is not). A reviewer of the runbook's pull request sees a table cell, not a policy. Fails on the code it was written
 * against.
 */
import { describe, expect, it } from 'vitest';
import { iamScopeFromArtifact } from '../../scripts/bundle';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { RUNBOOKS_DIR } from '../helpers/artifact';

/** The real runbooks with one file edited; the scope of what compiles, or null when the build refuses. */
async function scopeWith(file: string, edit: (text: string) => string) {
  const sources = (await readRunbookSources(RUNBOOKS_DIR)).map((s) =>
    s.file === file ? { ...s, source: edit(s.source) } : s,
  );
  const edited = sources.find((s) => s.file === file)!.source;
  expect(edited).not.toBe((await readRunbookSources(RUNBOOKS_DIR)).find((s) => s.file === file)!.source);
  try {
    return iamScopeFromArtifact(await compileRunbookSources(sources, { skipTrees: true }));
  } catch {
    return null;
  }
}

const arnText = (v: string | { 'Fn::Sub': string }) => (typeof v === 'string' ? v : v['Fn::Sub']);

describe('the IAM scope never turns a runbook cell into a wildcard', () => {
  it('a canary log group written `/aws/lambda/*` does not grant logs:StartQuery on every log group', async () => {
    const scope = await scopeWith('PROMOTION.md', (t) =>
      t.replace(
        'Logs Insights on `/aws/lambda/sitecraft-prod-api`: `request_finished`',
        'Logs Insights on `/aws/lambda/*`: `request_finished`',
      ),
    );
    if (scope === null) return; // refused at build: fine
    const groups = scope.canary.logGroupArns.map(arnText).map((a) => a.replace(/:\*$/, ''));
    expect(groups.filter((g) => g.includes('*'))).toEqual([]);
  }, 120_000);
});
