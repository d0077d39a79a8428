/**
 * Everything the failover verdict (src/workflows/failover-verdict.ts) needs, read in parallel and each part
 * on its own: the switches (data plane, in the standby region), every health check's configuration and
 * status (Route 53 control plane, us-east-1: may fail, and the verdict degrades to what the data plane
 * shows), the live records (control plane, only to spot a record swap) and the answer of the zone's
 * authoritative name servers with the targets' addresses (DNS, data plane). Reads only.
 */
import type { DnsCheck, FailoverRecord, FailoverSwitchSet } from '../runbooks/model/model';
import type { DnsCandidate, DnsReading } from '../workflows/dns-answer';
import { type FailoverDirection, normalizeZoneId, type RecordSetShape } from '../workflows/failover-plan';
import type { SwitchReading } from '../workflows/failover-switch';
import type { FailoverEvidence, SwitchWriteOutcome } from '../workflows/failover-verdict';
import type { HealthCheckView } from '../workflows/health-tree';
import { readSwitches } from './failover-switch';
import type { AwsGateway } from './gateway';
import { settle } from './outcome';

export interface EvidenceInput {
  direction: FailoverDirection;
  set: FailoverSwitchSet;
  records: FailoverRecord[];
  dns: DnsCheck | null;
  /** Switch readings already taken (e.g. just after writing). */
  readings?: SwitchReading[];
  write?: SwitchWriteOutcome | null;
}

export async function collectFailoverEvidence(
  gateway: AwsGateway,
  input: EvidenceInput,
): Promise<FailoverEvidence> {
  const { set } = input;
  const [switches, health, liveRecords, dns] = await Promise.all([
    input.readings ? Promise.resolve(input.readings) : readSwitches(gateway, set),
    readHealth(gateway, set),
    readLiveRecords(gateway, input.records),
    input.dns ? readDns(gateway, input.dns) : Promise.resolve(null),
  ]);
  return {
    direction: input.direction,
    set,
    records: input.records,
    switches,
    health,
    dns,
    liveRecords,
    write: input.write ?? null,
  };
}

async function readHealth(
  gateway: AwsGateway,
  set: FailoverSwitchSet,
): Promise<Record<string, HealthCheckView>> {
  const noStatus = new Set([
    // Route 53 cannot report a calculated check's status; a routing control's check follows the control.
    set.calculatedHealthCheckId,
    ...set.switches.filter((s) => s.kind === 'arc-routing-control').map((s) => s.healthCheckId),
  ]);
  const ids = [
    set.calculatedHealthCheckId,
    ...set.primaryHealthCheckIds,
    ...set.switches.map((s) => s.healthCheckId),
    ...set.secondaryHealthCheckIds,
  ];
  const views = await Promise.all(
    [...new Set(ids)].map(async (id): Promise<HealthCheckView> => {
      const [config, report] = await Promise.all([
        settle(gateway.healthCheckConfig(id)),
        noStatus.has(id) ? Promise.resolve(null) : settle(gateway.healthCheckStatus(id)),
      ]);
      return {
        healthCheckId: id,
        config: config.ok ? config.value : null,
        report: report?.ok ? report.value : null,
      };
    }),
  );
  return Object.fromEntries(views.map((v) => [v.healthCheckId, v]));
}

/** Each zone's live records apart (keyed by zone id): a pair declared in two zones is two record sets. */
async function readLiveRecords(
  gateway: AwsGateway,
  records: FailoverRecord[],
): Promise<Record<string, RecordSetShape[]> | null> {
  const pairs = new Map<string, { hostedZoneId: string; name: string; type: string }>();
  for (const r of records) {
    const zone = normalizeZoneId(r.hostedZoneId);
    pairs.set(`${zone} ${r.name.toLowerCase()} ${r.type}`, {
      hostedZoneId: zone,
      name: r.name,
      type: r.type,
    });
  }
  const wanted = [...pairs.values()];
  const parts = await Promise.all(wanted.map((p) => settle(gateway.listRecordSets(p))));
  const live: Record<string, RecordSetShape[]> = {};
  for (const [i, part] of parts.entries()) {
    if (!part.ok) return null;
    const zone = wanted[i]?.hostedZoneId ?? '';
    live[zone] = [...(live[zone] ?? []), ...part.value];
  }
  return live;
}

/** What the zone's authoritative name servers answer, and each region's expected answer. */
export async function readDns(gateway: AwsGateway, check: DnsCheck): Promise<DnsReading> {
  const byAddress = check.type === 'A' || check.type === 'AAAA';
  const [servers, candidates] = await Promise.all([
    settle(gateway.dnsAnswers({ name: check.name, type: check.type, nameServers: check.nameServers })),
    Promise.all(
      check.answers.map(async (a): Promise<DnsCandidate> => {
        if (!byAddress) return { region: a.region, addresses: null };
        const addresses = await settle(
          gateway.resolveHost({ name: a.match, type: check.type as 'A' | 'AAAA' }),
        );
        return { region: a.region, addresses: addresses.ok ? addresses.value : null };
      }),
    ),
  ]);
  return {
    check,
    servers: servers.ok ? servers.value : [{ server: 'all', values: null, error: servers.failure.message }],
    candidates,
  };
}
