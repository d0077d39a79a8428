/**
 * Step text reads as the runbook's sentence (issue 18 item 5): an approval gate is its own item wherever
 * its blockquote stands (after a `Step N` heading's body, indented inside a list item), never part of a
 * step's text; a summary never starts with a dangling clause and is cut after a whole sentence. Checked on
 * fixtures and on every step of every checklist of the real runbooks.
 */
import { describe, expect, it } from 'vitest';
import { compileChecklists } from '../../../src/runbooks/compile/checklists';
import { parseRunbookFile } from '../../../src/runbooks/compile/sections';
import type { StepItem } from '../../../src/runbooks/model/model';
import { type RunStep, STEP_SUMMARY_MAX, snapshotItems, summarize } from '../../../src/workflows/run-state';
import { loadTestArtifact } from '../../helpers/artifact';

function compile(md: string) {
  const [checklist] = compileChecklists('T.md', parseRunbookFile('T.md', md).sections);
  if (!checklist) throw new Error('no checklist');
  return checklist;
}

const HEADINGS = `# T

## Failover
<!-- bot: checklist=failover -->

### Step 1: Confirm primary failure

Collect the evidence. eu-west-1 must be healthy.

\`\`\`bash
echo check
\`\`\`

> **Approval gate: Incident commander sign-off.** Approvers: DevOps, Business Owner.

### Step 2: Update Route 53

Swap the records.
`;

const INDENTED = `# T

## Release
<!-- bot: checklist=release -->

1. **The standby region is healthy**, because the release goes to both regions.

   > **Approval gate: Release.** Approvers: Security.

2. **Ship it.** Then watch.
`;

describe('a gate is its own item, never a step’s text', () => {
  it('after a Step heading’s body', () => {
    const c = compile(HEADINGS);
    expect(c.items.map((i) => `${i.type}:${i.title}`)).toEqual([
      'step:Confirm primary failure',
      'gate:Incident commander sign-off',
      'step:Update Route 53',
    ]);
    const step = c.items[0] as StepItem;
    expect(step.markdown).not.toMatch(/Approval gate|Approvers/);
    expect(step.text).not.toMatch(/Approval gate|Approvers/);
    expect(snapshotItems(c)[0]).toMatchObject({
      summary: 'Collect the evidence. eu-west-1 must be healthy. (commands in Details)',
    });
  });

  it('indented inside a list item: a gate after that step', () => {
    const c = compile(INDENTED);
    expect(c.items.map((i) => `${i.type}:${i.title}`)).toEqual([
      'step:The standby region is healthy',
      'gate:Release',
      'step:Ship it',
    ]);
    const step = c.items[0] as StepItem;
    expect(step.markdown).not.toMatch(/Approval gate/);
    expect(c.items[1]).toMatchObject({ type: 'gate', roles: ['security'] });
  });
});

describe('summaries', () => {
  it('keep a sentence the title opens whole, and drop a title that is a sentence of its own', () => {
    expect(
      summarize(
        '**The standby region is healthy**, because the release goes to both regions.',
        'The standby region is healthy',
      ),
    ).toBe('The standby region is healthy, because the release goes to both regions.');
    expect(summarize('**Ship it.** Then watch.', 'Ship it')).toBe('Then watch.');
    expect(summarize('**Summarise the change** for the reviewers.', 'Summarise the change')).toBe(
      'Summarise the change for the reviewers.',
    );
    // Markdown marks inside the title do not hide it.
    expect(summarize('**Invoke the new `api` version.** Expect 200.', 'Invoke the new api version')).toBe(
      'Expect 200.',
    );
  });

  it('are cut after the last whole sentence that fits, not in a clause', () => {
    const first = `First sentence ${'a'.repeat(150)}.`;
    const second = `Second sentence ${'b'.repeat(150)}.`;
    const out = summarize(`${first} ${second}`, 'x');
    expect(out).toBe(`${first} (more in Details)`);
    expect(out.length).toBeLessThanOrEqual(STEP_SUMMARY_MAX);
    // e.g. is not the end of a sentence
    const eg = summarize(`Use a tool, e.g. ${'c'.repeat(120)} and more. ${'d'.repeat(200)}.`, 'x');
    expect(eg).toMatch(/and more\. \(more in Details\)$/);
  });
});

/** A summary's own text, without what the bot appends. */
const body = (s: string) => s.replace(/ \((commands|more) in Details\)$/, '');

describe('every step of every checklist in the real runbooks', async () => {
  const artifact = await loadTestArtifact();
  const steps = artifact.checklists.flatMap((c) =>
    snapshotItems(c)
      .filter((i): i is RunStep => i.type === 'step')
      .map((step) => ({ checklist: c.id, step, item: c.items.find((i) => i.id === step.id) as StepItem })),
  );

  it('there are steps to check', () => {
    expect(steps.length).toBeGreaterThan(50);
  });

  it.each(steps.map((s) => [`${s.checklist} step ${s.step.n}`, s] as const))(
    '%s reads as the runbook’s sentence',
    (_, s) => {
      const { step, item } = s;
      // The gate never leaks into a step.
      expect(item.markdown).not.toMatch(/Approval gate/i);
      expect(item.text).not.toMatch(/Approval gate/i);
      expect(step.summary).not.toMatch(/Approval gate|Approvers:|(^|\s)>\s/);
      expect(step.summary.length).toBeLessThanOrEqual(STEP_SUMMARY_MAX);
      const text = body(step.summary);
      if (text === 'Commands in Details.' || text === '') return;
      // Never a dangling clause: no leading punctuation, no lower-case continuation.
      expect(text, step.summary).not.toMatch(/^[,;:.)\]—–-]/);
      expect(text, step.summary).toMatch(/^[A-Z0-9`"“(*_$/#]/);
      // Ends a sentence (or, for one overlong sentence, says it was cut).
      expect(text, step.summary).toMatch(/([.!?:)"”`]|…)$/);
    },
  );
});
