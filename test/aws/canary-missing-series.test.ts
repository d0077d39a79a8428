/**
 * Found in a review (helper-183): a metric series CloudWatch could not return (its StatusCode is not Complete, no values)
 * is no data, never a pass. The canary's Errors series failing while Invocations came back must not read as
 * "0 errors".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readCanary } from '../../src/aws/canary';
import type { AwsGateway } from '../../src/aws/gateway';
import { createSimulatedGateway, loadScenario } from '../../src/aws/simulated';
import { compileRunbookSources } from '../../src/runbooks/compile/compile';
import type { CanaryCriteria } from '../../src/runbooks/model/model';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { RUNBOOKS_DIR } from '../helpers/artifact';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const window = { start: T0, end: new Date(T0.getTime() + 31 * 60_000) };

let criteria: CanaryCriteria;
beforeAll(async () => {
  const artifact = await compileRunbookSources(await readRunbookSources(RUNBOOKS_DIR), { skipTrees: true });
  criteria = artifact.canary!['prod-canary']!;
});

/** The simulated gateway, except that CloudWatch answers the canary's Errors series with InternalError. */
function errorsSeriesFails(): AwsGateway {
  const inner = createSimulatedGateway(loadScenario('primary-healthy'), { records: [] });
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'metricData') {
        return async (input: Parameters<AwsGateway['metricData']>[0]) => {
          const series = await target.metricData(input);
          return series.map((s) =>
            s.id === 'c_errors' ? { ...s, timestamps: [], values: [], statusCode: 'InternalError' } : s,
          );
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('a metric series CloudWatch could not return', () => {
  it('leaves its row without data (never ok), and the verdict is not PASS', async () => {
    const healthy = await readCanary(
      createSimulatedGateway(loadScenario('primary-healthy'), { records: [] }),
      criteria,
      window,
    );
    const errorsRows = healthy.verdict.rows.filter((r) => r.row.source.kind === 'lambda-errors');
    expect(errorsRows.length).toBeGreaterThan(0);
    expect(healthy.verdict.verdict).toBe('pass');

    const report = await readCanary(errorsSeriesFails(), criteria, window);
    for (const row of report.verdict.rows.filter((r) => r.row.source.kind === 'lambda-errors')) {
      expect(row.outcome, row.detail).toBe('insufficient');
    }
    expect(report.verdict.verdict).toBe('insufficient-data');
  });
});
