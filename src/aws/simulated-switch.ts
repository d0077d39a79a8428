/**
 * The simulated side of the failover switch (used by src/aws/simulated.ts): switch objects and routing
 * controls with the time each was turned, health checks that follow them after Route 53's delay (3 checks
 * of 10 s by default), a calculated check over its children, the DNS answer Route 53's name servers would
 * give, and provisioned concurrency that becomes READY after a few reads. Built from the runbook's
 * declarations; nothing leaves the process.
 */
import type { DnsCheck, FailoverRecord, FailoverSwitchSet, WarmupTarget } from '../runbooks/model/model';
import { normalizeRecordName, type RecordSetShape } from '../workflows/failover-plan';
import { observationIsHealthy, summarizeHealthCheck } from '../workflows/failover-state';
import type {
  HealthCheckConfigView,
  HealthCheckReport,
  HealthObservation,
  ProvisionedConcurrencyState,
} from './types';

export interface FailoverDeclarations {
  switches: FailoverSwitchSet[];
  dnsChecks: DnsCheck[];
  warmups: WarmupTarget[];
}

export interface SwitchScenario {
  /** Region → whether endpoints there pass their health checks (regions not listed are healthy). */
  health: Record<string, 'healthy' | 'unhealthy'>;
  /** Switches (by row name) that start Off. */
  switchesOff?: string[];
  /**
   * S3 in the switch objects' region is down: nobody can read or write them, Route 53's checkers included,
   * so every s3-object switch check fails (docs/dr-failover.md, "S3 in eu-west-1 down").
   */
  switchUnreachable?: boolean;
  /** Health check ids someone inverted by hand. */
  inverted?: string[];
  /** Seconds before a health check follows its switch (default 30: 3 checks of 10 s). */
  healthCheckDelaySeconds?: number;
  /** Reads of a provisioned concurrency config while it is IN_PROGRESS (default 2). */
  provisionedInProgressReads?: number;
}

/** Route 53's health checker regions, as GetHealthCheckStatus reports them. */
export const CHECKER_REGIONS = [
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-west-1',
  'sa-east-1',
  'us-east-1',
  'us-west-1',
  'us-west-2',
];

export function checkerObservations(healthy: boolean, checkedAt: string): HealthObservation[] {
  return CHECKER_REGIONS.map((checkerRegion, i) => {
    const status = healthy
      ? 'Success: HTTP Status Code 200, OK'
      : 'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.';
    return {
      checkerRegion,
      ipAddress: `15.177.${i * 8}.10`,
      status,
      checkedAt,
      healthy: observationIsHealthy(status),
    };
  });
}

/** Stable documentation-range addresses for a host name (two per target). */
export function simulatedAddresses(host: string): string[] {
  let h = 0;
  for (const c of normalizeRecordName(host)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const base = `${192 + (h % 2) * 6}.${h % 2 ? 51 : 0}.${h % 2 ? 100 : 2}`;
  const last = 10 + (h % 200);
  return [`${base}.${last}`, `${base}.${last + 1}`];
}

interface Turn {
  at: number;
  on: boolean;
}

export function createSwitchSimulation(
  decl: FailoverDeclarations,
  scenario: SwitchScenario,
  records: FailoverRecord[],
  now: () => Date,
) {
  const delayMs = (scenario.healthCheckDelaySeconds ?? 30) * 1000;
  const inverted = new Set(scenario.inverted ?? []);
  const turns = new Map<string, Turn[]>();
  const bodies = new Map<string, string>();
  const controls = new Map<string, 'On' | 'Off'>();
  for (const set of decl.switches) {
    for (const sw of set.switches) {
      const on = !(scenario.switchesOff ?? []).includes(sw.id);
      turns.set(sw.id, [{ at: Number.NEGATIVE_INFINITY, on }]);
      if (sw.kind === 's3-object') bodies.set(`${sw.bucket}/${sw.key}`, on ? sw.on : sw.off);
      else if (sw.routingControlArn) controls.set(sw.routingControlArn, on ? 'On' : 'Off');
    }
  }
  const provisioned = new Map<string, { requested: number; reads: number }>();
  for (const w of decl.warmups) {
    if (w.standby !== null)
      provisioned.set(pcKey(w), { requested: w.standby, reads: Number.POSITIVE_INFINITY });
  }

  const allSwitches = () => decl.switches.flatMap((s) => s.switches);
  const regionOfEndpoint = new Map<string, string>();
  for (const set of decl.switches) {
    for (const id of set.primaryHealthCheckIds) regionOfEndpoint.set(id, set.primaryRegion);
    for (const id of set.secondaryHealthCheckIds) regionOfEndpoint.set(id, set.secondaryRegion);
  }
  for (const r of records)
    if (r.healthCheckId && !regionOfEndpoint.has(r.healthCheckId))
      regionOfEndpoint.set(r.healthCheckId, r.region);

  const turn = (switchId: string, on: boolean) => {
    turns.get(switchId)?.push({ at: now().getTime(), on });
  };
  /** What a health check reading the switch sees now: the position it had `delay` ago. */
  const switchSeenOn = (switchId: string): boolean => {
    const seenAt = now().getTime() - delayMs;
    const history = turns.get(switchId) ?? [];
    return [...history].reverse().find((t) => t.at <= seenAt)?.on ?? true;
  };

  const config = (id: string): HealthCheckConfigView => {
    const base = {
      healthCheckId: id,
      inverted: inverted.has(id),
      disabled: false,
      childHealthChecks: [] as string[],
      healthThreshold: null as number | null,
      searchString: null as string | null,
      routingControlArn: null as string | null,
    };
    const set = decl.switches.find((s) => s.calculatedHealthCheckId === id);
    if (set)
      return {
        ...base,
        type: 'CALCULATED',
        childHealthChecks: [...set.primaryHealthCheckIds, ...set.switches.map((s) => s.healthCheckId)],
        healthThreshold: set.healthThreshold,
      };
    const sw = allSwitches().find((s) => s.healthCheckId === id);
    if (sw?.kind === 'arc-routing-control')
      return { ...base, type: 'RECOVERY_CONTROL', routingControlArn: sw.routingControlArn };
    return { ...base, type: 'HTTPS_STR_MATCH', searchString: sw?.searchString ?? '"status":"ok"' };
  };

  /** The raw result the checkers see (before Inverted). */
  const rawHealthy = (id: string): boolean => {
    const sw = allSwitches().find((s) => s.healthCheckId === id);
    if (sw?.kind === 's3-object' && scenario.switchUnreachable) return false;
    if (sw) return switchSeenOn(sw.id);
    const set = decl.switches.find((s) => s.calculatedHealthCheckId === id);
    if (set) {
      const c = config(id);
      return c.childHealthChecks.filter(healthy).length >= (c.healthThreshold ?? 0);
    }
    const region = regionOfEndpoint.get(id);
    return region === undefined || scenario.health[region] !== 'unhealthy';
  };
  function healthy(id: string): boolean {
    const raw = rawHealthy(id);
    return inverted.has(id) ? !raw : raw;
  }

  return {
    isCalculated: (id: string) => decl.switches.some((s) => s.calculatedHealthCheckId === id),
    healthCheckConfig: config,
    /** GetHealthCheckStatus: what each checker sees (raw; Inverted applies on top, as in Route 53). */
    status(id: string): HealthCheckReport {
      return summarizeHealthCheck(id, checkerObservations(rawHealthy(id), now().toISOString()));
    },
    healthy,
    readObject(bucket: string, key: string): string | undefined {
      return bodies.get(`${bucket}/${key}`);
    },
    writeObject(bucket: string, key: string, body: string): void {
      bodies.set(`${bucket}/${key}`, body);
      const sw = allSwitches().find((s) => s.bucket === bucket && s.key === key);
      if (sw) turn(sw.id, body.includes(sw.searchString ?? '\u0000'));
    },
    readControl: (arn: string) => controls.get(arn),
    writeControl(arn: string, state: 'On' | 'Off'): void {
      controls.set(arn, state);
      const sw = allSwitches().find((s) => s.routingControlArn === arn);
      if (sw) turn(sw.id, state === 'On');
    },
    /** The values Route 53's name servers answer for `name` `type`, from the live records and health. */
    dnsAnswer(name: string, type: string, live: RecordSetShape[]): string[] {
      const pair = live.filter(
        (r) => normalizeRecordName(r.Name) === normalizeRecordName(name) && r.Type === type,
      );
      const primary = pair.find((r) => r.Failover === 'PRIMARY');
      const secondary = pair.find((r) => r.Failover === 'SECONDARY');
      const ok = (r: RecordSetShape | undefined) => !!r && (!r.HealthCheckId || healthy(r.HealthCheckId));
      const answering = ok(primary) ? primary : ok(secondary) ? secondary : (primary ?? secondary);
      if (!answering) return [];
      if (answering.AliasTarget) return simulatedAddresses(answering.AliasTarget.DNSName);
      return (answering.ResourceRecords ?? []).map((v) => v.Value);
    },
    provisionedConcurrency(target: {
      region: string;
      functionName: string;
      qualifier: string;
    }): ProvisionedConcurrencyState {
      const p = provisioned.get(pcKey(target));
      if (!p) return { ...target, status: 'NONE', requested: null, allocated: null, reason: null };
      p.reads--;
      const ready = p.reads < 0;
      return {
        ...target,
        status: ready ? 'READY' : 'IN_PROGRESS',
        requested: p.requested,
        allocated: ready ? p.requested : 0,
        reason: null,
      };
    },
    setProvisionedConcurrency(
      target: { region: string; functionName: string; qualifier: string },
      concurrency: number,
    ) {
      provisioned.set(pcKey(target), {
        requested: concurrency,
        reads: scenario.provisionedInProgressReads ?? 2,
      });
    },
    removeProvisionedConcurrency(target: { region: string; functionName: string; qualifier: string }) {
      provisioned.delete(pcKey(target));
    },
  };
}

function pcKey(t: { region: string; functionName: string; qualifier: string }): string {
  return `${t.region} ${t.functionName} ${t.qualifier}`;
}
