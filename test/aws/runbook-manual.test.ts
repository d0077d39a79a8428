/**
 * DR_FAILOVER.md's manual commands do exactly what the bot executes: the variables its failover and
 * failback procedures export are the runbook's own tables (the switch object and its bodies, the warm-up
 * and standby concurrency, the name servers and targets), and the step text names the bot's buttons as the
 * bot labels them. Edit a table without the commands, or the reverse, and this fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, FailoverSwitchSet, Section } from '../../src/runbooks/model/model';
import { routeStepBlocks, warmupStepBlocks } from '../../src/slack/render/failover-steps';
import { loadTestArtifact } from '../helpers/artifact';

let artifact: Artifact;
let set: FailoverSwitchSet;

beforeAll(async () => {
  artifact = await loadTestArtifact();
  set = artifact.switches?.['dr-switch'] as FailoverSwitchSet;
});

/** `export NAME=value` lines of a section's shell blocks, quotes removed. */
function exportsOf(section: Section | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of section?.code ?? []) {
    for (const m of block.code.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) {
      out[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
    }
  }
  return out;
}

const section = (id: string) => artifact.sections.find((s) => s.id === id);
const buttons = (blocks: unknown) =>
  [...JSON.stringify(blocks).matchAll(/"type":"button","text":\{"type":"plain_text","text":"([^"]+)"/g)].map(
    (m) => m[1],
  );

describe('DR_FAILOVER.md: the manual commands are the bot’s', () => {
  it('the failover exports the switch object, its Off body, the warm-up targets and the DNS table', () => {
    const vars = exportsOf(section('DR_FAILOVER.md#failover-procedure'));
    const sw = set.switches.find((s) => s.kind === 's3-object')!;
    const warmup = artifact.warmups?.['dr-warmup'] ?? [];
    const dns = artifact.dnsChecks?.['api-dns'];

    expect(`s3://${vars['SWITCH_BUCKET']}/${vars['SWITCH_KEY']}`).toBe(`s3://${sw.bucket}/${sw.key}`);
    expect(vars['SWITCH_OFF_BODY']).toBe(sw.off);
    expect(vars['SWITCH_HEALTH_CHECK_ID']).toBe(sw.healthCheckId);
    expect(vars['PRIMARY_HEALTH_CHECK_ID']).toBe(set.primaryHealthCheckIds[0]);
    expect(vars['SECONDARY_HEALTH_CHECK_ID']).toBe(set.secondaryHealthCheckIds[0]);
    expect(vars['DR_REGION']).toBe(sw.region);
    expect(vars['WARMUP']?.split(' ')).toEqual(warmup.map((w) => `${w.functionName}=${w.concurrency}`));
    expect(vars['NAME_SERVERS']?.split(' ')).toEqual(dns?.nameServers);
    expect(vars['RECORD_NAME']).toBe(dns?.name);
    expect([vars['PRIMARY_TARGET'], vars['SECONDARY_TARGET']]).toEqual(dns?.answers.map((a) => a.match));
  });

  it('the failback exports the On body and the standby targets', () => {
    const vars = exportsOf(section('DR_FAILOVER.md#failback-procedure'));
    const sw = set.switches.find((s) => s.kind === 's3-object')!;
    const warmup = artifact.warmups?.['dr-warmup'] ?? [];

    expect(`s3://${vars['SWITCH_BUCKET']}/${vars['SWITCH_KEY']}`).toBe(`s3://${sw.bucket}/${sw.key}`);
    expect(vars['SWITCH_ON_BODY']).toBe(sw.on);
    expect(vars['CALCULATED_HEALTH_CHECK_ID']).toBe(set.calculatedHealthCheckId);
    expect(vars['STANDBY']?.split(' ')).toEqual(
      warmup.filter((w) => w.standby !== null).map((w) => `${w.functionName}=${w.standby}`),
    );
    expect(vars['NO_STANDBY']?.split(' ')).toEqual(
      warmup.filter((w) => w.standby === null).map((w) => w.functionName),
    );
  });

  it('the warm-up targets are the numbers OPERATIONS.md and ARCHITECTURE.md give for eu-west-1', () => {
    const warmup = artifact.warmups?.['dr-warmup'] ?? [];
    const table = section('OPERATIONS.md#adjust-provisioned-concurrency')?.tables[0];
    const column = (name: string) => table?.header.findIndex((h) => h.trim() === name) ?? -1;
    const [primary, standby, failover] = [
      'af-south-1',
      'eu-west-1 standby',
      'eu-west-1 after a failover',
    ].map(column);
    const rows = new Map(
      table?.rows.map((r) => [
        r[0]!
          .replace(/`/g, '')
          .replace(/ \(.*\)$/, '')
          .trim(),
        r,
      ]),
    );
    expect(warmup.length).toBeGreaterThan(0);
    for (const w of warmup) {
      const row = rows.get(w.functionName);
      expect(row, w.functionName).toBeDefined();
      // A failover gives eu-west-1 what af-south-1 runs with; standby '—' is none.
      expect([row![primary!], row![failover!]].map(Number), w.functionName).toEqual([
        w.concurrency,
        w.concurrency,
      ]);
      expect(row![standby!]!.trim() === '—' ? null : Number(row![standby!]), w.functionName).toBe(w.standby);
    }
    expect(rows.size).toBe(warmup.length);
    // ARCHITECTURE.md's regions table names the af-south-1 values by short name (`api` 20, ...).
    const lambda = section('ARCHITECTURE.md#regions')?.tables[0]?.rows.find((r) => r[0] === 'Lambda');
    const named = new Map(
      [...(lambda?.[1] ?? '').matchAll(/(\w+)`? (\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
    expect(warmup.map((w) => named.get(w.functionName.replace('sitecraft-prod-', '')))).toEqual(
      warmup.map((w) => w.concurrency),
    );
  });

  it('the steps name the bot’s buttons as the bot labels them', () => {
    const warmup = artifact.warmups?.['dr-warmup'] ?? [];
    const text = (id: string) => artifact.sections.find((s) => s.id === id)?.markdown ?? '';
    const warm = buttons(
      warmupStepBlocks({ mode: 'warm', drill: false, value: 'r|s', targets: warmup, latest: null }),
    );
    const release = buttons(
      warmupStepBlocks({ mode: 'release', drill: false, value: 'r|s', targets: warmup, latest: null }),
    );
    const route = (direction: 'failover' | 'failback') =>
      buttons(
        routeStepBlocks({
          direction,
          drill: false,
          value: 'r|s',
          runId: 'r',
          set,
          latest: null,
          retryable: false,
          evidence: { at: '2025-01-01T00:00:00.000Z', answered: false, fallback: true },
          labelOf: (k) => k,
        }),
      );

    expect(warm[0]).toBe('Warm up eu-west-1');
    expect(text('DR_FAILOVER.md#step-2-warm-up-eu-west-1')).toContain(`**${warm[0]}**`);
    expect(text('DR_FAILOVER.md#step-5-return-eu-west-1-to-standby-capacity')).toContain(`**${release[0]}**`);
    const over = route('failover');
    expect(text('DR_FAILOVER.md#step-3-update-route-53')).toContain(`**${over[0]}**`);
    expect(text('DR_FAILOVER.md#step-3-update-route-53')).toContain(`**${over[2]}**`);
    expect(text('DR_FAILOVER.md#step-3-dns-cutback')).toContain(`**${route('failback')[0]}**`);
    expect(text('DR_FAILOVER.md#step-1-confirm-the-primary-region-is-healthy')).toContain(
      `**${route('failback')[2]}**`,
    );
  });
});
