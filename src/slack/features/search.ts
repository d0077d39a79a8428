/**
 * `/runbook <words>`: the best section's first screen, ephemeral (render/answer.ts), its parts opened in
 * place, Share (the compact card, in the channel), Other matches, Helpful / Not this; `/runbook list`.
 * What people found useful, rejected or chose instead is recorded for runbook authors (`runbook report`).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Section } from '../../runbooks/model/model';
import { sectionLookup } from '../../runbooks/model/split';
import type { FeedbackRecord } from '../../store/store';
import { ActionIds, answerPartPattern, openSectionPattern } from '../action-ids';
import { isoFromActionTs } from '../click-time';
import type { AppDeps } from '../deps';
import type { CommandContext, Feature } from '../feature';
import { postOnce } from '../post-once';
import { type AnswerRef, decodeAnswerRef, feedbackQuery, renderAnswer } from '../render/answer';
import { renderNoMatch, renderNotThis, renderSectionGone } from '../render/no-match';
import { MAX_OTHER_MATCHES } from '../render/section';
import { trustLines } from '../render/trust';
import { searchableText } from '../router';

/** The trust line of an answer: the runbook's owner and review, the build, a warning when stale. */
export function answerTrust(deps: AppDeps, s: Section): readonly string[] {
  const runbook = deps.artifact.runbooks.find((r) => r.file === s.file);
  const now = deps.now();
  // The lines change only with the day (the review's age is counted in whole days from midnight UTC):
  // made once per runbook and day, not per answer.
  const day = Math.floor(now.getTime() / DAY_MS);
  const key = `${day}\n${deps.artifact.commit ?? ''}\n${deps.config.staleAfterDays}`;
  const memo = runbook ? trustMemo.get(runbook) : undefined;
  if (memo?.key === key) return memo.lines;
  // Frozen: every answer of the runbook that day shares it.
  const lines = Object.freeze(
    trustLines({
      runbook,
      commit: deps.artifact.commit,
      staleAfterDays: deps.config.staleAfterDays,
      now,
    }),
  );
  if (runbook) trustMemo.set(runbook, { key, lines });
  return lines;
}

const DAY_MS = 86_400_000;
const trustMemo = new WeakMap<object, { key: string; lines: readonly string[] }>();

/** What is read of a query before searching: enough for a pasted log line (the search reduces it). */
export const MAX_QUERY_CHARS = 2000;

export async function answerQuery(ctx: CommandContext): Promise<void> {
  const { deps, respond } = ctx;
  const query = ctx.args;
  // Echoed and recorded as typed; searched without Slack's mentions (router.ts searchableText).
  const searched = searchableText(query).slice(0, MAX_QUERY_CHARS);
  await deps.search.prepare?.(searched);
  const outcome = deps.search.search(searched, { limit: MAX_OTHER_MATCHES + 1 });
  const [best, ...rest] = outcome.results;
  const command = deps.config.slashCommand;
  if (!best || !outcome.confident) {
    await respond({
      response_type: 'ephemeral',
      ...renderNoMatch({
        query,
        suggestions: [...outcome.results.map((r) => r.section), ...outcome.suggestions],
        command,
      }),
    });
    await record(deps, {
      id: `no-match-${ctx.command.trigger_id || `${ctx.command.user_id}-${deps.now().getTime()}`}`,
      kind: 'no-match',
      query,
      sectionId: null,
      shownId: null,
      user: ctx.command.user_id,
    });
    return;
  }
  await respond({
    response_type: 'ephemeral',
    ...answer(deps, { section: best.section, view: 'summary', query, others: rest.map((r) => r.section) }),
  });
}

function answer(
  deps: AppDeps,
  input: { section: Section; view: AnswerRef['view']; query?: string; others?: Section[]; sharedBy?: string },
) {
  return renderAnswer({
    ...input,
    artifact: deps.artifact,
    repoUrl: deps.config.repoUrl,
    command: deps.config.slashCommand,
    trust: answerTrust(deps, input.section),
  });
}

/**
 * Feedback goes to the store after the reply: a failure is logged, never shown, never retried. A click's
 * record is dated by the click (`at`, its action_ts), so the same click delivered twice has the same key.
 */
async function record(deps: AppDeps, r: Omit<FeedbackRecord, 'at'>, at?: string): Promise<void> {
  const write = (async () => {
    const store = await deps.getStore();
    await store.recordFeedback({
      ...r,
      at: at ?? deps.now().toISOString(),
      // As the answer's buttons carry it: the section opened after a no-match is recorded with the same.
      query: feedbackQuery(r.query),
    });
  })().catch((error: unknown) => {
    deps.logger.warn('feedback not recorded', { kind: r.kind, error });
  });
  // On Lambda the answer (the ack's body) leaves when the listener returns: a slow store (or opening it on a
  // cold start) must not hold it past Slack's 3 s. The write goes on meanwhile; feedback is never retried.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    write,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, FEEDBACK_WAIT_MS))),
  ]);
  clearTimeout(timer);
}

/** How long an answer waits for its feedback record before it leaves (`record`). */
const FEEDBACK_WAIT_MS = 500;

function findSection(deps: AppDeps, id: string): Section | undefined {
  return sectionLookup(deps.artifact.sections).get(id);
}

/** A button's answer reference; older messages carried the section id alone (`id\nid…`). */
function readRef(value: string | undefined): AnswerRef {
  const ref = decodeAnswerRef(value ?? '');
  if (ref) return ref;
  const [id = '', ...others] = (value ?? '').split('\n');
  return { view: 'summary', id, query: '', others };
}

/** When the click happened (its action_ts, within reach of now): the feedback record's date. */
function clickAt(deps: AppDeps, action: ButtonAction): string {
  return isoFromActionTs(action.action_ts, deps.now());
}

/** The same click delivered twice by Slack has the same action_ts: one record. */
function actionKey(body: BlockAction, action: ButtonAction): string {
  return `${body.user.id}-${action.action_ts}`;
}

function register(app: App, deps: AppDeps): void {
  const { slashCommand: command } = deps.config;
  const gone = () => ({
    response_type: 'ephemeral' as const,
    replace_original: false,
    ...renderSectionGone(command),
  });
  const sections = (ids: string[]) => ids.map((id) => findSection(deps, id)).filter((x): x is Section => !!x);

  // Summary, Diagnosis, Fix, Verify, Escalate, Show all: the same answer, another part, in place.
  app.action<BlockAction<ButtonAction>>(answerPartPattern, async ({ ack, action, respond }) => {
    await ack();
    const ref = readRef(action.value);
    const s = findSection(deps, ref.id);
    if (!s) return void (await respond(gone()));
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...answer(deps, { section: s, view: ref.view, query: ref.query, others: sections(ref.others) }),
    });
  });

  app.action<BlockAction<ButtonAction>>(ActionIds.shareSection, async ({ ack, action, body, respond }) => {
    await ack();
    const ref = readRef(action.value);
    const s = findSection(deps, ref.id);
    if (!s) return void (await respond(gone()));
    // In the channel, for everyone: the same click delivered twice posts once, after the ack (post-once.ts).
    await postOnce(
      deps,
      { key: `share:${actionKey(body, action)}`, what: 'share', responseUrl: body.response_url },
      answer(deps, { section: s, view: ref.view === 'all' ? 'summary' : ref.view, sharedBy: body.user.id }),
    );
  });

  // Other matches (and "Did you mean"): that section in place of the answer; people's choice is recorded.
  app.action<BlockAction<ButtonAction>>(openSectionPattern, async ({ ack, action, body, respond }) => {
    await ack();
    const ref = readRef(action.value);
    const s = findSection(deps, ref.id);
    if (!s) return void (await respond(gone()));
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...answer(deps, { section: s, view: 'summary', query: ref.query, others: sections(ref.others) }),
    });
    if (ref.query) {
      const shown = ref.others[0] && findSection(deps, ref.others[0]) ? ref.others[0] : null;
      await record(
        deps,
        {
          id: `chose-${actionKey(body, action)}`,
          kind: 'chose-other',
          query: ref.query,
          sectionId: s.id,
          shownId: shown && shown !== s.id ? shown : null,
          user: body.user.id,
        },
        clickAt(deps, action),
      );
    }
  });

  app.action<BlockAction<ButtonAction>>(ActionIds.feedbackHelpful, async ({ ack, action, body, respond }) => {
    await ack();
    const ref = readRef(action.value);
    if (!findSection(deps, ref.id)) return void (await respond(gone()));
    await record(
      deps,
      {
        id: `helpful-${actionKey(body, action)}`,
        kind: 'helpful',
        query: ref.query,
        sectionId: ref.id,
        shownId: ref.id,
        user: body.user.id,
      },
      clickAt(deps, action),
    );
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: ':white_check_mark: Thanks: noted that this section answered it. It helps the runbook authors.',
    });
  });

  app.action<BlockAction<ButtonAction>>(ActionIds.feedbackNotThis, async ({ ack, action, body, respond }) => {
    await ack();
    const ref = readRef(action.value);
    const s = findSection(deps, ref.id);
    if (!s) return void (await respond(gone()));
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      ...renderNotThis({ query: ref.query, shown: s, suggestions: sections(ref.others), command }),
    });
    await record(
      deps,
      {
        id: `not-this-${actionKey(body, action)}`,
        kind: 'not-this',
        query: ref.query,
        sectionId: ref.id,
        shownId: ref.id,
        user: body.user.id,
      },
      clickAt(deps, action),
    );
  });

  // Link buttons still send an interaction; acknowledge it so Slack shows no error.
  app.action(ActionIds.viewSource, async ({ ack }) => {
    await ack();
  });
}

export const searchFeature: Feature = {
  id: 'search',
  subcommands: [
    {
      names: ['list', 'ls', 'runbooks'],
      usage: 'list [runbook]',
      answersInAck: true,
      summary: 'The runbooks and their sections, grouped.',
      run: async ({ args, respond, deps }) => {
        // Not on the search path: loaded on first use, like the lazy features (features/index.ts).
        const { renderList } = await import('../render/list.js');
        await respond({
          response_type: 'ephemeral',
          ...renderList({
            artifact: deps.artifact,
            repoUrl: deps.config.repoUrl,
            command: deps.config.slashCommand,
            filter: args,
          }),
        });
      },
    },
  ],
  register,
};
