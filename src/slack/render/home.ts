/**
 * The App Home tab of one person: what waits for their signature (Approve / Reject / Open), the runs they
 * started that are still going, recent runs, and the runbooks with the commands that start them. Within
 * Slack's 100 blocks for a Home tab, whatever the store holds. Pure.
 */
import type { Checklist, RunbookFile } from '../../runbooks/model/model';
import type { Awaiting } from '../../workflows/invites';
import { findRequest } from '../../workflows/requests';
import { progress, type RunState, type RunStatus, roleLabel } from '../../workflows/run-state';
import { ActionIds } from '../action-ids';
import { actions, type Block, type Button, button, context, divider, header, section } from './blocks';
import { encodeItemValue } from './checklist';
import { gateLabel, mention, runTitle, slackDate } from './checklist-format';
import { escapeMrkdwn } from './escape';
import { SLACK_LIMITS } from './limits';
import { mentionChannel } from './mentions';

export interface HomeWaiting {
  run: RunState;
  awaiting: Awaiting;
  /** The bot asked this person (an invite on the run): the buttons work here. Otherwise: Open only. */
  invited: boolean;
  permalink: string | null;
  /** For a live-action request: "Route 53 failover", "failover". */
  request?: { what: string; verb: string };
}

export interface HomeRun {
  runId: string;
  title: string;
  drill: boolean;
  channel: string;
  startedBy: string;
  startedAt: string;
  status: RunStatus;
  permalink?: string | null;
  progressText?: string;
}

export interface HomeData {
  user: string;
  roles: readonly string[];
  waiting: HomeWaiting[];
  mine: HomeRun[];
  recent: HomeRun[];
  checklists: Pick<Checklist, 'title' | 'commands'>[];
  runbooks: Pick<RunbookFile, 'title' | 'file'>[];
  repoUrl: string;
  command: string;
  now: string;
}

export const HOME_MAX_BLOCKS = SLACK_LIMITS.blocksPerModal;
/** Waiting items shown with their buttons (two blocks each); more are counted. */
const MAX_WAITING = 20;
const MAX_LINES = 10;

const STATUS: Record<RunStatus, string> = {
  active: ':arrow_forward: in progress',
  completed: ':tada: complete',
  halted: ':octagonal_sign: halted',
  cancelled: ':x: cancelled',
};

export function homeRun(run: RunState, permalink?: string | null): HomeRun {
  const p = progress(run);
  return {
    runId: run.runId,
    title: run.title,
    drill: run.drill,
    channel: run.channel,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    status: run.status,
    ...(permalink !== undefined ? { permalink } : {}),
    progressText: `${p.stepsResolved} of ${p.stepsTotal} steps${p.gatesTotal ? `, ${p.gatesPassed} of ${p.gatesTotal} gates` : ''}`,
  };
}

export function renderHome(data: HomeData): { type: 'home'; blocks: Block[] } {
  const blocks: Block[] = [
    header('Runbook'),
    context([
      `What waits for you, the runs you started, and the runbooks. Updated ${slackDate(data.now)}; it refreshes when something you can sign opens or closes.`,
    ]),
  ];

  blocks.push(
    section(
      data.waiting.length
        ? `*Waiting for your signature* (${data.waiting.length})`
        : '*Nothing waits for your signature.* When a gate you can sign opens, it shows here and in a DM.',
    ),
  );
  for (const w of data.waiting.slice(0, MAX_WAITING)) blocks.push(...waitingBlocks(w, data.roles));
  if (data.waiting.length > MAX_WAITING)
    blocks.push(context([`…and ${data.waiting.length - MAX_WAITING} more; open them from their channels.`]));

  blocks.push(divider(), section('*Your runs in progress*'));
  blocks.push(
    context([
      lines(
        data.mine.map(
          (r) =>
            `${runLink(r)} in ${mentionChannel(r.channel)} · ${r.progressText ?? ''} · started ${slackDate(r.startedAt)}`,
        ),
        'None. Start one with a command below.',
      ),
    ]),
  );

  blocks.push(section('*Recent runs*'));
  blocks.push(
    context([
      lines(
        data.recent.map(
          (r) =>
            `${STATUS[r.status]} · ${escapeMrkdwn(runTitle(r))} in ${mentionChannel(r.channel)} · ${mention(r.startedBy)} ${slackDate(r.startedAt)}`,
        ),
        'No runs yet.',
      ),
    ]),
  );

  blocks.push(divider(), section('*Runbooks*'));
  blocks.push(
    section(
      lines(
        data.checklists.map(
          (c) => `\`${data.command} ${escapeMrkdwn(c.commands[0] ?? '')}\` — ${escapeMrkdwn(c.title)}`,
        ),
        'The runbooks define no checklists.',
        20,
      ),
    ),
  );
  blocks.push(
    context([
      `${data.runbooks.map((r) => `<${encodeURI(`${data.repoUrl}/${r.file}`)}|${escapeMrkdwn(r.title)}>`).join(' · ')}`,
      `Also: \`${data.command} <what is wrong>\` searches them · \`${data.command} help\``,
    ]),
  );
  return { type: 'home', blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

function runLink(r: HomeRun): string {
  const title = escapeMrkdwn(runTitle(r));
  return r.permalink ? `<${r.permalink}|${title}>` : `*${title}*`;
}

function lines(items: string[], none: string, max = MAX_LINES): string {
  if (items.length === 0) return `_${none}_`;
  const shown = items.slice(0, max);
  const more = items.length > max ? `\n…and ${items.length - max} more` : '';
  // One context or section text holds 3,000 characters: keep whole lines.
  let out = '';
  for (const line of shown) {
    if (out.length + line.length + 1 > SLACK_LIMITS.sectionText - 40) break;
    out = out ? `${out}\n${line}` : line;
  }
  return out + more;
}

function waitingBlocks(w: HomeWaiting, roles: readonly string[]): Block[] {
  const { run, awaiting } = w;
  const needs = awaiting.roles
    .map((r) => `${roleLabel(r, run.roleNames)}${roles.includes(r) ? ' (you)' : ''}`)
    .join(', ');
  const what =
    awaiting.kind === 'gate' && awaiting.gate
      ? `:lock: *${gateLabel(awaiting.gate)}*`
      : `:warning: *${escapeMrkdwn(w.request?.what ?? 'Change')}*, asked by ${mention(findRequest(run, awaiting.requestId ?? '')?.requestedBy)}`;
  const value = encodeItemValue(
    run.runId,
    awaiting.kind === 'gate' ? (awaiting.gate?.id ?? '') : (awaiting.requestId ?? ''),
  );
  const buttons: Button[] = [];
  if (w.invited) {
    if (awaiting.kind === 'gate') {
      buttons.push(
        button({ text: 'Approve', actionId: ActionIds.checklistApprove, value, style: 'primary' }),
        button({ text: 'Reject…', actionId: ActionIds.checklistReject, value, style: 'danger' }),
      );
    } else {
      buttons.push(
        button({
          text: `Approve ${w.request?.verb ?? 'change'}`,
          actionId: ActionIds.awsRoute53Approve,
          value,
          style: 'danger',
        }),
        button({ text: 'Cancel request', actionId: ActionIds.awsRoute53Cancel, value }),
      );
    }
  }
  if (w.permalink) buttons.push(button({ text: 'Open', actionId: ActionIds.reachOpenRun, url: w.permalink }));
  const text =
    `${what} — ${escapeMrkdwn(runTitle(run))} in ${mentionChannel(run.channel)}\n` +
    `Waiting since ${slackDate(awaiting.since)} · needs ${needs}` +
    (w.invited ? '' : '\n_Open the run to sign it in its channel._');
  return buttons.length > 0 ? [section(text), actions(buttons)] : [section(text)];
}
