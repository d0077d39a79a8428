/**
 * The canary monitor on a checklist (src/slack/features/aws-steps/monitor.ts): the step's blocks and the
 * verdict note, row for row as the runbook's criteria table has them, with the numbers. Pure. Runbook text
 * (signals, sources) is escaped like anything else; simulated data says SIMULATED.
 */
import type { CanaryReport } from '../../aws/canary';
import type { RowOutcome } from '../../workflows/canary-verdict';
import { ActionIds } from '../action-ids';
import { actions, type Block, button, context } from './blocks';
import { escapeMrkdwn, mentionUser } from './escape';
import { SLACK_LIMITS, truncate } from './limits';

const time = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** Outcomes as the step and the thread name them. */
export const OUTCOME_WORDS: Record<string, string> = {
  pass: 'PASS',
  'pass-partial': 'PASS SO FAR',
  fail: 'FAIL: ABORT',
  'insufficient-data': 'NOT ENOUGH DATA',
  'by-hand': 'CHECK BY HAND',
};

const ICON: Record<string, string> = {
  pass: ':white_check_mark:',
  'pass-partial': ':hourglass_flowing_sand:',
  fail: ':x:',
  'insufficient-data': ':grey_question:',
  'by-hand': ':raised_hand:',
};

const ROW_ICON: Record<RowOutcome, string> = {
  ok: '✓',
  abort: '✗',
  insufficient: '?',
  waiting: '…',
  'by-hand': '✋',
};

export function canaryStepBlocks(opts: {
  value: string;
  periodMinutes: number;
  elapsedMinutes: number | null;
  /** The criteria table's signals, to say what is compared. */
  signals: number;
  latest: { outcome: string; at: string } | null;
  /** A FAIL of this monitoring period, when a later check is shown: it stands (Done needs a reason). */
  failed?: { at: string } | null;
}): Block[] {
  const elapsed =
    opts.elapsedMinutes === null
      ? ''
      : ` (${Math.min(opts.elapsedMinutes, opts.periodMinutes)} of ${opts.periodMinutes} min elapsed)`;
  const lines = [
    `:chart_with_upwards_trend: Monitoring period ${opts.periodMinutes} min${elapsed}: the ${opts.signals} signals of the runbook's abort table, canary version against the previous version.`,
  ];
  if (opts.latest) {
    const word = OUTCOME_WORDS[opts.latest.outcome] ?? escapeMrkdwn(opts.latest.outcome.toUpperCase());
    lines.push(
      `${ICON[opts.latest.outcome] ?? ':grey_question:'} Last verdict *${word}* at ${time(opts.latest.at)} (numbers in the thread).`,
    );
  }
  if (opts.failed && opts.latest?.outcome !== 'fail')
    lines.push(
      `:rotating_light: Verdict *FAIL* at ${time(opts.failed.at)} in this monitoring period: an abort criterion was met, and it stands (the runbook aborts as soon as one is met); Done needs a reason.`,
    );
  return [
    context(lines),
    actions([
      button({
        text: opts.latest ? 'Check metrics again' : 'Check canary metrics',
        actionId: ActionIds.awsMonitorCheck,
        value: opts.value,
      }),
    ]),
  ];
}

/** `outcome`: the verdict, or `pass-partial` for a pass before the period is over. */
export function canaryNoteText(
  report: CanaryReport,
  opts: { user: string; periodMinutes: number; periodOver: boolean; outcome: string },
): string {
  const sim = report.simulated ? `:test_tube: *${escapeMrkdwn(report.simulated)}* ` : '';
  const word = OUTCOME_WORDS[opts.outcome] ?? opts.outcome.toUpperCase();
  const lines = [
    `${sim}${ICON[opts.outcome] ?? ':grey_question:'} Canary verdict *${word}* (checked by ${mentionUser(opts.user)}, ${escapeMrkdwn(report.region)}, ${time(report.window.start)}–${time(report.window.end)}, ${report.window.minutes} min; abort table \`${escapeMrkdwn(report.criteriaId)}\` of the runbook)`,
    ...report.verdict.rows.map(
      (r) =>
        `${ROW_ICON[r.outcome]} ${escapeMrkdwn(r.row.signal)} (\`${escapeMrkdwn(r.row.function)}\`): ${escapeMrkdwn(r.detail)}${r.outcome === 'abort' ? ` — *abort*: ${escapeMrkdwn(r.row.abortText)}` : ''}`,
    ),
  ];
  if (report.verdict.verdict === 'fail')
    lines.push(
      ':rotating_light: An abort criterion is met: set the canary weights back to 0 (the runbook’s abort commands).',
    );
  if (report.verdict.verdict === 'insufficient-data')
    lines.push(
      'A signal below its minimum sample proves nothing: keep watching, or abort, as the runbook says.',
    );
  if (!opts.periodOver)
    lines.push(
      `:hourglass_flowing_sand: The ${opts.periodMinutes}-minute monitoring period is not over yet: check again at its end.`,
    );
  return truncate(lines.join('\n'), SLACK_LIMITS.sectionText);
}
