import { describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import { RunbookCompileErrors } from '../../../src/runbooks/compile/errors';
import { FIXTURES } from '../fixtures';

const compile = (sources: { file: string; source: string }[]) =>
  compileRunbookSources(sources, { skipTrees: true });
const failure = (sources: { file: string; source: string }[]) =>
  compile(sources).then(
    () => null,
    (e: unknown) => e as RunbookCompileErrors,
  );

describe('contacts, escalation paths, records and templates', () => {
  it('reads the contacts table and escalation levels', async () => {
    const a = await compile(FIXTURES);
    expect(a.contacts).toEqual([
      {
        level: 'L1',
        role: 'On-call engineer',
        who: '@platform-oncall',
        phone: '+1 555 0100 (placeholder)',
        when: 'First response',
      },
      {
        level: 'L2',
        role: 'Platform lead',
        who: 'Jane Placeholder',
        phone: '+1 555 0101',
        when: 'After 30 minutes',
      },
    ]);
    expect(a.escalationPaths).toEqual([
      {
        id: 'outage',
        title: 'Production outage',
        sectionId: 'OPERATIONS.md#escalation-for-outages',
        steps: [
          { level: 'L1', label: 'On-call engineer', text: 'acknowledge within 5 minutes.' },
          { level: 'L2', label: 'Platform lead', text: 'join the bridge.' },
        ],
      },
    ]);
  });

  it('reads the Route 53 record set and templates with their placeholders', async () => {
    const a = await compile(FIXTURES);
    expect(a.records['route53-failover']).toEqual([
      {
        hostedZoneId: 'Z123',
        name: 'api.example.com',
        type: 'A',
        setIdentifier: 'primary',
        failover: 'PRIMARY',
        region: 'us-east-1',
        healthCheckId: 'hc-1',
        value: 'd-abc.execute-api.us-east-1.amazonaws.com',
      },
      {
        hostedZoneId: 'Z123',
        name: 'api.example.com',
        type: 'A',
        setIdentifier: 'secondary',
        failover: 'SECONDARY',
        region: 'eu-west-1',
        healthCheckId: null,
        value: 'd-def.execute-api.eu-west-1.amazonaws.com',
      },
    ]);
    expect(a.templates['failover-notice']?.placeholders).toEqual([
      'incident',
      'from_region',
      'to_region',
      'started_by',
    ]);
  });

  it('fails with file:line on a contacts table with the wrong columns and a bad Failover value', async () => {
    const md = [
      '# Ops',
      '',
      '## Contacts',
      '<!-- bot: contacts -->',
      '',
      '| Level | Name |',
      '|---|---|',
      '| L1 | x |',
      '',
      '## Records',
      '<!-- bot: records=r53 -->',
      '',
      '| Hosted zone ID | Record name | Type | Set identifier | Failover | Region | Health check ID | Target |',
      '|---|---|---|---|---|---|---|---|',
      '| Z1 | a.example.com | A | p | PRIMARY | us-east-1 | hc | t |',
      '| Z1 | a.example.com | A | s | TERTIARY | eu-west-1 | — | t |',
      '',
      '## Template',
      '<!-- bot: template=t -->',
      '',
      'No text block.',
    ].join('\n');
    const err = await failure([{ file: 'OPS.md', source: md }]);
    expect(err).toBeInstanceOf(RunbookCompileErrors);
    expect(err!.message.split('\n')).toEqual([
      'OPS.md:6: a contacts section needs a table with columns level | role | who | phone | when to escalate (found: Level | Name)',
      'OPS.md:16: Failover must be PRIMARY or SECONDARY, got "TERTIARY"',
      'OPS.md:18: template "t" needs a ```text block',
    ]);
  });

  it('reports errors from several files in one build, without producing an artifact', async () => {
    const err = await failure([
      { file: 'A.md', source: 'no heading at all\n' },
      {
        file: 'B.md',
        source:
          '# B\n\n## Dup\n<!-- bot: checklist=x -->\n\n1. a\n\n## Dup2\n<!-- bot: checklist=x -->\n\n1. b\n',
      },
    ]);
    expect(err!.message.split('\n')).toEqual([
      'A.md:1: no headings: a runbook needs at least a # title',
      'B.md:8: checklist id "x" is used twice',
      'B.md:8: checklist command "x" is used twice',
    ]);
  });
});
