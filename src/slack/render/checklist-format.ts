/**
 * Small formatting pieces shared by the checklist renderers (message, thread lines, timeline, modals).
 */
import { stepName } from '../../workflows/checklist';
import type { RunGate, RunState, RunStep } from '../../workflows/run-state';
import { escapeMrkdwn, mentionUser } from './escape';
import { escapeKeepingMentions } from './mentions';

/** A Slack date token: every reader sees it in their own time zone; the fallback is UTC. */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${utc(iso)}>`;
}

/** `2024-05-01 10:00 UTC` */
export function utc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `1h 05m`, `12m 30s`, `45s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export function between(fromIso: string, toIso: string): number {
  return Date.parse(toIso) - Date.parse(fromIso);
}

export function mention(userId: string | null | undefined): string {
  return mentionUser(userId);
}

/** `3. Deploy the backend`, escaped (runbook text is ours, but `&`, `<`, `>` still need it). */
export function stepLabel(step: RunStep): string {
  return `${step.n}. ${escapeMrkdwn(step.title)}`;
}

export function gateLabel(gate: RunGate): string {
  return escapeMrkdwn(gate.title);
}

/** Refusal reasons from src/workflows name steps as `step 3 "Title"` and people as `<@U…>`: escape the rest. */
export function refusalText(reason: string): string {
  return escapeKeepingMentions(reason);
}

export function runTitle(state: Pick<RunState, 'title' | 'drill'>): string {
  return `${state.drill ? '[DRILL] ' : ''}${state.title}`;
}

export { stepName };
