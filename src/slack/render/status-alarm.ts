/**
 * A CloudWatch alarm in the alarm channel: state, reason, the matching runbook section, and buttons
 * "Open runbook" and, for DR triggers in ALARM, "Start failover". The OK transition re-renders the same
 * message (same ts) without "Start failover"; INSUFFICIENT_DATA after an ALARM keeps it: a region that is
 * down stops sending the metric, so no data is no recovery. Pure.
 */
import type { AlarmNotification } from '../../aws/alarm-notification';
import type { Section } from '../../runbooks/model/model';
import { ActionIds } from '../action-ids';
import { actions, type Block, type Button, button, context, fallback, type Message, section } from './blocks';
import { escapeMrkdwn } from './escape';
import { SLACK_LIMITS, truncate } from './limits';

export interface AlarmView {
  notification: AlarmNotification;
  section: Section | null;
  sectionUrl: string | null;
  /** Offer "Start failover": the alarm's section is a checklist marked `dr-trigger`. */
  failover: { checklistId: string } | null;
  /** When the alarm went into ALARM, for the OK message ("was in ALARM since"). */
  alarmSince: string | null;
}

const ICON = {
  ALARM: ':rotating_light:',
  OK: ':white_check_mark:',
  INSUFFICIENT_DATA: ':grey_question:',
} as const;
const hhmm = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function renderAlarm(view: AlarmView): Message {
  const n = view.notification;
  const where = n.region ? ` (${escapeMrkdwn(n.region)})` : '';
  const lines = [`${ICON[n.state]} *${n.state}* \`${escapeMrkdwn(n.name)}\`${where}`];
  if (n.description) lines.push(escapeMrkdwn(n.description));
  if (n.reason) lines.push(`> ${escapeMrkdwn(truncate(n.reason.replace(/\s+/g, ' '), 600))}`);
  const blocks: Block[] = [section(truncate(lines.join('\n'), SLACK_LIMITS.sectionText), { verbatim: true })];

  const noDataAfterAlarm = n.state === 'INSUFFICIENT_DATA' && view.alarmSince !== null;
  const facts = [
    n.state === 'OK' && view.alarmSince
      ? `Back to OK at ${hhmm(n.changedAt)} (in ALARM since ${hhmm(view.alarmSince)})`
      : noDataAfterAlarm
        ? `No data since ${hhmm(n.changedAt)} (in ALARM since ${hhmm(view.alarmSince ?? n.changedAt)}; not a recovery: a region that is down sends no metrics)`
        : `Since ${hhmm(n.changedAt)}`,
  ];
  if (n.accountId) facts.push(`Account ${escapeMrkdwn(n.accountId)}`);
  blocks.push(context(facts));

  if (view.section) {
    const title = escapeMrkdwn(view.section.title);
    const link = view.sectionUrl ? `<${view.sectionUrl}|${title}>` : `*${title}*`;
    blocks.push(context([`:book: Runbook: ${link}`]));
  } else blocks.push(context([':book: No runbook section for this alarm yet.']));

  const buttons: Button[] = [];
  if (view.section)
    buttons.push(
      button({ text: 'Open runbook', actionId: ActionIds.awsAlarmOpenRunbook, value: view.section.id }),
    );
  if (view.failover && (n.state === 'ALARM' || noDataAfterAlarm)) {
    buttons.push({
      ...button({
        text: 'Start failover',
        actionId: ActionIds.awsAlarmStartFailover,
        value: view.failover.checklistId,
        style: 'danger',
      }),
      confirm: {
        title: { type: 'plain_text', text: 'Start the DR failover checklist?' },
        text: {
          type: 'mrkdwn',
          text: 'This starts the failover checklist in this channel. Nothing changes in AWS until its steps are executed and approved.',
        },
        confirm: { type: 'plain_text', text: 'Start failover' },
        deny: { type: 'plain_text', text: 'Cancel' },
      },
    });
  }
  if (buttons.length > 0) blocks.push(actions(buttons));
  // The fallback text is mrkdwn too (notifications, screen readers): escaped like the blocks.
  const plain = `${n.state}: ${n.name}${n.region ? ` (${n.region})` : ''}${n.reason ? ` — ${n.reason}` : ''}`;
  return { text: fallback(escapeMrkdwn(plain)), blocks };
}
