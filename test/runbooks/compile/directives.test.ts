import { describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import {
  findDirectiveComments,
  parseDirectiveBody,
  stripDirectiveComments,
} from '../../../src/runbooks/compile/directives';
import { RunbookCompileError, RunbookCompileErrors } from '../../../src/runbooks/compile/errors';
import { parseRunbookFile } from '../../../src/runbooks/compile/sections';

describe('directive comments', () => {
  it('reads key=value, quoted values and bare flags', () => {
    expect(
      parseDirectiveBody(`checklist=failover command="failover|fail over" title='DR drill' contacts`),
    ).toEqual({
      checklist: 'failover',
      command: 'failover|fail over',
      title: 'DR drill',
      contacts: 'true',
    });
  });

  it('ignores ordinary comments and strips bot comments from shown Markdown', () => {
    const md = 'a <!-- note --> b <!-- bot: x=1 -->\n<!--bot:y="2 3"-->';
    expect(findDirectiveComments(md).map((c) => c.directives)).toEqual([{ x: '1' }, { y: '2 3' }]);
    expect(stripDirectiveComments(md)).toBe('a <!-- note --> b');
  });

  it.each(['key="open', 'key=', '=value', 'a="b"c'])('rejects malformed %s', (body) => {
    expect(() => parseDirectiveBody(body)).toThrow();
  });

  it('scopes a comment in a section body to the section, one in an ordered-list item to the step', () => {
    const md = [
      '# T',
      '',
      '## Procedure',
      '<!-- bot: checklist=demo -->',
      '',
      'Intro with an inline one <!-- bot: keywords="alpha beta" -->.',
      '',
      '1. First.',
      '   <!-- bot: step=first notify=none -->',
      '',
      '- bullet <!-- bot: flag -->',
      '',
      '```markdown',
      '<!-- bot: example=ignored -->',
      '```',
    ].join('\n');
    const { sections } = parseRunbookFile('D.md', md);
    expect(sections[1]!.section.directives).toEqual({ checklist: 'demo', keywords: 'alpha beta' });
  });

  it('fails the build with file:line on a malformed directive', async () => {
    const md = '# T\n\n## S\n\ntext\n\n<!-- bot: checklist="oops -->\n';
    const err = await compileRunbookSources([{ file: 'BAD.md', source: md }], { skipTrees: true }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(RunbookCompileErrors);
    expect((err as RunbookCompileErrors).errors[0]).toEqual(
      new RunbookCompileError('BAD.md', 7, 'unterminated " in directive "checklist"'),
    );
    expect((err as Error).message).toBe('BAD.md:7: unterminated " in directive "checklist"');
  });
});
