/**
 * Found in a review (helper-179): runbooks that compile to a checklist the bot cannot run safely, which `runbook lint`
 * passes. Each test fails on the code it was written against.
 */
import { describe, expect, it } from 'vitest';
import { formatLintIssue, lintRunbooks } from '../../../src/runbooks/lint/lint';
import { tempDir } from '../../helpers/temp';
import { goodRunbooks, writeRunbooks } from './fixtures';

const cacheDir = tempDir('aws-cache-');

async function lint(files: Record<string, string>): Promise<string[]> {
  const dir = await writeRunbooks(files);
  const issues = await lintRunbooks(dir, { cacheDir });
  return issues.map((i) => formatLintIssue(i).replace(`${dir}/`, ''));
}

function withChecklist(steps: string): Record<string, string> {
  const files = goodRunbooks();
  files['OPERATIONS.md'] =
    `${files['OPERATIONS.md']}\n## DNS cutover\n<!-- bot: checklist=cutover command="cutover" -->\n\n${steps}\n`;
  return files;
}

describe('runbook lint: dangerous checklists it must refuse', () => {
  it('names a failover step whose action= the bot does not know (a typo: no Execute, no two-person rule, no approver check)', async () => {
    // `route53-failovr`: lint's approver check only looks at actions it knows, so this step, meant to move
    // production traffic under the two-person rule, compiles to a plain step and lint says nothing.
    const lines = await lint(withChecklist('1. **Flip DNS.** Now.\n   <!-- bot: action=route53-failovr -->'));
    expect(lines).toEqual([expect.stringMatching(/^OPERATIONS\.md:\d+: .*route53-failovr/)]);
  }, 90_000);

  it('refuses a gate whose role is a name every object has ("Approvers: Constructor"): nobody can sign it', async () => {
    // `r in roles` reads the prototype: "constructor" is "in" any approvers.yaml, so lint passes a gate no
    // one holds (and RoleResolver.membersOf("constructor") reads Object's constructor as the role).
    const lines = await lint(
      withChecklist(
        '1. **Prepare.** Check.\n\n> **Approval gate: Cutover.** Approvers: Constructor.\n\n2. **Flip DNS.** Now.\n   <!-- bot: action=route53-failover -->',
      ),
    );
    expect(lines).toEqual([expect.stringContaining('names role(s) constructor not in approvers.yaml')]);
  }, 90_000);
});
