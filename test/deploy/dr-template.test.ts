import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/runbooks/model/model';
import { loadTestArtifact, REPO_ROOT } from '../helpers/artifact';
import { parseCloudFormationYaml } from './cfn-yaml';

type Json = Record<string, unknown>;
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Json;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

let template: Json;
let resources: Record<string, Resource>;
let parameters: Json;

beforeAll(() => {
  template = parseCloudFormationYaml(readFileSync(join(REPO_ROOT, 'infra', 'dr.yaml'), 'utf8'));
  resources = template['Resources'] as Record<string, Resource>;
  parameters = template['Parameters'] as Json;
});

function ofType(type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Every `Ref`, `Fn::GetAtt` target, `${Name}` in `Fn::Sub` and condition name used anywhere under `node`. */
function references(node: unknown, out = { refs: new Set<string>(), conditions: new Set<string>() }) {
  if (Array.isArray(node)) {
    for (const item of node) references(item, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'Ref') out.refs.add(String(value));
      else if (key === 'Fn::GetAtt') out.refs.add(String((value as string[])[0]));
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? String(value[0]) : String(value);
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) out.refs.add(m[1]!.split('.')[0]!);
      } else if (key === 'Fn::If') out.conditions.add(String((value as unknown[])[0]));
      else if (key === 'Condition' && typeof value === 'string') out.conditions.add(value);
      references(value, out);
    }
  }
  return out;
}

describe('infra/dr.yaml', () => {
  it('takes the domain, hosted zone, both API endpoints, alarm prefix and SNS topic as parameters', () => {
    expect(Object.keys(parameters)).toEqual(
      expect.arrayContaining([
        'DomainName',
        'HostedZoneId',
        'PrimaryApiEndpoint',
        'SecondaryApiEndpoint',
        'PrimaryHealthCheckFqdn',
        'SecondaryHealthCheckFqdn',
        'AlarmPrefix',
        'AlarmTopicArn',
      ]),
    );
  });

  it('has an HTTPS health check per region, probing that region’s endpoint', () => {
    const checks = Object.fromEntries(ofType('AWS::Route53::HealthCheck'));
    expect(Object.keys(checks).sort()).toEqual([
      'ArcHealthCheck',
      'PrimaryCalculatedHealthCheck',
      'PrimaryHealthCheck',
      'SecondaryHealthCheck',
      'SwitchHealthCheck',
    ]);
    for (const [id, fqdn] of [
      ['PrimaryHealthCheck', 'PrimaryHealthCheckFqdn'],
      ['SecondaryHealthCheck', 'SecondaryHealthCheckFqdn'],
    ] as const) {
      expect(checks[id]!.Properties['HealthCheckConfig']).toMatchObject({
        Type: 'HTTPS_STR_MATCH',
        SearchString: { Ref: 'HealthCheckSearchString' },
        FullyQualifiedDomainName: { Ref: fqdn },
        ResourcePath: { Ref: 'HealthCheckPath' },
        Port: 443,
      });
    }
  });

  it('has a PRIMARY and a SECONDARY record for the same name, each tied to its health check', () => {
    const records = ofType('AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    expect(records).toHaveLength(2);
    expect(records.map((r) => [r['Failover'], r['HealthCheckId']])).toEqual([
      ['PRIMARY', { Ref: 'PrimaryCalculatedHealthCheck' }],
      ['SECONDARY', { Ref: 'SecondaryHealthCheck' }],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        HostedZoneId: { Ref: 'HostedZoneId' },
        Name: { Ref: 'DomainName' },
        Type: 'A',
      });
    }
    expect(records.map((r) => (r['AliasTarget'] as Json)['DNSName'])).toEqual([
      { Ref: 'PrimaryApiEndpoint' },
      { Ref: 'SecondaryApiEndpoint' },
    ]);
  });

  it('creates the global Route 53 resources only where ManageRoute53 is true', () => {
    const route53 = [...ofType('AWS::Route53::HealthCheck'), ...ofType('AWS::Route53::RecordSet')];
    expect(route53.map(([id, r]) => `${id}: ${r.Condition}`)).toEqual([
      'PrimaryHealthCheck: CreateRoute53',
      'SecondaryHealthCheck: CreateRoute53',
      'SwitchHealthCheck: CreateRoute53',
      'ArcHealthCheck: CreateArcCheck',
      'PrimaryCalculatedHealthCheck: CreateRoute53',
      'PrimaryRecord: CreateRoute53',
      'SecondaryRecord: CreateRoute53',
    ]);
    expect((template['Conditions'] as Json)['CreateArcCheck']).toEqual({
      'Fn::And': [{ Condition: 'CreateRoute53' }, { Condition: 'HasArc' }],
    });
    expect((template['Conditions'] as Json)['CreateRoute53']).toEqual({
      'Fn::Equals': [{ Ref: 'ManageRoute53' }, 'true'],
    });
  });

  it('alarms on API 5xx, API latency, Bedrock throttling and both health checks, notifying the topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    expect(
      ofType('AWS::CloudWatch::Alarm').map(
        ([, r]) => `${r.Condition}: ${r.Properties['Namespace']} ${r.Properties['MetricName']}`,
      ),
    ).toEqual([
      'WatchApi: AWS/ApiGateway 5XXError',
      'WatchApi: AWS/ApiGateway Latency',
      'WatchBedrock: AWS/Bedrock InvocationThrottles',
      'WatchHealthChecks: AWS/Route53 HealthCheckStatus',
      'WatchHealthChecks: AWS/Route53 HealthCheckStatus',
      'WatchSwitch: AWS/Route53 HealthCheckStatus',
    ]);
    const topic = { 'Fn::If': ['CreateTopic', { Ref: 'AlarmTopic' }, { Ref: 'AlarmTopicArn' }] };
    for (const alarm of alarms) {
      expect((alarm['AlarmName'] as Json)['Fn::Sub']).toMatch(/^\$\{AlarmPrefix\}/);
      expect(alarm['AlarmActions']).toEqual([topic]);
      expect(alarm['OKActions']).toEqual([topic]);
    }
  });

  it('keeps the PRIMARY record healthy only while the primary endpoint and every switch are (calculated)', () => {
    expect(resources['PrimaryCalculatedHealthCheck']!.Properties['HealthCheckConfig']).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: {
        'Fn::If': [
          'HasArc',
          [{ Ref: 'PrimaryHealthCheck' }, { Ref: 'SwitchHealthCheck' }, { Ref: 'ArcHealthCheck' }],
          [{ Ref: 'PrimaryHealthCheck' }, { Ref: 'SwitchHealthCheck' }],
        ],
      },
      HealthThreshold: { 'Fn::If': ['HasArc', 3, 2] },
    });
    expect(resources['SwitchHealthCheck']!.Properties['HealthCheckConfig']).toMatchObject({
      Type: 'HTTPS_STR_MATCH',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
      FullyQualifiedDomainName: { 'Fn::Sub': '${SwitchBucketName}.s3.${SecondaryRegion}.amazonaws.com' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
      ResourcePath: { 'Fn::Sub': '/${SwitchObjectKey}' },
      SearchString: { Ref: 'SwitchSearchString' },
      EnableSNI: true,
    });
    expect(resources['ArcHealthCheck']!.Properties['HealthCheckConfig']).toEqual({
      Type: 'RECOVERY_CONTROL',
      RoutingControlArn: { Ref: 'ArcRoutingControlArn' },
    });
    // Nothing in the template inverts a check.
    expect(JSON.stringify(resources)).not.toMatch(/"Inverted"/);
  });

  it('lets Route 53 checkers read the one switch object, keeps Block Public Access on, and is TLS only', () => {
    const bucket = resources['SwitchBucket']!;
    expect(bucket.Condition).toBe('CreateSwitch');
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    const statements = (
      resources['SwitchBucketPolicy']!.Properties['PolicyDocument'] as { Statement: Json[] }
    ).Statement;
    const allows = statements.filter((st) => st['Effect'] === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'HealthCheckersReadTheSwitch',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a template literal.
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${SwitchBucket}/${SwitchObjectKey}' },
        Condition: { IpAddress: { 'aws:SourceIp': { Ref: 'HealthCheckerCidrs' } } },
      },
    ]);
    expect(statements.find((st) => st['Sid'] === 'TlsOnly')).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('refers only to declared parameters, resources, pseudo parameters and conditions', () => {
    const { refs, conditions } = references({ Resources: resources, Outputs: template['Outputs'] });
    const declared = new Set([...Object.keys(parameters), ...Object.keys(resources), ...PSEUDO_PARAMETERS]);
    expect([...refs].filter((r) => !declared.has(r))).toEqual([]);
    expect([...conditions].filter((c) => !(c in (template['Conditions'] as Json)))).toEqual([]);
  });

  it('guards every output that names a conditional resource with the same condition', () => {
    const outputs = template['Outputs'] as Record<string, { Condition?: string; Value: unknown }>;
    for (const [name, output] of Object.entries(outputs)) {
      const { refs } = references(output.Value);
      for (const ref of refs) {
        const condition = resources[ref]?.Condition;
        // `AlarmTopic` is reached only through Fn::If on its own condition.
        if (condition && ref !== 'AlarmTopic')
          expect({ name, condition: output.Condition }).toEqual({ name, condition });
      }
    }
  });
});

describe('infra/dr.yaml and runbooks/DR_FAILOVER.md', () => {
  let artifact: Artifact;
  beforeAll(async () => {
    artifact = await loadTestArtifact();
  });

  const defaultOf = (name: string) => (parameters[name] as { Default?: unknown }).Default;
  const sub = (text: string) => text.replace(/\$\{(\w+)\}/g, (_, name: string) => String(defaultOf(name)));

  it('creates, by default, the record sets the runbook’s records table declares', () => {
    const records = artifact.records['route53-failover'] ?? [];
    const byRole = (role: string) => records.find((r) => r.failover === role);
    expect(records).toHaveLength(2);
    for (const side of ['Primary', 'Secondary'] as const) {
      const record = byRole(side.toUpperCase());
      expect({
        name: defaultOf('DomainName'),
        setIdentifier: defaultOf(`${side}SetIdentifier`),
        region: defaultOf(`${side}Region`),
      }).toEqual({ name: record?.name, setIdentifier: record?.setIdentifier, region: record?.region });
    }
  });

  it('reads the switch the runbook’s switch table declares, and its On body passes while its Off body fails', () => {
    const set = artifact.switches?.['dr-switch'];
    const s3 = set?.switches.find((sw) => sw.kind === 's3-object');
    expect({ bucket: s3?.bucket, key: s3?.key, region: s3?.region }).toEqual({
      bucket: defaultOf('SwitchBucketName'),
      key: defaultOf('SwitchObjectKey'),
      region: defaultOf('SecondaryRegion'),
    });
    const search = String(defaultOf('SwitchSearchString'));
    expect(s3?.searchString).toBe(search);
    expect(s3?.on).toContain(search);
    expect(s3?.off).not.toContain(search);
  });

  it('probes the endpoints and names the alarms the runbook’s health check table gives', () => {
    const section = artifact.sections.find((s) => s.file === 'DR_FAILOVER.md' && s.title === 'Health checks');
    const text = section?.tables.flatMap((t) => t.rows.flat()).join('\n') ?? '';
    expect(text).toContain(`https://${defaultOf('PrimaryHealthCheckFqdn')}${defaultOf('HealthCheckPath')}`);
    expect(text).toContain(`https://${defaultOf('SecondaryHealthCheckFqdn')}${defaultOf('HealthCheckPath')}`);
    expect(text).toContain(String(defaultOf('HealthCheckSearchString')));
    expect(text).toContain(
      `https://${defaultOf('SwitchBucketName')}.s3.${defaultOf('SecondaryRegion')}.amazonaws.com/${defaultOf('SwitchObjectKey')}`,
    );
    for (const id of ['PrimaryHealthAlarm', 'SecondaryHealthAlarm', 'SwitchOffAlarm']) {
      expect(text).toContain(sub(String((resources[id]!.Properties['AlarmName'] as Json)['Fn::Sub'])));
    }
  });

  it('names the Bedrock throttling alarm as the troubleshooting runbook does', () => {
    const name = sub(
      String((resources['BedrockThrottlingAlarm']!.Properties['AlarmName'] as Json)['Fn::Sub']),
    );
    expect(
      artifact.sections.some((s) => s.file === 'TROUBLESHOOTING.md' && s.markdown.includes(`\`${name}\``)),
    ).toBe(true);
  });
});
