/**
 * The failover switch, warm-up and DNS answer tables (src/runbooks/compile/dr-tables.ts), compiled from small
 * runbooks written for these tests: what the artifact holds, and what the build refuses.
 */
import { describe, expect, it } from 'vitest';
import { compileRunbookSources } from '../../../src/runbooks/compile/compile';
import type { RunbookCompileErrors } from '../../../src/runbooks/compile/errors';
import { loadTestArtifact } from '../../helpers/artifact';

const ON = '`{"primary":"on"}`';
const OFF = '`{"primary":"off"}`';
const ARC = 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc123/routingcontrol/def456';

interface Options {
  switchRows?: string[];
  healthRows?: string[];
  warmupRows?: string[];
  dnsRows?: string[];
  primaryCheck?: string;
  checklist?: string;
  stepDirective?: string;
}

function runbook(o: Options = {}): { file: string; source: string }[] {
  const switchRows = o.switchRows ?? [
    `| dr-s3 | s3-object | eu-west-1 | s3://dr-switch-eu-west-1/failover/api.json | — | hc-switch | ${ON} | ${OFF} | \`"primary":"on"\` |`,
  ];
  const healthRows = o.healthRows ?? [
    '| calculated | hc-calc | — | PRIMARY |',
    '| primary | hc-af | af-south-1 | endpoint |',
    '| secondary | hc-eu | eu-west-1 | endpoint |',
  ];
  const warmupRows = o.warmupRows ?? [
    '| sitecraft-api | eu-west-1 | live | 20 | 2 |',
    '| sitecraft-generate | eu-west-1 | live | 10 | — |',
  ];
  const dnsRows = o.dnsRows ?? [
    '| api.example.com | A | ns-1.awsdns-01.org ns-2.awsdns-02.net | af-south-1 | d-af.execute-api.af-south-1.amazonaws.com. |',
    '| api.example.com | A | ns-1.awsdns-01.org ns-2.awsdns-02.net | eu-west-1 | d-eu.execute-api.eu-west-1.amazonaws.com |',
  ];
  const source = `# DR

## Records
<!-- bot: records=route53-failover -->

| Hosted zone ID | Record name | Type | Set identifier | Failover | Region | Health check ID | Target |
|---|---|---|---|---|---|---|---|
| Z1 | api.example.com | A | primary | PRIMARY | af-south-1 | ${o.primaryCheck ?? 'hc-calc'} | d-af.execute-api.af-south-1.amazonaws.com |
| Z1 | api.example.com | A | secondary | SECONDARY | eu-west-1 | hc-eu | d-eu.execute-api.eu-west-1.amazonaws.com |

## Switch
<!-- bot: switch=dr-switch -->

| Switch | Kind | Region | Target | Cluster endpoints | Health check ID | On | Off | Search string |
|---|---|---|---|---|---|---|---|---|
${switchRows.join('\n')}

| Role | Health check ID | Region | Checks |
|---|---|---|---|
${healthRows.join('\n')}

## Warm-up
<!-- bot: warmup=dr-warmup -->

| Function | Region | Qualifier | Failover concurrency | Standby concurrency |
|---|---|---|---|---|
${warmupRows.join('\n')}

## DNS
<!-- bot: dns=api-dns -->

| Record name | Type | Name servers | Region | Answer |
|---|---|---|---|---|
${dnsRows.join('\n')}

## Failover
<!-- bot: ${o.checklist ?? 'checklist=failover command="failover" records=route53-failover switch=dr-switch warmup=dr-warmup dns=api-dns'} -->

### Step 1: Warm up
<!-- bot: ${o.stepDirective ?? 'action=warmup'} -->

Warm up.

### Step 2: Update Route 53
<!-- bot: action=route53-failover -->

Turn the switch off.
`;
  return [{ file: 'DR.md', source }];
}

const compile = (sources: { file: string; source: string }[]) =>
  compileRunbookSources(sources, { skipTrees: true });

async function reasons(sources: { file: string; source: string }[]): Promise<string[]> {
  try {
    await compile(sources);
  } catch (error) {
    return (error as RunbookCompileErrors).errors.map((e) => e.reason);
  }
  throw new Error('expected the build to fail');
}

describe('failover switch, warm-up and DNS answer tables', () => {
  it('compiles the switch set, the warm-up targets and the DNS answer into the artifact', async () => {
    const a = await compile(
      runbook({
        switchRows: [
          `| dr-s3 | s3-object | eu-west-1 | s3://dr-switch-eu-west-1/failover/api.json | — | hc-switch | ${ON} | ${OFF} | \`"primary":"on"\` |`,
          `| dr-arc | arc-routing-control | us-west-2 | ${ARC} | us-west-2=https://a.example/v1 ap-southeast-2=https://b.example/v1 | hc-arc | On | Off | — |`,
        ],
      }),
    );

    expect(a.switches?.['dr-switch']).toEqual({
      id: 'dr-switch',
      sectionId: 'DR.md#switch',
      switches: [
        {
          id: 'dr-s3',
          kind: 's3-object',
          region: 'eu-west-1',
          bucket: 'dr-switch-eu-west-1',
          key: 'failover/api.json',
          routingControlArn: null,
          clusterEndpoints: [],
          healthCheckId: 'hc-switch',
          on: '{"primary":"on"}',
          off: '{"primary":"off"}',
          searchString: '"primary":"on"',
        },
        {
          id: 'dr-arc',
          kind: 'arc-routing-control',
          region: 'us-west-2',
          bucket: null,
          key: null,
          routingControlArn: ARC,
          clusterEndpoints: [
            { region: 'us-west-2', url: 'https://a.example/v1' },
            { region: 'ap-southeast-2', url: 'https://b.example/v1' },
          ],
          healthCheckId: 'hc-arc',
          on: 'On',
          off: 'Off',
          searchString: null,
        },
      ],
      calculatedHealthCheckId: 'hc-calc',
      primaryHealthCheckIds: ['hc-af'],
      secondaryHealthCheckIds: ['hc-eu'],
      healthThreshold: 3,
      primaryRegion: 'af-south-1',
      secondaryRegion: 'eu-west-1',
    });
    expect(a.warmups?.['dr-warmup']).toEqual([
      { functionName: 'sitecraft-api', region: 'eu-west-1', qualifier: 'live', concurrency: 20, standby: 2 },
      {
        functionName: 'sitecraft-generate',
        region: 'eu-west-1',
        qualifier: 'live',
        concurrency: 10,
        standby: null,
      },
    ]);
    expect(a.dnsChecks?.['api-dns']).toEqual({
      id: 'api-dns',
      name: 'api.example.com',
      type: 'A',
      nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'],
      answers: [
        { region: 'af-south-1', match: 'd-af.execute-api.af-south-1.amazonaws.com' },
        { region: 'eu-west-1', match: 'd-eu.execute-api.eu-west-1.amazonaws.com' },
      ],
    });
    const failover = a.checklists.find((c) => c.id === 'failover');
    expect(failover?.directives).toMatchObject({ switch: 'dr-switch', warmup: 'dr-warmup', dns: 'api-dns' });
  });

  it('compiles the real DR runbook: the PRIMARY record carries the calculated check', async () => {
    const a = await loadTestArtifact();
    const set = a.switches?.['dr-switch'];
    const primary = a.records['route53-failover']?.find((r) => r.failover === 'PRIMARY');

    expect(set?.switches.map((s) => s.kind)).toEqual(['s3-object']);
    expect(primary?.healthCheckId).toBe(set?.calculatedHealthCheckId);
    expect(a.warmups?.['dr-warmup']?.map((w) => w.functionName)).toEqual([
      'sitecraft-prod-api',
      'sitecraft-prod-generate',
      'sitecraft-prod-publish',
      'sitecraft-prod-pretoken',
    ]);
    for (const id of ['failover', 'failback']) {
      expect(a.checklists.find((c) => c.id === id)?.directives).toMatchObject({
        switch: 'dr-switch',
        warmup: 'dr-warmup',
        dns: 'api-dns',
      });
    }
  });

  it.each([
    [
      'an Off body that still matches the health check',
      {
        switchRows: [
          `| s | s3-object | eu-west-1 | s3://b-1/k | — | hc-s | ${ON} | \`"primary":"on" not\` | \`"primary"\` |`,
        ],
      },
      'the Search string must appear in the On body and not in the Off body',
    ],
    [
      'a bucket with dots (health checkers read it over HTTPS)',
      {
        switchRows: [
          `| s | s3-object | eu-west-1 | s3://dr.switch/k | — | hc-s | ${ON} | ${OFF} | \`"primary":"on"\` |`,
        ],
      },
      'no dots',
    ],
    [
      'a routing control without cluster endpoints',
      { switchRows: [`| a | arc-routing-control | us-west-2 | ${ARC} | — | hc-a | On | Off | — |`] },
      'list the cluster',
    ],
    [
      'an unknown kind',
      { switchRows: ['| s | dynamodb-item | eu-west-1 | t | — | hc-s | a | b | a |'] },
      'Kind must be s3-object or arc-routing-control',
    ],
    [
      'no calculated check',
      { healthRows: ['| primary | hc-af | af-south-1 | x |'] },
      'exactly one calculated health check',
    ],
    [
      'provisioned concurrency on $LATEST',
      { warmupRows: ['| f | eu-west-1 | $LATEST | 5 | — |'] },
      'cannot use $LATEST',
    ],
    [
      'a standby above the failover concurrency',
      { warmupRows: ['| f | eu-west-1 | live | 5 | 9 |'] },
      'Standby concurrency must be',
    ],
    [
      'a DNS table with one region',
      { dnsRows: ['| api.example.com | A | — | af-south-1 | d-af.example.com |'] },
      'needs a row per region',
    ],
    [
      'a PRIMARY record that does not carry the calculated check',
      { primaryCheck: 'hc-af' },
      'record primary (PRIMARY) carries health check hc-af, but switch "dr-switch" declares the calculated check: hc-calc',
    ],
    [
      'a checklist naming an undeclared switch',
      {
        checklist:
          'checklist=failover command="failover" records=route53-failover switch=nope warmup=dr-warmup',
      },
      'uses switch=nope, which no section defines',
    ],
    [
      'a warm-up step in a checklist without a warm-up table',
      { checklist: 'checklist=failover command="failover" records=route53-failover switch=dr-switch' },
      'has action=warmup but checklist "failover" names no warmup= table',
    ],
  ] satisfies [string, Options, string][])('refuses %s', async (_what, options, reason) => {
    expect((await reasons(runbook(options))).join('\n')).toContain(reason);
  });
});
