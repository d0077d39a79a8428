/**
 * Scenarios of the simulated gateway (src/aws/simulated.ts): built-in ones (src/aws/scenarios/*.json) or a
 * JSON file, for the playground and demos.
 */
import { readFileSync } from 'node:fs';
import type { BUILT_IN_SCENARIO_NAMES } from '../config';
import type { AwsErrorKind } from './errors';
import primaryDown from './scenarios/primary-down.json';
import primaryHealthy from './scenarios/primary-healthy.json';
import regionDown from './scenarios/region-down.json';
import s3Down from './scenarios/s3-down.json';
import switchRefused from './scenarios/switch-refused.json';
import type { SwitchScenario } from './simulated-switch';

export interface ScenarioTraffic {
  errors: number;
  requests: number;
  p99LatencyMs: number;
}

/** One version's numbers over the monitoring window. */
export interface ScenarioVersion {
  invocations: number;
  /** Lambda `Errors` (unhandled failures). */
  errors: number;
  /** Lambda `Duration` at the percentile asked for. */
  durationMs: number;
  /** What its log lines say: requests (or generations), and how many were bad (5xx, `outcome = "error"`). */
  events?: { total: number; bad: number };
}

export interface ScenarioCanary {
  /** Function name → its alias: the version it points at (previous), the weighted one (canary), numbers per version. */
  functions: Record<
    string,
    { previous: string; canary: string; weight?: number; versions: Record<string, ScenarioVersion> }
  >;
  /** Logs Insights `filter <field> = "<value>"` counts, by value (`TENANT_CLAIM_MISSING`). */
  logCounts?: Record<string, number>;
}

export interface Scenario extends SwitchScenario {
  name: string;
  description?: string;
  /** Region → whether endpoints there pass their health checks. Regions not listed are healthy. */
  health: Record<string, 'healthy' | 'unhealthy'>;
  /** Region → alarms in ALARM there. */
  alarms: Record<string, { name: string; description?: string; reason?: string }[]>;
  /** Region → totals over the status window. */
  metrics: Record<string, ScenarioTraffic & { bedrockThrottles: number }>;
  /** The canary monitor's view (src/aws/canary.ts): Lambda aliases, metrics and log counts per version. */
  canary?: ScenarioCanary;
  /** GetChange answers PENDING this many times before INSYNC (default 1). */
  changePendingPolls?: number;
  /** Record sets start failed over (eu-west-1 PRIMARY), e.g. to rehearse failback. */
  failedOver?: boolean;
  /** API action → error to throw, to rehearse error handling (`{ "GetMetricData": "throttled" }`). */
  failures?: Record<string, AwsErrorKind>;
  /** Regions whose AWS endpoints time out for every call (CloudWatch, Lambda, S3 there). */
  unreachableRegions?: string[];
}

export const BUILT_IN_SCENARIOS: Record<(typeof BUILT_IN_SCENARIO_NAMES)[number], Scenario> = {
  'primary-healthy': primaryHealthy as Scenario,
  'primary-down': primaryDown as Scenario,
  'region-down': regionDown as Scenario,
  's3-down': s3Down as Scenario,
  'switch-refused': switchRefused as Scenario,
};

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** A built-in scenario by name, or a JSON file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtIn = (BUILT_IN_SCENARIOS as Record<string, Scenario | undefined>)[nameOrPath];
  if (builtIn) return builtIn;
  let raw: string;
  try {
    raw = readFileSync(nameOrPath, 'utf8');
  } catch {
    const names = Object.keys(BUILT_IN_SCENARIOS).join(', ');
    throw new ScenarioError(
      `AWS_SIMULATION "${nameOrPath}" is neither a built-in scenario (${names}) nor a readable file`,
    );
  }
  return parseScenario(raw, nameOrPath);
}

export function parseScenario(raw: string, source: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ScenarioError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const s = data as Partial<Scenario> | null;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string')
    throw new ScenarioError(`${source} needs a "name"`);
  return { health: {}, alarms: {}, metrics: {}, ...s } as Scenario;
}
