/**
 * Block Kit and thread text for the failover switch's steps (docs/dr-failover.md): "Update Route 53" / "DNS
 * cutback" (the exact switch write an approver approves, the verdict read after it, the record-swap
 * fallback when the switch cannot act), "Confirm primary failure" on a switch checklist, and "Warm up" /
 * "Return to standby". Pure. Whatever came from AWS is escaped; a drill says DRILL, simulated data says
 * SIMULATED.
 */
import type { FailoverSwitchSet, WarmupTarget } from '../../runbooks/model/model';
import type { FailoverDirection } from '../../workflows/failover-plan';
import type { SwitchReading, SwitchRequestPlan } from '../../workflows/failover-switch';
import type { FailoverVerdict } from '../../workflows/failover-verdict';
import type { PrimaryFailureEvidence } from '../../workflows/primary-evidence';
import type { ActionRequest } from '../../workflows/requests';
import type { WarmupMode, WarmupVerdict, WarmupWrite } from '../../workflows/warmup';
import { ActionIds } from '../action-ids';
import { actions, type Block, type Button, button, context } from './blocks';
import { escapeMrkdwn, mentionUser } from './escape';
import { SLACK_LIMITS, truncate } from './limits';

export const SIM = (label: string | null) => (label ? `:test_tube: *${escapeMrkdwn(label)}* ` : '');
export const DRILL = (drill: boolean) => (drill ? '*[DRILL]* ' : '');
const time = (iso: string) => `${iso.slice(11, 16)} UTC`;
const code = (text: string) => `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
const icon = (healthy: boolean | null) =>
  healthy === true ? ':large_green_circle:' : healthy === false ? ':red_circle:' : ':grey_question:';

// ---- The switch write ------------------------------------------------------------------------------------

/** One write, exactly: `S3 PutObject s3://b/k in eu-west-1, body {...}`. */
export function switchWriteLine(w: SwitchRequestPlan['writes'][number]): string {
  return w.kind === 's3-object'
    ? `S3 \`PutObject\` ${code(w.target)} in ${escapeMrkdwn(w.region)}, body ${code(w.value)}`
    : `Route 53 ARC \`UpdateRoutingControlState\` ${code(w.target)} → *${escapeMrkdwn(w.value)}* (on the cluster endpoints in turn)`;
}

/** The stored switch plan, for the approval request: exactly what the executor will write. */
export function switchPlanDetail(plan: SwitchRequestPlan): string {
  const to = plan.direction === 'failover' ? 'Off' : 'On';
  const lines = [
    `Turns the failover switch *${to}* (data plane; the records do not change):`,
    ...plan.writes.map((w) => `• \`${escapeMrkdwn(w.switchId)}\`: ${switchWriteLine(w)}`),
  ];
  if (plan.writes.length > 1)
    lines.push(
      plan.mode === 'first-success'
        ? '_In this order; the first switch that accepts the write is enough._'
        : '_Every one of them: traffic returns only when every switch is On._',
    );
  for (const n of plan.notes) lines.push(`:warning: ${escapeMrkdwn(n)}`);
  lines.push(
    'Then the bot reads the switch, every health check (and its Inverted flag) and the answer of the zone’s name servers.',
  );
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText - 400);
}

/** The confirmation dialog's text: what a click asks for, and that nothing is written before approval. */
export function switchConfirmText(opts: {
  direction: FailoverDirection;
  set: FailoverSwitchSet;
  drill: boolean;
}): string {
  const where = opts.set.switches
    .map((s) =>
      s.kind === 's3-object' ? `s3://${s.bucket}/${s.key} (${s.region})` : `routing control ${s.id}`,
    )
    .join(', ');
  const to = opts.direction === 'failover' ? 'Off' : 'On';
  const drill = opts.drill
    ? 'DRILL: the same request and approval as a real run; then the bot shows the exact write and makes none. '
    : '';
  return truncate(
    `${drill}Asks to turn the failover switch ${to}: ${where}. Nothing is written until a second person approves.`,
    SLACK_LIMITS.confirmText,
  );
}

// ---- "Update Route 53" / "DNS cutback" on a switch checklist ------------------------------------------------

export interface RouteStepView {
  direction: FailoverDirection;
  drill: boolean;
  /** `<runId>|<step id>`. */
  value: string;
  runId: string;
  set: FailoverSwitchSet;
  /** The step's latest request (switch or fallback), as stored. */
  latest: ActionRequest | null;
  retryable: boolean;
  /** The latest verdict recorded on the run. */
  evidence: { at: string; answered: boolean; fallback: boolean } | null;
  /** "Route 53 failover" / the fallback's words, by request kind. */
  labelOf(kind: string): string;
}

export function routeStepBlocks(v: RouteStepView): Block[] {
  const word = v.direction === 'failover' ? 'failover' : 'failback';
  const target = v.direction === 'failover' ? v.set.secondaryRegion : v.set.primaryRegion;
  const lines: string[] = [];
  const r = v.latest;
  const open = r !== null && ['pending', 'approved', 'executing'].includes(r.status);
  if (r) {
    const what = escapeMrkdwn(v.labelOf(r.kind));
    const at = time(r.finishedAt ?? r.decidedAt ?? r.requestedAt);
    if (r.status === 'succeeded' && r.outcome === 'rehearsed')
      lines.push(`${DRILL(true)}:white_check_mark: The ${what} was rehearsed at ${at}: nothing was written.`);
    else if (r.status === 'succeeded') lines.push(`:white_check_mark: The ${what} was carried out at ${at}.`);
    else if (r.status === 'failed')
      lines.push(`:warning: The ${what} failed at ${at}: ${escapeMrkdwn(truncate(r.lastError ?? '', 300))}`);
    else if (v.retryable)
      lines.push(
        `:warning: The approved ${what} stopped without a result (see the thread): it may be retried.`,
      );
    else if (open)
      lines.push(
        `:hourglass_flowing_sand: ${mentionUser(r.requestedBy)} asked for the ${what}; it is ${r.status} (see the thread).`,
      );
  }
  if (v.evidence?.answered)
    lines.push(
      `:white_check_mark: At ${time(v.evidence.at)} the name servers answered *${escapeMrkdwn(target)}*.`,
    );
  else if (v.evidence)
    lines.push(
      `:hourglass_flowing_sand: At ${time(v.evidence.at)} the name servers did not answer ${escapeMrkdwn(target)} yet (the verdict is in the thread).`,
    );
  const offerFallback = v.evidence?.fallback === true && !open;
  if (offerFallback)
    lines.push(
      ':construction: The switch could not act: the *record-swap fallback* (a Route 53 control-plane change, us-east-1) may be asked for, with its own approval.',
    );
  if (v.drill)
    lines.push(
      `${DRILL(true)}Asked and approved exactly as in a real run; once approved the bot shows the exact write and makes none.`,
    );
  else if (r?.status !== 'succeeded')
    lines.push(
      `Turns the failover switch ${v.direction === 'failover' ? 'Off' : 'On'} (the records stay as they are). Needs a second person's approval.`,
    );

  const buttons: Button[] = [];
  if (v.retryable && r)
    buttons.push(
      button({
        text: `Retry the approved ${word}`,
        actionId: ActionIds.awsRoute53Retry,
        value: `${v.runId}|${r.id}`,
      }),
    );
  else if (!open && !(v.evidence?.answered && r?.status === 'succeeded'))
    buttons.push({
      ...button({
        text: `Execute ${word}`,
        actionId: ActionIds.awsRoute53Execute,
        value: v.value,
        style: 'danger',
      }),
      confirm: {
        title: { type: 'plain_text', text: `Execute ${word}?` },
        text: {
          type: 'mrkdwn',
          text: switchConfirmText({ direction: v.direction, set: v.set, drill: v.drill }),
        },
        confirm: { type: 'plain_text', text: 'Request change' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
  buttons.push(button({ text: 'Check again', actionId: ActionIds.awsStepCheck, value: v.value }));
  if (offerFallback)
    buttons.push({
      ...button({
        text: v.direction === 'failover' ? 'Use the record swap…' : 'Swap the records back…',
        actionId: ActionIds.awsFailoverFallback,
        value: v.value,
      }),
      confirm: {
        title: { type: 'plain_text', text: 'Control-plane fallback?' },
        text: {
          type: 'mrkdwn',
          text: truncate(
            `${v.drill ? 'DRILL: rehearsed, nothing written. ' : ''}Only because the switch could not act: swaps the PRIMARY and SECONDARY roles of the failover records with ChangeResourceRecordSets, a Route 53 control-plane change (us-east-1). A separate request, with its own second-person approval.`,
            SLACK_LIMITS.confirmText,
          ),
        },
        confirm: { type: 'plain_text', text: 'Request the fallback' },
        deny: { type: 'plain_text', text: 'Cancel' },
        style: 'danger',
      },
    });
  return [context([truncate(lines.join('\n'), SLACK_LIMITS.sectionText)]), actions(buttons)];
}

// ---- The verdict, for the thread -------------------------------------------------------------------------

function roleOf(set: FailoverSwitchSet, id: string): string {
  if (id === set.calculatedHealthCheckId) return 'calculated, PRIMARY record';
  if (set.primaryHealthCheckIds.includes(id)) return `${set.primaryRegion} endpoint`;
  if (set.secondaryHealthCheckIds.includes(id)) return `${set.secondaryRegion} endpoint, SECONDARY record`;
  const sw = set.switches.find((s) => s.healthCheckId === id);
  return sw ? `switch ${sw.id}` : 'health check';
}

function switchLine(r: SwitchReading): string {
  if (r.position === null)
    return `• Switch \`${escapeMrkdwn(r.switchId)}\`: unreadable (${escapeMrkdwn(r.error ?? '')})`;
  const how = r.declared
    ? ''
    : ` — ${code(truncate(r.raw ?? '', 80))} is not a declared body: written by hand`;
  return `• Switch \`${escapeMrkdwn(r.switchId)}\`: *${r.position.toUpperCase()}*${r.detail ? ` (${escapeMrkdwn(r.detail)})` : ''}${how}`;
}

/** The verdict as the thread shows it: DNS answer, switch, every check with its flags, why, what to do. */
export function verdictText(opts: {
  head: string;
  set: FailoverSwitchSet;
  verdict: FailoverVerdict;
  switches: SwitchReading[];
}): string {
  const { verdict: v, set } = opts;
  const lines = [opts.head];
  if (v.dns) {
    lines.push(`• Name servers: ${escapeMrkdwn(v.dns.summary)}`);
    if (v.dns.mixed || v.dns.perServer.some((p) => p.error))
      for (const p of v.dns.perServer.slice(0, 6))
        lines.push(
          `   ◦ ${escapeMrkdwn(p.server)} → ${escapeMrkdwn(p.region ?? (p.values ? p.values.join(' ') || 'empty' : (p.error ?? 'no answer')))}`,
        );
  }
  for (const r of opts.switches) lines.push(switchLine(r));
  for (const h of Object.values(v.health)) {
    const flags = [h.inverted ? '*Inverted*' : '', h.disabled ? '*Disabled*' : ''].filter(Boolean).join(', ');
    lines.push(
      `${icon(h.healthy)} \`${escapeMrkdwn(h.healthCheckId)}\` (${escapeMrkdwn(roleOf(set, h.healthCheckId))}): ${escapeMrkdwn(h.note)}${flags ? ` — ${flags}` : ''}`,
    );
  }
  for (const a of v.anomalies) lines.push(`:warning: ${escapeMrkdwn(a)}`);
  // The name servers' answer is above; every other reason (why not yet, what could not be read) follows.
  for (const r of v.reasons.filter((x) => !x.startsWith('Done:'))) lines.push(`• ${escapeMrkdwn(r)}`);
  if (v.fallback.available) lines.push(`:construction: Fallback offered: ${escapeMrkdwn(v.fallback.reason)}`);
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}

/** The first line of a verdict note. */
export function verdictHead(opts: {
  v: FailoverVerdict;
  what: string;
  simulated: string | null;
  drill: boolean;
}): string {
  const { v } = opts;
  const answer = v.routeDone
    ? `:white_check_mark: the name servers answer *${escapeMrkdwn(v.targetRegion)}*: the ${v.direction} is done on DNS.`
    : `:hourglass_flowing_sand: the name servers do not answer ${escapeMrkdwn(v.targetRegion)} yet.`;
  return `${SIM(opts.simulated)}${DRILL(opts.drill)}${opts.what}: ${answer}`;
}

// ---- "Confirm primary failure" on a switch checklist -------------------------------------------------------

export function primaryFailureText(opts: {
  evidence: PrimaryFailureEvidence;
  checkedBy: string;
  simulated: string | null;
  alarmLines: string[];
}): string {
  const e = opts.evidence;
  const lines = [
    `${SIM(opts.simulated)}:mag: ${mentionUser(opts.checkedBy)} checked the primary: ${escapeMrkdwn(e.summary)}`,
  ];
  for (const c of e.checks) {
    const seen = c.observed === null ? '' : c.observed ? 'pass' : 'fail';
    const used = c.effective === null ? '' : c.effective ? 'healthy' : 'unhealthy';
    const flags = c.flags.length > 0 ? ` — *${c.flags.join(', ')}*` : '';
    lines.push(
      `${icon(c.observed ?? c.effective)} \`${escapeMrkdwn(c.healthCheckId)}\` (${escapeMrkdwn(c.role)}): ${escapeMrkdwn(c.detail)}${seen && used ? `; Route 53 counts it ${used}` : used ? ` (${used})` : ''}${flags}`,
    );
  }
  if (e.controlPlaneDown)
    lines.push(
      ':warning: Route 53’s control plane (us-east-1) did not answer: the switch and DNS still work (data plane).',
    );
  if (e.dns) lines.push(`• Name servers: ${escapeMrkdwn(e.dns.summary)}`);
  for (const w of e.warnings) lines.push(`:warning: ${escapeMrkdwn(w)}`);
  lines.push(...opts.alarmLines);
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}

// ---- Warm-up ---------------------------------------------------------------------------------------------

const fn = (t: WarmupTarget) => `${t.functionName}:${t.qualifier}`;

/** The writes of a warm-up, exactly as the Lambda API gets them. */
export function warmupWriteLines(writes: WarmupWrite[]): string[] {
  return writes.map((w) =>
    w.action === 'put'
      ? `• Lambda \`PutProvisionedConcurrencyConfig\` ${code(fn(w.target))} in ${escapeMrkdwn(w.target.region)}: ${w.concurrency}`
      : `• Lambda \`DeleteProvisionedConcurrencyConfig\` ${code(fn(w.target))} in ${escapeMrkdwn(w.target.region)}`,
  );
}

export function warmupConfirmText(targets: WarmupTarget[], mode: WarmupMode, drill: boolean): string {
  const what = targets
    .map(
      (t) =>
        `${t.functionName.replace(/^.*:function:/, '')} ${mode === 'warm' ? t.concurrency : (t.standby ?? 'none')}`,
    )
    .join(', ');
  const lead = drill ? 'DRILL: nothing is written; the bot shows the exact calls. ' : '';
  return truncate(
    `${lead}${mode === 'warm' ? 'Sets provisioned concurrency' : 'Returns provisioned concurrency to standby'}: ${what}. It costs provisioned concurrency while it lasts; nothing else changes.`,
    SLACK_LIMITS.confirmText,
  );
}

export function warmupStepBlocks(opts: {
  mode: WarmupMode;
  drill: boolean;
  value: string;
  targets: WarmupTarget[];
  latest: { at: string; outcome: string; text: string } | null;
}): Block[] {
  if (opts.targets.length === 0)
    return [
      context([':warning: This checklist names no warm-up table (`warmup=`), so there is nothing to set.']),
    ];
  const regions = [...new Set(opts.targets.map((t) => t.region))].join(', ');
  const label = opts.mode === 'warm' ? `Warm up ${regions}` : 'Return to standby';
  const lines: string[] = [];
  if (opts.latest) lines.push(truncate(opts.latest.text, 1800));
  else
    lines.push(
      opts.mode === 'warm'
        ? `Sets provisioned concurrency for ${opts.targets.length} functions in ${escapeMrkdwn(regions)} and waits until each is READY.`
        : `Returns the ${opts.targets.length} functions in ${escapeMrkdwn(regions)} to their standby concurrency.`,
    );
  if (opts.drill)
    lines.push(
      `${DRILL(true)}The same click and confirmation as a real run; the bot shows the exact calls and makes none.`,
    );
  return [
    context([truncate(lines.join('\n'), SLACK_LIMITS.sectionText)]),
    actions([
      {
        ...button({
          text: label,
          actionId: ActionIds.awsWarmupApply,
          value: opts.value,
          ...(opts.mode === 'warm' ? { style: 'primary' as const } : {}),
        }),
        confirm: {
          title: { type: 'plain_text', text: `${label}?` },
          text: { type: 'mrkdwn', text: warmupConfirmText(opts.targets, opts.mode, opts.drill) },
          confirm: { type: 'plain_text', text: opts.mode === 'warm' ? 'Warm up' : 'Return to standby' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
      button({ text: 'Refresh status', actionId: ActionIds.awsStepCheck, value: opts.value }),
    ]),
  ];
}

/** A warm-up status note: the verdict's summary and one line per function. */
export function warmupNoteText(opts: {
  verdict: WarmupVerdict;
  head: string;
  simulated: string | null;
  drill: boolean;
}): string {
  const v = opts.verdict;
  const mark = v.done ? ':white_check_mark:' : v.failed ? ':x:' : ':hourglass_flowing_sand:';
  const lines = [`${SIM(opts.simulated)}${DRILL(opts.drill)}${opts.head} ${mark} ${escapeMrkdwn(v.summary)}`];
  for (const l of v.lines) lines.push(`${l.ok ? '  ✓' : '  ✗'} ${escapeMrkdwn(l.text)}`);
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}
