/**
 * `/runbook status` as Block Kit, and the shared pieces every AWS-backed message uses: the SIMULATED
 * banner and the "AWS call failed" notice with its Retry button. Pure.
 */
import type { PartFailure } from '../../aws/outcome';
import {
  type HealthCheckLine,
  isRegionHealthLine,
  type RegionStatus,
  type StatusReport,
} from '../../aws/status';
import type { AlarmSummary, HealthCheckReport } from '../../aws/types';
import { ms, percent } from '../../workflows/canary-verdict';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context, fallback, header, type Message, section } from './blocks';
import { escapeMrkdwn } from './escape';

/** Alarms listed per region before "and N more". */
export const MAX_ALARMS_SHOWN = 8;

/** Every message built from simulated data starts with this block. */
export function simulatedBanner(label: string): Block {
  return context([`:test_tube: *${escapeMrkdwn(label)}* — not real AWS data; nothing was sent to AWS.`]);
}

/** Fallback text prefix for simulated data, so notifications say it too. */
export function simulatedPrefix(label: string | null): string {
  return label ? '[SIMULATED] ' : '';
}

/** A failed AWS call: what failed and what to do, with Retry when retrying can help. */
export function awsFailureBlocks(failure: PartFailure, retry?: { actionId: string; value: string }): Block[] {
  const blocks: Block[] = [section(`:warning: ${failure.message}`)];
  if (retry && failure.retryable) {
    blocks.push(actions([button({ text: 'Retry', actionId: retry.actionId, value: retry.value })]));
  }
  return blocks;
}

export function awsFailureMessage(
  failure: PartFailure,
  retry?: { actionId: string; value: string },
): Message {
  return { text: fallback(failure.message), blocks: awsFailureBlocks(failure, retry) };
}

export function healthIcon(healthy: boolean | null): string {
  if (healthy === null) return ':grey_question:';
  return healthy ? ':large_green_circle:' : ':red_circle:';
}

/** `6/8 checkers healthy (failing: sa-east-1, us-west-1)`. */
export function checkerSummary(report: HealthCheckReport): string {
  const total = report.observations.length;
  const failing = report.observations.filter((o) => !o.healthy).map((o) => o.checkerRegion);
  const base = `${report.healthyCheckers}/${total} checkers healthy`;
  if (failing.length === 0 || failing.length === total) return base;
  return `${base} (failing: ${failing.join(', ')})`;
}

export function alarmLine(alarm: AlarmSummary): string {
  const reason = alarm.reason ? ` — ${escapeMrkdwn(truncateLine(alarm.reason, 160))}` : '';
  return `• \`${escapeMrkdwn(alarm.name)}\`${reason}`;
}

function truncateLine(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/**
 * One health check line. A record's own check reads as before; a calculated check (the PRIMARY record's,
 * with the failover switch) first as Route 53 uses it, then each child indented and named, so an unhealthy
 * endpoint and a healthy switch under one record never read as two verdicts on the same thing. Every
 * verdict is Route 53's (Inverted and Disabled applied); a flag set by hand is named beside the checkers'
 * count, which would otherwise contradict it.
 */
function healthLine(hc: HealthCheckLine): string {
  const role = hc.role ?? 'check';
  const record = `${escapeMrkdwn(hc.recordName)} (${escapeMrkdwn(hc.setIdentifier)})`;
  const name =
    role === 'check' || role === 'calculated'
      ? record
      : `↳ ${role === 'switch' ? `failover switch \`${escapeMrkdwn(hc.switchId ?? '')}\`` : role === 'endpoint' ? 'endpoint check' : role === 'routing-control' ? 'routing control' : 'child check'}`;
  if (!hc.report.ok) return `${healthIcon(null)} ${name}: ${hc.report.failure.message}`;
  const r = hc.report.value;
  const verdict = `*${r.healthy ? 'healthy' : 'UNHEALTHY'}*`;
  if (role === 'calculated') {
    const flags = hc.flags ? `; ${flagWords(hc.flags, 'its children say')}` : '';
    return `${healthIcon(r.healthy)} ${name}: ${verdict} for Route 53 (calculated: ${thresholdWords(hc.threshold)}${flags})`;
  }
  const flags = flagWords(hc.flags);
  if (role === 'switch' && hc.flags)
    // The switch's position is what the checkers see; Route 53 acts on the check with its flag applied.
    return `${healthIcon(r.healthy)} ${name}: *${hc.flags.checkersHealthy ? 'on' : 'off'}*, but its check is ${flags}; for Route 53 it is ${r.healthy ? '*on* (the primary may answer)' : '*off* (traffic goes to the standby)'}, ${checkerSummary(r)}`;
  if (role === 'switch')
    return `${healthIcon(r.healthy)} ${name}: ${r.healthy ? '*on* (the primary may answer)' : '*off* (traffic goes to the standby)'}, ${checkerSummary(r)}`;
  return `${healthIcon(r.healthy)} ${name}: ${verdict}${flags ? ` (${flags})` : ''}, ${checkerSummary(r)}`;
}

/**
 * What a calculated check needs of the checks below it, from its HealthThreshold (not a fixed sentence:
 * lowered by hand, the check passes above a failing endpoint), and the runbook's value when it differs.
 */
function thresholdWords(threshold: HealthCheckLine['threshold']): string {
  if (!threshold) return 'every check below must pass';
  const { needed, of, declared } = threshold;
  const words =
    needed >= of
      ? 'every check below must pass'
      : needed <= 0
        ? 'HealthThreshold 0, it passes whatever the checks below do'
        : `${needed} of the ${of} checks below must pass`;
  return declared !== undefined && declared !== needed
    ? `${words}; the runbook's switch table says ${declared}`
    : words;
}

/** A flag someone set by hand, `Inverted: Route 53 takes the opposite of what the checkers see`; '' for none. */
function flagWords(flags: HealthCheckLine['flags'], source = 'the checkers see'): string {
  if (!flags) return '';
  if (flags.disabled && flags.inverted)
    return `Disabled and Inverted: Route 53 counts it failing whatever ${source}`;
  if (flags.disabled) return `Disabled: Route 53 counts it healthy whatever ${source}`;
  return `Inverted: Route 53 takes the opposite of what ${source}`;
}

function regionBlock(region: RegionStatus, prefix: string): Block[] {
  const lines: string[] = [];
  const role = region.role === 'primary' ? 'primary' : 'DR';
  lines.push(`*${region.region}* (${role})`);
  if (region.healthChecks.length === 0)
    lines.push('Health checks: none declared in the runbook for this region.');
  for (const hc of region.healthChecks) lines.push(healthLine(hc));
  if (region.alarms.ok) {
    const alarms = region.alarms.value;
    const scope = prefix ? ` (prefix \`${escapeMrkdwn(prefix)}\`)` : '';
    if (alarms.length === 0) lines.push(`:white_check_mark: No alarms in ALARM${scope}.`);
    else {
      lines.push(`:rotating_light: *${alarms.length} in ALARM*${scope}:`);
      for (const a of alarms.slice(0, MAX_ALARMS_SHOWN)) lines.push(alarmLine(a));
      if (alarms.length > MAX_ALARMS_SHOWN) lines.push(`…and ${alarms.length - MAX_ALARMS_SHOWN} more.`);
    }
  } else lines.push(`:warning: ${region.alarms.failure.message}`);
  if (region.metrics.ok) {
    const m = region.metrics.value;
    const parts: string[] = [];
    if (m.note) parts.push(m.note);
    else {
      parts.push(
        m.requests === null
          ? '5xx rate n/a (no request data)'
          : `5xx rate ${percent(m.errorRate)} (${m.errors ?? 0} of ${m.requests} requests)`,
      );
      parts.push(`p99 latency ${ms(m.p99LatencyMs)}`);
    }
    parts.push(`Bedrock throttles ${m.bedrockThrottles ?? 'n/a (no data)'}`);
    lines.push(
      `:bar_chart: Last ${m.windowMinutes} min: ${parts.join(' · ')}${m.partial ? '\n:warning: CloudWatch returned partial data: these numbers are incomplete.' : ''}`,
    );
  } else lines.push(`:warning: ${region.metrics.failure.message}`);
  return [section(lines.join('\n'))];
}

/** What `/runbook status` may suggest next: the slash command and the checklists' commands that move traffic. */
export interface StatusNext {
  command: string;
  /** Starts the checklist that fails over (`failover`), if the runbooks have one. */
  failover?: string;
  /** Starts the checklist that fails back (`failback`), if the runbooks have one. */
  failback?: string;
}

/**
 * The one next step the report supports, worded from the same facts the report shows: the primary's health
 * checks (as Route 53 uses them), the record that answers, the alarms and metrics.
 */
export function statusNextStep(report: StatusReport, next: StatusNext): string {
  const primary = report.regions.find((r) => r.role === 'primary');
  const dr = report.regions.find((r) => r.role === 'dr');
  // The region's own health: its endpoint checks, not a switch someone turned off (that is a failover).
  const healthy = (r: typeof primary) =>
    r?.healthChecks.filter(isRegionHealthLine).every((hc) => hc.report.ok && hc.report.value.healthy) ?? true;
  const known = (r: typeof primary) => r?.healthChecks.every((hc) => hc.report.ok) ?? true;
  const alarms = report.regions.reduce((n, r) => n + (r.alarms.ok ? r.alarms.value.length : 0), 0);
  const drAnswers = report.answering.some((a) => a.answer.ok && a.region !== null && a.region === dr?.region);
  const c = next.command;
  const retry = `Next: some checks could not be read; *Retry*, and if it keeps failing check AWS access (\`${c} help\`).`;
  // A check set to Inverted or Disabled by hand makes Route 53 route against what its checkers see, so any
  // other advice would rest on it (an Inverted endpoint check holds traffic on DR while the switch is on):
  // the runbook says to find out who changed it and undo it first (DR_FAILOVER.md, failback Step 1).
  const flagged = report.regions.flatMap((r) => r.healthChecks.filter((hc) => hc.flags));
  if (flagged.length > 0)
    return `Next: ${flagged.map((hc) => `health check \`${escapeMrkdwn(hc.healthCheckId)}\` is ${hc.flags?.disabled ? (hc.flags.inverted ? 'Disabled and Inverted' : 'Disabled') : 'Inverted'}`).join(', ')}: no runbook step does that. Find out who changed it and why, and undo it before moving traffic; \`${c} escalate\` if it is beyond you.`;
  // Nothing is said to be fine, or on DR, from what could not be read: the primary's checks, the record that
  // answers, and the DR region's checks while the primary is down ...
  if (!known(primary) || report.answering.some((a) => !a.answer.ok) || (!healthy(primary) && !known(dr)))
    return retry;
  // A declared failover record that is not in the zone (deleted, renamed, another zone): neither the
  // failover nor the failback can move it, so no advice that rests on it, and never "nothing needs doing".
  const missing = report.answering.filter((a) => a.answer.ok && !a.answer.value);
  if (missing.length > 0)
    return `Next: Route 53 has no failover record sets for ${missing.map((a) => `\`${escapeMrkdwn(a.name)} ${escapeMrkdwn(a.type)}\``).join(', ')}, which the DR runbook declares: a failover or failback would move nothing. Check the hosted zone against the runbook's Route 53 records table; \`${c} escalate\` if it is beyond you.`;
  if (!healthy(primary) && !drAnswers && dr && !healthy(dr))
    return `Next: the primary is unhealthy and so is the DR region: failing over would not move traffic (Route 53 answers the primary when both fail). Escalate (\`${c} escalate\`) and work on whichever region recovers first.`;
  if (!healthy(primary) && !drAnswers)
    return `Next: the primary is unhealthy and still answers. Confirm the failure and follow the DR runbook${next.failover ? `: \`${c} ${next.failover}\` starts the checklist (\`${c} drill ${next.failover}\` to practise)` : ''}.`;
  if (!healthy(primary) && drAnswers)
    return `Next: traffic is on the DR region while the primary is unhealthy. Keep the incident going; \`${c} escalate\` posts the path.`;
  // ... nor, from any region's alarms or metrics that could not be read (the report shows a warning and
  // Retry), that the primary is fine. An outage's advice above stands without them: a region that is down
  // is why its CloudWatch does not answer.
  if (report.regions.some((r) => !r.alarms.ok || !r.metrics.ok)) return retry;
  if (drAnswers)
    return `Next: the primary is healthy again but the DR region answers${next.failback ? `: when ready, \`${c} ${next.failback}\` starts the failback checklist` : ''}.`;
  if (alarms > 0)
    return `Next: look up each alarm: \`${c} <alarm name or what it measures>\` finds its runbook section; \`${c} escalate\` if it is beyond you.`;
  return `Next: nothing needs doing. \`${c} <what you see>\` searches the runbooks; \`${c} help\` lists everything else.`;
}

export function renderStatus(report: StatusReport, next?: StatusNext): Message {
  const blocks: Block[] = [];
  if (report.simulated) blocks.push(simulatedBanner(report.simulated));
  blocks.push(header(`${report.simulated ? 'SIMULATED ' : ''}AWS status`));

  const dns: string[] = [];
  for (const line of report.answering) {
    const name = `${escapeMrkdwn(line.name)} ${escapeMrkdwn(line.type)}`;
    if (!line.answer.ok) dns.push(`:warning: ${name}: ${line.answer.failure.message}`);
    else if (!line.answer.value) dns.push(`:grey_question: ${name}: no failover record sets found`);
    else {
      const a = line.answer.value;
      const where = line.region ? ` in *${line.region}*` : '';
      dns.push(
        `:globe_with_meridians: ${name} → \`${escapeMrkdwn(a.setIdentifier ?? a.name)}\`${where} answers (${a.reason})`,
      );
    }
  }
  if (dns.length > 0) blocks.push(section(`*Route 53 failover*\n${dns.join('\n')}`));
  for (const region of report.regions) blocks.push(...regionBlock(region, report.alarmPrefix));

  const failures = collectFailures(report);
  if (next) blocks.push(section(statusNextStep(report, next)));
  const footer = [`Checked ${report.generatedAt.slice(11, 16)} UTC`];
  if (failures.length > 0) footer.push(`${failures.length} AWS call(s) failed; Retry to check again`);
  blocks.push(context(footer));
  blocks.push(
    actions([
      button({
        text: failures.length > 0 ? 'Retry' : 'Refresh',
        actionId: ActionIds.awsStatusRetry,
        value: 'status',
      }),
    ]),
  );

  return { text: fallback(statusText(report)), blocks };
}

function collectFailures(report: StatusReport): PartFailure[] {
  const out: PartFailure[] = [];
  for (const r of report.regions) {
    for (const hc of r.healthChecks) if (!hc.report.ok) out.push(hc.report.failure);
    if (!r.alarms.ok) out.push(r.alarms.failure);
    if (!r.metrics.ok) out.push(r.metrics.failure);
  }
  for (const a of report.answering) if (!a.answer.ok) out.push(a.answer.failure);
  return out;
}

/** The notification text: which region answers and how many alarms fire. */
export function statusText(report: StatusReport): string {
  const answering = report.answering
    .map((a) =>
      a.answer.ok && a.answer.value
        ? `${a.name} served from ${a.region ?? a.answer.value.setIdentifier}`
        : null,
    )
    .filter(Boolean)
    .join('; ');
  const alarms = report.regions
    .map((r) => `${r.region}: ${r.alarms.ok ? `${r.alarms.value.length} alarm(s)` : 'alarms unknown'}`)
    .join(', ');
  return `${simulatedPrefix(report.simulated)}AWS status — ${answering || 'DNS unknown'}; ${alarms}`;
}

/** Shown at once while the deferred work runs. */
export function statusPendingMessage(): Message {
  return {
    text: 'Checking Route 53 and CloudWatch…',
    blocks: [
      context([
        ':hourglass_flowing_sand: Checking Route 53 health checks, failover records, CloudWatch alarms and metrics…',
      ]),
    ],
  };
}
