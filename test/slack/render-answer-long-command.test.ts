/**
 * Found in a review (helper-209): a first screen whose command is too long for it. The first fix's command
 * goes on the first screen when it fits the code blocks' budget (2,800 characters); a longer one was
 * dropped without a word, leaving "Try first" with no command and no "(its command: Fix)" to say where it
 * is, and a procedure's step named by the question alike. A command is never shown in part (a part pasted
 * runs something else): it is left to Fix, or Show all, and the line says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import type { Artifact, Section } from '../../src/runbooks/model/model';
import { renderAnswer } from '../../src/slack/render/answer';

const REPO = 'https://github.com/example/runbooks/blob/main/runbooks';

/** A shell command of `lines` lines, indented for a list item. */
const longCommand = (lines: number, indent: string) =>
  Array.from(
    { length: lines },
    (_, i) =>
      `${indent}aws logs filter-log-events --log-group-name /aws/lambda/fn-${i} --filter-pattern ERROR --region eu-west-1`,
  ).join('\n');

const RUNBOOK = `# Test runbook

## "Boom" — the widget

#### What you see

- The page says Boom.

#### Fix

1. Read every function's errors.

   \`\`\`bash
${longCommand(40, '   ')}
   \`\`\`

2. Restart the widget.

## Rebuild the widget
<!-- bot: checklist=rebuild command="rebuild" title="Rebuild the widget" -->

Rebuild it from scratch.

1. **Drain the queue.** Stop the consumers.

   \`\`\`bash
${longCommand(40, '   ')}
   \`\`\`

2. **Restart the consumers.** Start them again.

   \`\`\`bash
   aws ecs update-service --cluster widget --service consumer --desired-count 2 --region eu-west-1
   \`\`\`
`;

let artifact: Artifact;
beforeAll(async () => {
  artifact = await compileRunbookSources([{ file: 'TEST.md', source: RUNBOOK }], { skipTrees: true });
});

const find = (title: string): Section => artifact.sections.find((s) => s.title.includes(title))!;
const texts = (blocks: readonly unknown[]) =>
  (blocks as { text?: { text?: string } }[]).map((b) => b.text?.text ?? '');

describe('a first screen whose command does not fit it', () => {
  it('says the first fix’s command is in Fix, and shows none of it', () => {
    const s = find('Boom');
    const shown = texts(
      renderAnswer({ section: s, view: 'summary', artifact, repoUrl: REPO, command: '/runbook' }).blocks,
    );
    const tryFirst = shown.find((t) => t.startsWith('*Try first:*'));
    expect(tryFirst).toContain('(its command: *Fix*)');
    expect(shown.join('\n')).not.toContain('filter-log-events');
  });

  it('says a named step’s command is in Show all, and shows none of it', () => {
    const s = find('Rebuild the widget');
    const message = renderAnswer({
      section: s,
      view: 'summary',
      artifact,
      repoUrl: REPO,
      command: '/runbook',
      query: 'rebuild widget drain queue',
    });
    const shown = texts(message.blocks);
    const step = shown.find((t) => t.startsWith('*Step 1: Drain the queue*'));
    expect(step, shown.join('\n')).toContain('(its command: *Show all*)');
    expect(shown.join('\n')).not.toContain('filter-log-events');
  });
});
