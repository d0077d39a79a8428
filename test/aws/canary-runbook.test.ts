/**
 * The canary monitor reads its thresholds from PROMOTION.md and nothing else (issue 18 item 4a): the real
 * runbooks are compiled, the monitor measures a canary over the simulated gateway, and editing the
 * abort table's numbers in PROMOTION.md changes the verdict. Then the same monitor over the live gateway
 * (mocked SDK clients) asks AWS what the table says: the alias, Lambda metrics per ExecutedVersion, Logs
 * Insights on the named log groups, alarms with the named prefix.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest/vitest';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCanary } from '../../src/aws/canary';
import { createAwsClients } from '../../src/aws/clients';
import { createLiveGateway } from '../../src/aws/gateway';
import { createSimulatedGateway, loadScenario, parseScenario, type Scenario } from '../../src/aws/simulated';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import type { CanaryCriteria } from '../../src/runbooks/model/model';
import { type RunbookSource, readRunbookSources } from '../../src/runbooks/model/source-hash';
import { RUNBOOKS_DIR } from '../helpers/artifact';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const window = { start: T0, end: new Date(T0.getTime() + 31 * 60_000) };

let sources: RunbookSource[];
beforeAll(async () => {
  sources = await readRunbookSources(RUNBOOKS_DIR);
});

/** The criteria compiled from the runbooks, PROMOTION.md edited by `edit`. */
async function criteriaWith(edit: (promotion: string) => string = (s) => s): Promise<CanaryCriteria> {
  const edited = sources.map((s) => (s.file === 'PROMOTION.md' ? { ...s, source: edit(s.source) } : s));
  const artifact = await compileRunbookSources(edited, { skipTrees: true });
  return artifact.canary!['prod-canary']!;
}

/** primary-healthy, with the canary api answering 3.0% 5xx against 2.4% on the previous version. */
function scenario(): Scenario {
  const s = structuredClone(loadScenario('primary-healthy'));
  const api = s.canary!.functions['sitecraft-prod-api']!;
  api.versions['41']!.events = { total: 9000, bad: 216 };
  api.versions['42']!.events = { total: 1000, bad: 30 };
  return parseScenario(JSON.stringify(s), 'test');
}

const verdictWith = async (edit?: (s: string) => string) =>
  readCanary(createSimulatedGateway(scenario(), { records: [] }), await criteriaWith(edit), window);

describe('thresholds from PROMOTION.md', () => {
  it('as written: 3.0% against 2.4% is above 1.0% (and more than 0.5 points above): abort', async () => {
    const report = await verdictWith();
    expect(report.verdict.verdict).toBe('fail');
    const api = report.verdict.rows.find((r) => r.row.signal.startsWith('5xx'))!;
    expect(api).toMatchObject({ outcome: 'abort' });
    expect(api.detail).toContain('canary 3.00% vs previous 2.40%, +0.60 points');
    // The other rows are as the table says, measured per function and version.
    expect(report.verdict.rows.filter((r) => r.outcome === 'ok')).toHaveLength(8);
  });

  it('edited: the same canary passes once the table allows 5.0% or 1 point above, and "and" needs both', async () => {
    const rule = '5xx rate above 1.0% or more than 0.5 points';
    const looser = await verdictWith((s) => s.replace(rule, '5xx rate above 5.0% or more than 1 point'));
    expect(looser.verdict.verdict).toBe('pass');
    expect(looser.verdict.rows[0]!.detail).toContain('limit 5.00% or 1 point above the previous version');
    // Only the absolute limit loosened: +0.6 points is still more than 0.5 above the previous version.
    const relative = await verdictWith((s) => s.replace(rule, '5xx rate above 5.0% or more than 0.5 points'));
    expect(relative.verdict.verdict).toBe('fail');
    // "and": 3.0% is above 1.0% but not more than 1 point above 2.4%.
    const both = await verdictWith((s) => s.replace(rule, '5xx rate above 1.0% and more than 1 point'));
    expect(both.verdict.verdict).toBe('pass');
  });

  it('edited: a minimum the canary does not reach makes it "not enough data", never a pass', async () => {
    const report = await verdictWith((s) =>
      s
        .replace('5xx rate above 1.0% or more than 0.5 points', '5xx rate above 5.0% or more than 1 point')
        .replace('| 300 requests |', '| 3,000 requests |'),
    );
    expect(report.verdict.verdict).toBe('insufficient-data');
    expect(report.verdict.rows[0]!.detail).toContain(
      'canary sample 1000 requests, below the minimum of 3000',
    );
  });

  it('edited to a threshold the bot cannot read: the build fails, naming the line', async () => {
    await expect(
      criteriaWith((s) =>
        s.replace(
          '| 5xx rate above 1.0% or more than 0.5 points above the previous version |',
          '| 5xx rate clearly too high |',
        ),
      ),
    ).rejects.toThrow(/PROMOTION\.md:\d+: .*cannot read "5xx rate clearly too high"/);
  });
});

describe('over the live gateway: what AWS is asked', () => {
  const lambda = mockClient(LambdaClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const logs = mockClient(CloudWatchLogsClient);

  beforeEach(() => {
    lambda.reset();
    cloudwatch.reset();
    logs.reset();
    lambda.on(GetAliasCommand).callsFake((input: { FunctionName: string }) => ({
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: { '42': 0.1 } },
      Name: 'live',
      AliasArn: `arn:aws:lambda:af-south-1:111122223333:function:${input.FunctionName}:live`,
    }));
    cloudwatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: { Id: string }[] }) => ({
      MetricDataResults: input.MetricDataQueries.map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: [T0],
        Values: [q.Id.endsWith('errors') ? 0 : q.Id.endsWith('duration') ? 120 : 5000],
      })),
    }));
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    const started = new Map<string, string>();
    logs.on(StartQueryCommand).callsFake((input: { queryString: string }) => {
      const queryId = `q${started.size + 1}`;
      started.set(queryId, input.queryString);
      return { queryId };
    });
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running', results: [] })
      .callsFake((input: { queryId: string }) => ({
        status: 'Complete',
        results: started.get(input.queryId)?.includes('TENANT_CLAIM_MISSING')
          ? []
          : ['41', '42'].map((version) => [
              { field: 'version', value: version },
              { field: 'class', value: '2' },
              { field: 'outcome', value: 'ok' },
              { field: 'n', value: '5000' },
              { field: '@ptr', value: 'x' },
            ]),
      }));
  });

  it('reads the alias, the metrics per ExecutedVersion, the named log groups and alarms, as the table says', async () => {
    const gateway = createLiveGateway(
      createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 }),
      { callTimeoutMs: 2000, logsWait: { sleep: async () => undefined } },
    );
    const report = await readCanary(gateway, await criteriaWith(), window);

    expect(lambda).toReceiveCommandWith(GetAliasCommand, {
      FunctionName: 'sitecraft-prod-api',
      Name: 'live',
    });
    expect(
      lambda
        .commandCalls(GetAliasCommand)
        .map((c) => c.args[0].input.FunctionName)
        .sort(),
    ).toEqual([
      'sitecraft-prod-api',
      'sitecraft-prod-generate',
      'sitecraft-prod-pretoken',
      'sitecraft-prod-publish',
    ]);
    const metricQueries = cloudwatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries ?? []);
    expect(metricQueries).toContainEqual(
      expect.objectContaining({
        Id: 'c_duration',
        MetricStat: expect.objectContaining({
          Stat: 'p95',
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Duration',
            Dimensions: [
              { Name: 'FunctionName', Value: 'sitecraft-prod-api' },
              { Name: 'Resource', Value: 'sitecraft-prod-api:live' },
              { Name: 'ExecutedVersion', Value: '42' },
            ],
          },
        }),
      }),
    );
    // From minute 10: the duration rows read minutes 10–31, one period spanning them.
    const durationCall = cloudwatch
      .commandCalls(GetMetricDataCommand)
      .find((c) => c.args[0].input.MetricDataQueries?.some((q) => q.Id === 'c_duration'))!;
    expect(durationCall.args[0].input.StartTime).toEqual(new Date(T0.getTime() + 10 * 60_000));
    expect(durationCall.args[0].input.MetricDataQueries?.[0]?.MetricStat?.Period).toBe(21 * 60);
    const queries = logs.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => [q.logGroupName, q.queryString]).sort()).toEqual([
      ['/aws/lambda/sitecraft-prod-api', 'filter code = "TENANT_CLAIM_MISSING" | stats count(*) as n'],
      [
        '/aws/lambda/sitecraft-prod-api',
        'filter event = "request_finished" | parse @logStream /\\[(?<version>[^\\]]+)\\]/ | fields floor(status / 100) as class | stats count(*) as n by version, class',
      ],
      [
        '/aws/lambda/sitecraft-prod-generate',
        'filter event = "generation_finished" | parse @logStream /\\[(?<version>[^\\]]+)\\]/ | stats count(*) as n by version, outcome',
      ],
    ]);
    expect(queries.find((q) => q.queryString?.includes('request_finished'))).toMatchObject({
      startTime: T0.getTime() / 1000,
      endTime: window.end.getTime() / 1000,
    });
    expect(cloudwatch).toReceiveCommandWith(DescribeAlarmsCommand, { AlarmNamePrefix: 'sitecraft-prod-' });
    expect(report.verdict.verdict).toBe('pass');
  });

  it('a failed read leaves that row without data: never a pass', async () => {
    lambda
      .on(GetAliasCommand, { FunctionName: 'sitecraft-prod-pretoken' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} }));
    const gateway = createLiveGateway(
      createAwsClients({ connectionTimeoutMs: 500, requestTimeoutMs: 1000, maxAttempts: 1 }),
      { callTimeoutMs: 2000, logsWait: { sleep: async () => undefined } },
    );
    const report = await readCanary(gateway, await criteriaWith(), window);
    expect(report.verdict.verdict).toBe('insufficient-data');
    const pretoken = report.verdict.rows.filter(
      (r) => r.row.function === 'pretoken' && r.row.source.kind !== 'logs-count',
    );
    expect(pretoken.map((r) => r.outcome)).toEqual(['insufficient', 'insufficient']);
    expect(pretoken[0]!.detail).toContain('lambda:GetAlias');
  });
});
