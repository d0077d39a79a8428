/**
 * Export (the run's Export button), after the click was authorized (./clicks.ts): the timeline goes to the
 * run's thread as files, through Slack's upload flow (../../upload.ts: files.getUploadURLExternal, the bytes
 * to the upload URL, files.completeUploadExternal into the thread), shared with a short summary. The export
 * is never lost: when Slack refuses the upload (no `files:write` scope on an app installed before it was
 * added, uploads disabled, any failure before the share) the timeline is posted as thread messages, as
 * before, and the clicker is told how to get the file. Never twice either: when the share was sent but
 * Slack's answer was lost, the files may be in the thread, so nothing more is posted and the clicker is
 * told to press Export again if the file is missing (the bot has no `files:read` to look).
 *
 * Once per state of the run within a few minutes: a lease keyed on the run's version and event count, kept
 * until it runs out, so a redelivered task or a double click does not post the same timeline twice; once
 * the run changes, or the lease has run out, Export posts it again. Each click also runs once (a lease on
 * its key, completed): after an unconfirmed share the state's lease is given up for the next click, and
 * only that click's own redelivery is held back. */
import { type HeldLease, takeLease } from '../../../store/lease';
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import type { RunEvent, RunState } from '../../../workflows/run-state';
import { displayName } from '../../people';
import { renderTimeline, timelineMessages } from '../../render/checklist-timeline';
import { renderTimelineExport } from '../../render/checklist-timeline-file';
import { escapeMrkdwn } from '../../render/escape';
import { mentionedUsers } from '../../render/plain-text';
import { replyTo } from '../../reply';
import { slackErrorCode } from '../../slack-error';
import { uploadToThread } from '../../upload';
import type { ChecklistRuntime } from './runtime';

/** Longer than an export takes (a few Slack calls); a stopped export is redone after it. */
const EXPORT_LEASE_MS = 5 * 60_000;

export const EXPORTED_AS_FILE = ':page_facing_up: The timeline is in the run’s thread, as a file.';
export const ALREADY_EXPORTED =
  ':page_facing_up: The timeline of this run as it stands was posted in the run’s thread a few minutes ago, and nothing has happened since; it was not posted again.';

export const UPLOAD_UNCONFIRMED =
  'Slack did not confirm the upload of the timeline file, so the bot did not post the timeline again as messages: it is most likely in the run’s thread already. If it is not there in a minute, press Export again.';

export async function exportTimeline(
  rt: ChecklistRuntime,
  state: RunState,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const store = await rt.deps.getStore();
  const events = await store.listEvents(state.runId);
  const now = rt.deps.now();
  // This click, once: a redelivery never exports again, even when the state's lease was given up below.
  const click = await takeLease(store, `timeline-export-click:${ctx.key}`, EXPORT_LEASE_MS, now, ctx.key);
  const key = `timeline-export:${state.runId}:${state.version}:${events.length}`;
  // Failed → release: nothing reached the thread, so the next click may try at once. Done → kept until it
  // runs out: a redelivery or a double click posts nothing more, an Export minutes later a fresh copy.
  const lease = click ? await takeLease(store, key, EXPORT_LEASE_MS, now, ctx.key) : null;
  if (!click || !lease) {
    await click?.release();
    await replyTo(rt.deps, reply, { text: ALREADY_EXPORTED });
    return;
  }
  let outcome: Shared;
  try {
    outcome = await share(rt, state, events, key, now);
  } catch (error) {
    await Promise.all([lease.release(), click.release()]);
    throw error;
  }
  // Unconfirmed: the clicker is told to press Export again if the file is missing; that click must not be
  // answered "already posted". Its own redelivery still is (the click's lease, completed).
  if (outcome.kind === 'unconfirmed') await lease.release();
  await click.complete().catch((error: unknown) => {
    rt.deps.logger.warn('timeline export: click not marked done', { run: state.runId, error });
  });
  await replyTo(rt.deps, reply, {
    text:
      outcome.kind === 'file'
        ? EXPORTED_AS_FILE
        : `:page_facing_up: ${outcome.kind === 'unconfirmed' ? UPLOAD_UNCONFIRMED : outcome.problem}`,
  });
}

type Shared = { kind: 'file' } | { kind: 'messages'; problem: string } | { kind: 'unconfirmed' };

/** Upload the files into the run's thread, else post the timeline as messages, unless Slack may have them. */
async function share(
  rt: ChecklistRuntime,
  state: RunState,
  events: RunEvent[],
  /** The export's lease key (this run, version and timeline): its parts are posted under keys of their own. */
  key: string,
  now: Date,
): Promise<Shared> {
  const names = await displayNames(rt, [
    state.startedBy,
    ...events.map((e) => e.user),
    // People the bot's notes and refusal reasons mention: names there too.
    ...events.flatMap((e) => [...mentionedUsers(e.text ?? ''), ...mentionedUsers(e.reason ?? '')]),
  ]);
  const exported = renderTimelineExport({ state, events, names });
  const upload = await uploadToThread(rt.deps, rt.slack, {
    channel: state.channel,
    ...(state.messageTs ? { threadTs: state.messageTs } : {}),
    blocks: exported.summary.blocks,
    files: exported.files,
  });
  if (upload.kind === 'shared') return { kind: 'file' };
  const code = slackCode(upload.error) ?? (upload.error instanceof Error ? upload.error.name : 'unknown');
  if (upload.kind === 'unconfirmed') {
    // Posting the messages now could show the timeline twice; the file ids find it in Slack's logs.
    rt.deps.logger.warn('timeline upload not confirmed; not posted as messages', {
      run: state.runId,
      code,
      files: upload.fileIds,
    });
    return { kind: 'unconfirmed' };
  }
  rt.deps.logger.warn('timeline upload failed; posting it as messages', { run: state.runId, code });
  // Nothing was shared, so nothing is lost: the same timeline as thread messages.
  const thread = state.messageTs ? { thread_ts: state.messageTs } : {};
  // Each part under a lease of its own, held once posted: should Slack fail a later part, the next Export of
  // the same timeline posts only the parts missing, never the first ones twice. All posted: given back, so
  // an Export once the export's own lease has run out posts a fresh copy.
  const store = await rt.deps.getStore();
  const posted: HeldLease[] = [];
  const parts = timelineMessages(renderTimeline({ state, events, names }), state.title);
  for (const [i, message] of parts.entries()) {
    const part = await takeLease(store, `${key}:part:${i}`, EXPORT_LEASE_MS, now);
    if (!part) continue; // posted by an earlier Export of this timeline that stopped part way
    try {
      await rt.slack.chat.postMessage({ channel: state.channel, ...thread, ...message });
    } catch (error) {
      await part.release();
      throw error;
    }
    posted.push(part);
  }
  await Promise.all(posted.map((part) => part.release()));
  return { kind: 'messages', problem: uploadProblem(upload.error) };
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
  return slackErrorCode(error)?.slice(0, 80);
}

/** Looked up per export at most; the rest show as IDs (a run with more people is rare, and a hostile note cheap). */
const MAX_NAMES = 60;

/** Everyone the timeline names, by name where `users.info` gives one (people.ts; else the timeline shows the ID). */
async function displayNames(rt: ChecklistRuntime, ids: (string | null)[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))].slice(0, MAX_NAMES);
  const names = await Promise.all(unique.map((id) => displayName(rt.deps, rt.slack, id)));
  return Object.fromEntries(unique.flatMap((id, i) => (names[i] ? [[id, names[i]]] : [])));
}
