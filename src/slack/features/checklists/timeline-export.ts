/**
 * Export (the run's Export button), after the click was authorized (./clicks.ts): the timeline goes to the
 * run's thread as files, through Slack's upload flow (`files.uploadV2`: files.getUploadURLExternal, the
 * bytes to the upload URL, files.completeUploadExternal into the thread), shared with a short summary. The
 * export is never lost: when Slack refuses the upload (no `files:write` scope on an app installed before it
 * was added, uploads disabled, any failure) the timeline is posted as thread messages, as before, and the
 * clicker is told how to get the file.
 *
 * Once per state of the run: a lease keyed on the run's version and event count, so a redelivered task or
 * a double click does not post the same timeline twice; once the run changes, Export posts the new one.
 */
import type { CommandContext } from '../../../workflows/checklist';
import type { ReplyTarget } from '../../../workflows/deferred-task';
import type { RunState } from '../../../workflows/run-state';
import { renderTimeline, timelineMessages } from '../../render/checklist-timeline';
import { renderTimelineExport } from '../../render/checklist-timeline-file';
import { escapeMrkdwn } from '../../render/escape';
import { replyTo } from '../../reply';
import type { ChecklistRuntime } from './runtime';

/** Longer than an export takes (a few Slack calls); a stopped export is redone after it. */
const EXPORT_LEASE_MS = 5 * 60_000;

export const EXPORTED_AS_FILE = ':page_facing_up: The timeline is in the run’s thread, as a file.';
export const ALREADY_EXPORTED =
  ':page_facing_up: The timeline of this run as it stands is already in the run’s thread (posted just now); nothing has happened since.';

export async function exportTimeline(
  rt: ChecklistRuntime,
  state: RunState,
  ctx: CommandContext,
  reply: ReplyTarget,
): Promise<void> {
  const store = await rt.deps.getStore();
  const events = await store.listEvents(state.runId);
  const key = `timeline-export:${state.runId}:${state.version}:${events.length}`;
  const holder = `${ctx.key}:${Math.random().toString(36).slice(2, 10)}`;
  const now = rt.deps.now().getTime();
  if (!(await store.acquireLease(key, holder, now + EXPORT_LEASE_MS, now))) {
    await replyTo(rt.deps, reply, { text: ALREADY_EXPORTED });
    return;
  }
  try {
    const names = await displayNames(rt, [state.startedBy, ...events.map((e) => e.user)]);
    const thread = state.messageTs ? { thread_ts: state.messageTs } : {};
    const exported = renderTimelineExport({ state, events, names });
    let problem: string | null = null;
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
    } catch (error) {
      problem = uploadProblem(error);
      rt.deps.logger.warn('timeline upload failed; posting it as messages', {
        run: state.runId,
        code: slackCode(error) ?? (error instanceof Error ? error.name : 'unknown'),
      });
    }
    if (problem !== null) {
      // Today's export, so nothing is lost: the same timeline as thread messages.
      for (const message of timelineMessages(renderTimeline({ state, events, names }), state.title)) {
        await rt.slack.chat.postMessage({ channel: state.channel, ...thread, ...message });
      }
    }
    await store.completeLease(key, holder).catch((error: unknown) => {
      rt.deps.logger.warn('timeline export lease not completed', { run: state.runId, error });
    });
    await replyTo(rt.deps, reply, {
      text: problem === null ? EXPORTED_AS_FILE : `:page_facing_up: ${problem}`,
    });
  } catch (error) {
    await store.releaseLease(key, holder).catch(() => undefined);
    throw error;
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

/** Real names for the exported timeline; an ID whose lookup fails stays an ID. */
async function displayNames(rt: ChecklistRuntime, ids: (string | null)[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  const out: Record<string, string> = {};
  await Promise.all(
    unique.map(async (id) => {
      try {
        const res = await rt.slack.users.info({ user: id });
        const name = res.user?.profile?.display_name || res.user?.real_name || res.user?.name;
        if (name) out[id] = name;
      } catch {
        // users:read missing or the user is gone: the timeline shows the ID.
      }
    }),
  );
  return out;
}
