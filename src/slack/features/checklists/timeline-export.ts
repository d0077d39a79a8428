/**
 * Export (the run's Export button), after the click was authorized (./clicks.ts): the timeline goes to the
 * run's thread as files, through Slack's upload flow (`files.uploadV2`: files.getUploadURLExternal, the
 * bytes to the upload URL, files.completeUploadExternal into the thread), shared with a short summary. The
 * export is never lost: when Slack refuses the upload (no `files:write` scope on an app installed before it
 * was added, uploads disabled, any failure) the timeline is posted as thread messages, as before, and the
 * clicker is told how to get the file.
 *
 * Once per state of the run within a few minutes: a lease keyed on the run's version and event count, kept
 * until it runs out, so a redelivered task or a double click does not post the same timeline twice; once
 * the run changes, or the lease has run out, Export posts it again.
 */
import { takeLease } from '../../../store/lease';
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import type { RunEvent, RunState } from '../../../workflows/run-state';
import { displayName } from '../../people';
import { renderTimeline, timelineMessages } from '../../render/checklist-timeline';
import { renderTimelineExport } from '../../render/checklist-timeline-file';
import { escapeMrkdwn } from '../../render/escape';
import { mentionedUsers } from '../../render/plain-text';
import { replyTo } from '../../reply';
import type { ChecklistRuntime } from './runtime';

/** Longer than an export takes (a few Slack calls); a stopped export is redone after it. */
const EXPORT_LEASE_MS = 5 * 60_000;

export const EXPORTED_AS_FILE = ':page_facing_up: The timeline is in the run’s thread, as a file.';
export const ALREADY_EXPORTED =
  ':page_facing_up: The timeline of this run as it stands was posted in the run’s thread a few minutes ago, and nothing has happened since; it was not posted again.';

export async function exportTimeline(
  rt: ChecklistRuntime,
  state: RunState,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const store = await rt.deps.getStore();
  const events = await store.listEvents(state.runId);
  const key = `timeline-export:${state.runId}:${state.version}:${events.length}`;
  // Failed → release: nothing reached the thread, so the next click may try at once. Done → kept until it
  // runs out: a redelivery or a double click posts nothing more, an Export minutes later a fresh copy.
  const lease = await takeLease(store, key, EXPORT_LEASE_MS, rt.deps.now(), ctx.key);
  if (!lease) {
    await replyTo(rt.deps, reply, { text: ALREADY_EXPORTED });
    return;
  }
  const problem = await lease.run(() => share(rt, state, events), 'release');
  await replyTo(rt.deps, reply, {
    text: problem === null ? EXPORTED_AS_FILE : `:page_facing_up: ${problem}`,
  });
}

/** Upload the files into the run's thread, else post the timeline as messages; what went wrong, or null. */
async function share(rt: ChecklistRuntime, state: RunState, events: RunEvent[]): Promise<string | null> {
  const names = await displayNames(rt, [
    state.startedBy,
    ...events.map((e) => e.user),
    // People the bot's notes and refusal reasons mention: names there too.
    ...events.flatMap((e) => [...mentionedUsers(e.text ?? ''), ...mentionedUsers(e.reason ?? '')]),
  ]);
  const thread = state.messageTs ? { thread_ts: state.messageTs } : {};
  const exported = renderTimelineExport({ state, events, names });
  try {
    await rt.slack.filesUploadV2({
      channel_id: state.channel,
      ...thread,
      blocks: exported.summary.blocks,
      file_uploads: exported.files.map((f) => ({
        content: f.content,
        filename: f.filename,
        title: f.title,
        snippet_type: f.snippetType,
      })),
    });
    return null;
  } catch (error) {
    rt.deps.logger.warn('timeline upload failed; posting it as messages', {
      run: state.runId,
      code: slackCode(error) ?? (error instanceof Error ? error.name : 'unknown'),
    });
    // Today's export, so nothing is lost: the same timeline as thread messages.
    for (const message of timelineMessages(renderTimeline({ state, events, names }), state.title)) {
      await rt.slack.chat.postMessage({ channel: state.channel, ...thread, ...message });
    }
    return uploadProblem(error);
  }
}

/** What the clicker reads when the file could not be uploaded: where the timeline went, and the fix. */
export function uploadProblem(error: unknown): string {
  const code = slackCode(error);
  const posted = 'The timeline is in the run’s thread as messages: the bot could not upload it as a file';
  if (code === 'missing_scope' || code === 'no_permission' || code === 'not_allowed_token_type')
    return `${posted} (Slack answered \`${code}\`: the app lacks the \`files:write\` scope). To get the file, an admin adds \`files:write\` to the app's bot scopes (manifest.yml has it), then reinstalls the app to the workspace.`;
  if (code?.startsWith('file_upload') || code === 'file_uploads_disabled')
    return `${posted} (Slack answered \`${escapeMrkdwn(code)}\`: this workspace restricts file uploads).`;
  return `${posted} (${code ? `Slack answered \`${escapeMrkdwn(code)}\`` : 'the upload failed'}). Try Export again later for the file.`;
}

function slackCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code.slice(0, 80) : undefined;
}

/** Looked up per export at most; the rest show as IDs (a run with more people is rare, and a hostile note cheap). */
const MAX_NAMES = 60;

/** Everyone the timeline names, by name where `users.info` gives one (people.ts; else the timeline shows the ID). */
async function displayNames(rt: ChecklistRuntime, ids: (string | null)[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))].slice(0, MAX_NAMES);
  const names = await Promise.all(unique.map((id) => displayName(rt.deps, rt.slack, id)));
  return Object.fromEntries(unique.flatMap((id, i) => (names[i] ? [[id, names[i]]] : [])));
}
