import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileChecklists,
  compileProcedures,
  normalizeCommand,
} from '../../../src/runbooks/compile/checklists';
import { compileRunbookSources, compileRunbooks } from '../../../src/runbooks/compile/compile';
import { RunbookCompileErrors } from '../../../src/runbooks/compile/errors';
import { parseRunbookFile } from '../../../src/runbooks/compile/sections';
import type { StepItem } from '../../../src/runbooks/model/model';
import { loadTestArtifact, RUNBOOKS_DIR } from '../../helpers/artifact';
import { tempDir } from '../../helpers/temp';
import { DR_MD, FIXTURES } from '../fixtures';

function checklistsOf(md: string) {
  return compileChecklists('T.md', parseRunbookFile('T.md', md).sections);
}

describe('checklists', () => {
  it('collects numbered steps, gates and phases in document order', () => {
    const [failover] = checklistsOf(DR_MD);
    expect(failover!.id).toBe('failover');
    expect(failover!.title).toBe('DR failover to eu-west-1');
    expect(failover!.commands).toEqual(['failover', 'fail over']);
    expect(failover!.records).toBe('route53-failover');
    expect(failover!.items.map((i) => [i.type, i.id, i.title, i.type === 'step' ? i.n : null])).toEqual([
      ['step', 'confirm', 'Confirm the outage', 1],
      ['step', 'announce-the-failover', 'Announce the failover', 2],
      ['gate', 'gate-failover', 'Failover', null],
      ['step', 'switch-dns-to-the-secondary', 'Switch DNS to the secondary', 3],
      ['step', 'scale-up-the-lambda-concurrency', 'Scale up the Lambda concurrency', 4],
      ['step', 'warm-the-caches', 'Warm the caches', 5],
    ]);
    const steps = failover!.items.filter((i): i is StepItem => i.type === 'step');
    expect(steps.map((s) => s.phase)).toEqual([null, null, null, 'Backend (Lambda)', 'Backend (Lambda)']);
    expect(steps[0]!.directives).toEqual({ step: 'confirm', evidence: 'primary-health' });
    expect(steps[1]!.directives).toEqual({ notify: 'failover-notice' });
    expect(steps[2]!.directives).toEqual({ action: 'route53-failover' });
    expect(steps[0]!.markdown).toBe('**Confirm the outage.** Check the health checks.');
    const gate = failover!.items[2]!;
    expect(gate.type === 'gate' && gate.roles).toEqual(['devops', 'business-owner']);
  });

  it('turns "Step N" headings into one step each, with their sub-headings as detail', () => {
    const [, failback] = checklistsOf(DR_MD);
    expect(failback!.items.map((i) => [i.type, i.title])).toEqual([
      ['step', 'Confirm the primary is healthy'],
      ['gate', 'Failback'],
      ['step', 'Switch back'],
    ]);
    const first = failback!.items[0] as StepItem;
    expect(first.directives).toEqual({ evidence: 'primary-health' });
    expect(first.markdown).toContain('#### Commands');
    expect(first.markdown).toContain('aws route53 get-health-check-status');
    expect((failback!.items[2] as StepItem).directives).toEqual({ action: 'route53-failback' });
  });

  it('takes the first sentence as title when there is no bold lead, and de-duplicates ids', () => {
    const md =
      '# T\n\n## P\n<!-- bot: checklist=p -->\n\n1. Restart it. Then wait.\n2. Restart it.\n3. `npm test` passes? Good.\n';
    const [p] = checklistsOf(md);
    expect(p!.commands).toEqual(['p']);
    expect(p!.items.map((i) => [i.id, i.title])).toEqual([
      ['restart-it', 'Restart it'],
      ['restart-it-2', 'Restart it'],
      ['npm-test-passes', 'npm test passes?'],
    ]);
  });

  it('normalises command phrases', () => {
    expect(normalizeCommand('Promote DEV → SIT')).toBe('promote dev sit');
  });

  it('fails the build with file:line for a checklist without steps or a gate without approvers', async () => {
    const md =
      '# T\n\n## Empty\n<!-- bot: checklist=empty -->\n\n- only bullets\n\n## G\n<!-- bot: checklist=g -->\n\n1. One.\n\n> **Approval gate: Go.** Nobody.\n';
    const err = (await compileRunbookSources([{ file: 'C.md', source: md }], { skipTrees: true }).catch(
      (e) => e,
    )) as RunbookCompileErrors;
    expect(err).toBeInstanceOf(RunbookCompileErrors);
    expect(err.message).toContain('C.md:3: checklist "empty" has no steps');
    expect(err.message).toContain('C.md:13: approval gate "Go" names no approvers');
  });

  it('checks that records= and notify= name something that exists', async () => {
    const md =
      '# T\n\n## P\n<!-- bot: checklist=p records=nowhere -->\n\n1. One.\n   <!-- bot: notify=missing -->\n';
    const err = (await compileRunbookSources([{ file: 'R.md', source: md }], { skipTrees: true }).catch(
      (e) => e,
    )) as RunbookCompileErrors;
    expect(err.message).toContain('R.md:3: checklist "p" uses records=nowhere, which no section defines');
    expect(err.message).toContain('R.md:3: step "one" notifies template "missing", which does not exist');
  });

  it('compiles the fixture set with a notify template and record set that resolve', async () => {
    const artifact = await compileRunbookSources(FIXTURES, { skipTrees: true });
    expect(artifact.checklists.map((c) => c.id)).toEqual(['failover', 'failback']);
  });
});

describe('editing a runbook', () => {
  it('changes the compiled checklist of the real runbooks', async () => {
    const artifact = await loadTestArtifact();
    const checklist = artifact.checklists[0];
    expect(checklist, 'the runbooks define at least one checklist').toBeDefined();
    const step = checklist!.items.find((i): i is StepItem => i.type === 'step')!;
    const section = artifact.sections.find((s) => s.id === step.sectionId)!;

    const dir = tempDir('runbooks-');
    await cp(RUNBOOKS_DIR, dir, { recursive: true });
    const path = join(dir, section.file);
    const source = await readFile(path, 'utf8');
    const edited = source.replace(step.title, `${step.title} twice over`);
    expect(edited).not.toBe(source);
    await writeFile(path, edited);

    const rebuilt = await compileRunbooks(dir, { skipTrees: true });
    const after = rebuilt.checklists.find((c) => c.id === checklist!.id)!;
    const changed = after.items.find((i) => i.type === 'step' && i.n === step.n) as StepItem;
    expect(changed.title).toBe(`${step.title} twice over`);
    expect(rebuilt.sourceHash).not.toBe(artifact.sourceHash);
  });
});

describe('parallel groups', () => {
  const md = (body: string) => `# T\n\n## Run\n<!-- bot: checklist=run -->\n\n${body}\n`;

  it('groups consecutive steps that name the same parallel=, and the steps under a parallel phase heading', () => {
    const [byStep] = checklistsOf(
      md(
        '1. **A.** x\n2. **B.** y <!-- bot: parallel=checks -->\n3. **C.** z <!-- bot: parallel=checks -->\n4. **D.** w',
      ),
    );
    expect(byStep!.items.map((i) => (i.type === 'step' ? i.parallel : 'gate'))).toEqual([
      null,
      'checks',
      'checks',
      null,
    ]);
    const [byPhase] = checklistsOf(
      md(
        '### Prepare\n\n1. **A.** x\n\n### Verify in parallel\n<!-- bot: parallel -->\n\n1. **B.** y\n2. **C.** z',
      ),
    );
    expect(byPhase!.items.map((i) => (i.type === 'step' ? i.parallel : 'gate'))).toEqual([
      null,
      'verify-in-parallel',
      'verify-in-parallel',
    ]);
  });

  it('refuses a group split by a gate or another step, and parallel on the whole checklist', () => {
    expect(() =>
      checklistsOf(
        md(
          '1. **A.** x <!-- bot: parallel=g -->\n\n> **Approval gate: G.** Approvers: DevOps.\n\n2. **B.** y <!-- bot: parallel=g -->',
        ),
      ),
    ).toThrow(/parallel group "g" must follow each other/);
    expect(() =>
      checklistsOf('# T\n\n## Run\n<!-- bot: checklist=run parallel -->\n\n1. **A.** x\n2. **B.** y\n'),
    ).toThrow(/belongs on a phase heading or a step/);
  });
});

describe('numbered procedures no checklist declares (issue 20: Run as checklist)', () => {
  const md = [
    '# Ops',
    '',
    '## Purge the cache',
    '',
    '1. **Find the distribution.**',
    '',
    '   ```bash',
    '   aws cloudfront list-distributions',
    '   ```',
    '',
    '2. **Invalidate it.** Wait for it to finish.',
    '',
    '## How a request flows',
    '',
    '1. The browser calls the API.',
    '2. The API calls the model.',
    '',
    '## Generation timeout',
    '',
    '### Fix',
    '',
    '1. **Raise the quota.**',
    '',
    '   ```bash',
    '   aws service-quotas list-requested-service-quota-change-history',
    '   ```',
    '',
    '2. **Tell the customer.**',
    '',
    '## Release',
    '<!-- bot: checklist=release -->',
    '',
    '### Build',
    '',
    '1. **Build it.**',
    '',
    '   ```bash',
    '   npm run build',
    '   ```',
    '',
    '2. **Ship it.**',
    '',
  ].join('\n');
  const procedures = compileProcedures('OPS.md', parseRunbookFile('OPS.md', md).sections);

  it('compiles a numbered list with something to run into steps, started by no typed command', () => {
    const purge = procedures.find((p) => p.sectionId === 'OPS.md#purge-the-cache')!;
    expect(purge).toMatchObject({
      id: 'ops-purge-the-cache',
      title: 'Purge the cache',
      commands: [],
      records: null,
    });
    expect(purge.items.map((i) => [i.type, i.title, i.type === 'step' ? i.n : null])).toEqual([
      ['step', 'Find the distribution', 1],
      ['step', 'Invalidate it', 2],
    ]);
    // A symptom's part is named with its symptom.
    expect(procedures.find((p) => p.sectionId === 'OPS.md#fix')).toMatchObject({
      id: 'ops-generation-timeout-fix',
      title: 'Generation timeout › Fix',
    });
  });

  it('leaves a numbered description (nothing to run) and everything under a declared checklist alone', () => {
    expect(procedures.map((p) => p.sectionId).sort()).toEqual(['OPS.md#fix', 'OPS.md#purge-the-cache']);
  });

  it("compiles the runbooks' numbered procedures into the artifact, with ids unlike any checklist's", async () => {
    const artifact = await loadTestArtifact();
    const ids = [...artifact.checklists, ...(artifact.procedures ?? [])].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(artifact.procedures?.map((p) => p.id)).toContain('operations-invalidate-the-cloudfront-cache');
    for (const p of artifact.procedures ?? []) {
      expect(p.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(p.items.every((i) => i.type === 'step')).toBe(true);
    }
  });
});
