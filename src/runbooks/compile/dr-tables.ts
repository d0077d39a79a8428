/**
 * The DR failover's declarations beside the Route 53 records table (docs/runbook-format.md, "Failover
 * switch", "Warm-up", "DNS answer"): `switch=<id>` (the switches and the health checks they feed),
 * `warmup=<id>` (provisioned concurrency to reach before traffic moves) and `dns=<id>` (how an answer of the
 * zone's authoritative servers maps to a region). Like `records=`, a section without `checklist` defines
 * one; a checklist names it with the same key. Anything that would make the switch unsafe (an Off body
 * that still matches the health check, a bucket name TLS cannot serve) fails the build.
 */

import type {
  Artifact,
  DnsCheck,
  FailoverSwitch,
  FailoverSwitchSet,
  Table,
  WarmupTarget,
} from '../model/model';
import { requireTable } from './contacts';
import { RunbookCompileError } from './errors';
import type { ParsedSection } from './sections';

const SWITCH_COLUMNS = [
  'switch',
  'kind',
  'region',
  'target',
  'cluster endpoints',
  'health check id',
  'on',
  'off',
  'search string',
] as const;
const HEALTH_COLUMNS = ['role', 'health check id', 'region'] as const;
const WARMUP_COLUMNS = [
  'function',
  'region',
  'qualifier',
  'failover concurrency',
  'standby concurrency',
] as const;
const DNS_COLUMNS = ['record name', 'type', 'name servers', 'region', 'answer'] as const;

const NONE = /^(|-|—|–|none|n\/a)$/i;
/** Route 53 string matching reads only the first 5,120 bytes of the body. */
export const SEARCH_WINDOW_BYTES = 5120;
/** Bucket names a health checker can reach over HTTPS in virtual-hosted style (no dots: the certificate is `*.s3.<region>.amazonaws.com`). */
const TLS_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARC_ARN =
  /^arn:aws[\w-]*:route53-recovery-control::\d{12}:controlpanel\/[\w-]+\/routingcontrol\/[\w-]+$/;

export interface DrParts {
  switches: Record<string, FailoverSwitchSet>;
  warmups: Record<string, WarmupTarget[]>;
  dnsChecks: Record<string, DnsCheck>;
}

export function compileDrParts(file: string, sections: ParsedSection[]): DrParts {
  const parts: DrParts = { switches: {}, warmups: {}, dnsChecks: {} };
  for (const ps of sections) {
    // A checklist's `switch=` / `warmup=` / `dns=` refers to a declaration; only other sections define one.
    if (ps.section.directives['checklist'] !== undefined) continue;
    const d = ps.section.directives;
    if (d['switch'] !== undefined) parts.switches[idOf(file, ps, 'switch')] = compileSwitchSet(file, ps);
    if (d['warmup'] !== undefined) parts.warmups[idOf(file, ps, 'warmup')] = compileWarmup(file, ps);
    if (d['dns'] !== undefined) {
      const id = idOf(file, ps, 'dns');
      parts.dnsChecks[id] = compileDns(file, ps, id);
    }
  }
  return parts;
}

/** Adds one file's parts to the artifact; an id defined twice is an error. */
export function mergeDrParts(artifact: Artifact, parts: DrParts, file: string): RunbookCompileError[] {
  const errors: RunbookCompileError[] = [];
  const merge = <T>(into: Record<string, T>, from: Record<string, T>, what: string) => {
    for (const [id, value] of Object.entries(from)) {
      if (into[id] !== undefined)
        errors.push(new RunbookCompileError(file, 0, `${what} "${id}" defined twice`));
      into[id] = value;
    }
  };
  artifact.switches ??= {};
  artifact.warmups ??= {};
  artifact.dnsChecks ??= {};
  merge(artifact.switches, parts.switches, 'switch');
  merge(artifact.warmups, parts.warmups, 'warm-up table');
  merge(artifact.dnsChecks, parts.dnsChecks, 'DNS answer table');
  return errors;
}

/**
 * References and agreement between the parts: a checklist's `switch=`, `warmup=`, `dns=` name something;
 * warm-up steps have a table; the PRIMARY record carries the calculated check and the SECONDARY record the
 * secondary checks the switch section declares (the bot reads them to know where DNS answers).
 */
export function crossCheckDr(
  artifact: Artifact,
  at: (sectionId: string, reason: string) => RunbookCompileError,
): RunbookCompileError[] {
  const errors: RunbookCompileError[] = [];
  for (const c of artifact.checklists) {
    const refs: [string, Record<string, unknown> | undefined, string][] = [
      ['switch', artifact.switches, 'switch'],
      ['warmup', artifact.warmups, 'warm-up table'],
      ['dns', artifact.dnsChecks, 'DNS answer table'],
    ];
    for (const [key, defined, what] of refs) {
      const id = c.directives[key];
      if (id !== undefined && !defined?.[id])
        errors.push(
          at(c.sectionId, `checklist "${c.id}" uses ${key}=${id}, which no section defines as a ${what}`),
        );
    }
    for (const item of c.items) {
      const action = item.type === 'step' ? item.directives['action'] : undefined;
      if ((action === 'warmup' || action === 'warmup-release') && c.directives['warmup'] === undefined)
        errors.push(
          at(
            item.sectionId,
            `step "${item.id}" has action=${action} but checklist "${c.id}" names no warmup= table`,
          ),
        );
    }
    const set = c.directives['switch'] ? artifact.switches?.[c.directives['switch']] : undefined;
    const records = c.records ? artifact.records[c.records] : undefined;
    if (!set || !records) continue;
    for (const r of records) {
      const expected = r.failover === 'PRIMARY' ? [set.calculatedHealthCheckId] : set.secondaryHealthCheckIds;
      const what = r.failover === 'PRIMARY' ? 'the calculated check' : 'a secondary check';
      if (!r.healthCheckId || !expected.includes(r.healthCheckId))
        errors.push(
          at(
            set.sectionId,
            `record ${r.setIdentifier} (${r.failover}) carries health check ${r.healthCheckId ?? 'none'}, but switch "${set.id}" declares ${what}: ${expected.join(', ') || 'none'}`,
          ),
        );
    }
  }
  return errors;
}

function idOf(file: string, ps: ParsedSection, key: string): string {
  const id = ps.section.directives[key] ?? '';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
    throw new RunbookCompileError(file, ps.section.line, `${key}= needs an id (a slug), got "${id}"`);
  return id;
}

function rowsOf(
  file: string,
  ps: ParsedSection,
  columns: readonly string[],
  what: string,
): { get: (c: string) => string; line: number }[] {
  const { table, col } = requireTable(file, ps, columns, what);
  if (table.rows.length === 0) throw new RunbookCompileError(file, table.line, `${what} has no rows`);
  return table.rows.map((row, k) => ({
    get: (c: string) => (row[col[c] ?? -1] ?? '').trim(),
    line: rowLine(table, k),
  }));
}

function rowLine(table: Table, k: number): number {
  return table.line + 2 + k;
}

function compileSwitchSet(file: string, ps: ParsedSection): FailoverSwitchSet {
  const id = ps.section.directives['switch'] ?? '';
  const switches = rowsOf(file, ps, SWITCH_COLUMNS, `switch "${id}"`).map(({ get, line }) =>
    compileSwitch(file, line, get),
  );
  const names = new Set<string>();
  for (const s of switches) {
    if (names.has(s.id))
      throw new RunbookCompileError(file, ps.section.line, `switch "${s.id}" is listed twice`);
    names.add(s.id);
  }
  const health = rowsOf(file, ps, HEALTH_COLUMNS, `switch "${id}" health checks`);
  const byRole = (role: string) => health.filter((h) => h.get('role').toLowerCase() === role);
  for (const h of health) {
    const role = h.get('role').toLowerCase();
    if (!['calculated', 'primary', 'secondary'].includes(role))
      throw new RunbookCompileError(
        file,
        h.line,
        `Role must be calculated, primary or secondary, got "${h.get('role')}"`,
      );
    if (NONE.test(h.get('health check id')))
      throw new RunbookCompileError(file, h.line, `the ${role} row needs a Health check ID`);
  }
  const calculated = byRole('calculated');
  if (calculated.length !== 1)
    throw new RunbookCompileError(
      file,
      ps.section.line,
      `switch "${id}" needs exactly one calculated health check, found ${calculated.length}`,
    );
  const primary = byRole('primary');
  if (primary.length === 0)
    throw new RunbookCompileError(
      file,
      ps.section.line,
      `switch "${id}" needs the primary region's endpoint health check (role primary)`,
    );
  const secondary = byRole('secondary');
  const regionOf = (rows: typeof health, role: string) => {
    const regions = [...new Set(rows.map((r) => r.get('region')))];
    if (regions.length !== 1 || !REGION.test(regions[0] ?? ''))
      throw new RunbookCompileError(
        file,
        rows[0]?.line ?? ps.section.line,
        `the ${role} health checks need one region, got "${regions.join(', ')}"`,
      );
    return regions[0]!;
  };
  const primaryRegion = regionOf(primary, 'primary');
  const secondaryRegion = secondary.length > 0 ? regionOf(secondary, 'secondary') : '';
  const ids = [...switches.map((s) => s.healthCheckId), ...primary.map((p) => p.get('health check id'))];
  if (new Set(ids).size !== ids.length || ids.includes(calculated[0]!.get('health check id')))
    throw new RunbookCompileError(
      file,
      ps.section.line,
      `switch "${id}": every health check must be a different one`,
    );
  return {
    id,
    sectionId: ps.section.id,
    switches,
    calculatedHealthCheckId: calculated[0]!.get('health check id'),
    primaryHealthCheckIds: primary.map((p) => p.get('health check id')),
    secondaryHealthCheckIds: secondary.map((s) => s.get('health check id')),
    healthThreshold: ids.length,
    primaryRegion,
    secondaryRegion,
  };
}

function compileSwitch(file: string, line: number, get: (c: string) => string): FailoverSwitch {
  const fail = (reason: string): never => {
    throw new RunbookCompileError(file, line, reason);
  };
  const id = get('switch');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail(`Switch must be a slug, got "${id}"`);
  const kind = get('kind');
  const region = get('region');
  const healthCheckId = get('health check id');
  if (NONE.test(healthCheckId)) fail(`switch "${id}" needs the Health check ID that reads it`);
  const endpoints = NONE.test(get('cluster endpoints')) ? [] : get('cluster endpoints').split(/[\s,]+/);
  if (kind === 's3-object') {
    if (!REGION.test(region)) fail(`switch "${id}": Region must be an AWS region, got "${region}"`);
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(get('target'));
    if (!m) return fail(`switch "${id}": Target must be s3://bucket/key, got "${get('target')}"`);
    const [, bucket, key] = m as unknown as [string, string, string];
    if (!TLS_BUCKET.test(bucket))
      fail(
        `switch "${id}": bucket "${bucket}" must be 3-63 lower-case letters, digits and hyphens (no dots: health checkers read it over HTTPS)`,
      );
    if (endpoints.length > 0) fail(`switch "${id}": an s3-object switch has no Cluster endpoints`);
    const on = get('on');
    const off = get('off');
    const search = get('search string');
    if (!on || !off || on === off) fail(`switch "${id}": On and Off must be two different bodies`);
    if (!search || !on.includes(search) || off.includes(search))
      fail(`switch "${id}": the Search string must appear in the On body and not in the Off body`);
    if (Buffer.byteLength(on.slice(0, on.indexOf(search) + search.length)) > SEARCH_WINDOW_BYTES)
      fail(
        `switch "${id}": the Search string must lie in the first ${SEARCH_WINDOW_BYTES} bytes of the On body`,
      );
    return {
      id,
      kind,
      region,
      bucket,
      key,
      routingControlArn: null,
      clusterEndpoints: [],
      healthCheckId,
      on,
      off,
      searchString: search,
    };
  }
  if (kind === 'arc-routing-control') {
    const arn = get('target');
    if (!ARC_ARN.test(arn)) fail(`switch "${id}": Target must be a routing control ARN, got "${arn}"`);
    if (endpoints.length === 0)
      fail(`switch "${id}": list the cluster's regional endpoints as region=https://…`);
    const clusterEndpoints = endpoints.map((e) => {
      const [r, url] = [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)];
      if (!REGION.test(r) || !/^https:\/\/\S+$/.test(url))
        fail(`switch "${id}": cluster endpoint "${e}" must be region=https://…`);
      return { region: r, url };
    });
    if (get('on') !== 'On' || get('off') !== 'Off')
      fail(`switch "${id}": a routing control's states are On and Off`);
    return {
      id,
      kind,
      region: NONE.test(region) ? '' : region,
      bucket: null,
      key: null,
      routingControlArn: arn,
      clusterEndpoints,
      healthCheckId,
      on: 'On',
      off: 'Off',
      searchString: null,
    };
  }
  return fail(`Kind must be s3-object or arc-routing-control, got "${kind}"`);
}

function compileWarmup(file: string, ps: ParsedSection): WarmupTarget[] {
  const id = ps.section.directives['warmup'] ?? '';
  const seen = new Set<string>();
  return rowsOf(file, ps, WARMUP_COLUMNS, `warm-up table "${id}"`).map(({ get, line }) => {
    const fail = (reason: string): never => {
      throw new RunbookCompileError(file, line, reason);
    };
    const functionName = get('function');
    const region = get('region');
    const qualifier = get('qualifier');
    if (!/^[\w:.-]+$/.test(functionName))
      fail(`Function must be a function name or ARN, got "${functionName}"`);
    if (!REGION.test(region)) fail(`Region must be an AWS region, got "${region}"`);
    if (!/^[\w-]+$/.test(qualifier) || qualifier === '$LATEST')
      fail(
        `Qualifier must be an alias or a version (provisioned concurrency cannot use $LATEST), got "${qualifier}"`,
      );
    const concurrency = count(get('failover concurrency'));
    if (concurrency === undefined || concurrency < 1)
      return fail('Failover concurrency must be a whole number of at least 1');
    const standbyText = get('standby concurrency');
    const standby = NONE.test(standbyText) ? null : count(standbyText);
    if (standby === undefined || (standby !== null && (standby < 1 || standby >= concurrency)))
      fail(
        'Standby concurrency must be a whole number between 1 and the failover concurrency, or — for none',
      );
    const key = `${region} ${functionName} ${qualifier}`;
    if (seen.has(key)) fail(`${functionName}:${qualifier} in ${region} is listed twice`);
    seen.add(key);
    return { functionName, region, qualifier, concurrency, standby: standby ?? null };
  });
}

/** A whole number, or undefined when the text is not one. */
function count(text: string): number | undefined {
  return /^\d{1,5}$/.test(text) ? Number(text) : undefined;
}

function compileDns(file: string, ps: ParsedSection, id: string): DnsCheck {
  const rows = rowsOf(file, ps, DNS_COLUMNS, `DNS answer table "${id}"`);
  const first = rows[0]!;
  const name = first.get('record name').replace(/\.$/, '').toLowerCase();
  const type = first.get('type').toUpperCase();
  const servers = first.get('name servers');
  const answers: DnsCheck['answers'] = [];
  for (const row of rows) {
    const fail = (reason: string): never => {
      throw new RunbookCompileError(file, row.line, reason);
    };
    if (
      row.get('record name').replace(/\.$/, '').toLowerCase() !== name ||
      row.get('type').toUpperCase() !== type
    )
      fail(`DNS answer table "${id}" describes one record: every row needs ${name} ${type}`);
    if (row.get('name servers') !== servers)
      fail(`DNS answer table "${id}": every row needs the same Name servers`);
    const region = row.get('region');
    if (!REGION.test(region)) fail(`Region must be an AWS region, got "${region}"`);
    if (answers.some((a) => a.region === region)) fail(`region ${region} is listed twice`);
    const match = row.get('answer');
    if (NONE.test(match)) fail(`region ${region} needs the Answer that means it`);
    answers.push({ region, match: match.replace(/\.$/, '') });
  }
  if (!/^[a-z0-9*_.-]+$/.test(name))
    throw new RunbookCompileError(file, first.line, `bad record name "${name}"`);
  if (!['A', 'AAAA', 'CNAME', 'TXT'].includes(type))
    throw new RunbookCompileError(file, first.line, `Type must be A, AAAA, CNAME or TXT, got "${type}"`);
  if (answers.length < 2)
    throw new RunbookCompileError(
      file,
      first.line,
      `DNS answer table "${id}" needs a row per region (at least two)`,
    );
  const nameServers = NONE.test(servers) ? [] : servers.split(/[\s,]+/).map((s) => s.replace(/\.$/, ''));
  return { id, name, type, nameServers, answers };
}
