/**
 * The App Home tab: published for a person when they open it (`app_home_opened`, deferred and leased on the
 * event's id, so Slack's retries never publish twice), and again when something they could sign opens or
 * closes (./invites.ts reports who). Everything shown is read from the store: the watched runs (the run
 * index of src/store/store.ts) for what waits and what is in progress, the recent runs, and each run itself
 * for its state; an index entry whose run is gone or no longer watched is dropped from the index.
 */
import type { RunIndexEntry } from '../../../store/store';
import { awaitingSignatures, invitedOnRun } from '../../../workflows/invites';
import { findRequest } from '../../../workflows/requests';
import type { RunState } from '../../../workflows/run-state';
import { isWatched } from '../../../workflows/stakeholders';
import { type HomeData, type HomeWaiting, homeRun, renderHome } from '../../render/home';
import { liveActionFor } from '../aws-steps/requests';
import type { ChecklistRuntime } from '../checklists/runtime';
import { permalinkOf } from './invites';

export const HOME_TASK = 'reach.home';
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Runs read for one Home tab at most (watched and recent together). */
const MAX_RUNS = 60;
const RECENT = 8;

export interface HomeTask {
  user: string;
  /** The workspace of the event (Slack's signed envelope): only its runs are shown. */
  team: string | null;
}

export function asHomeTask(payload: unknown): HomeTask | null {
  const p = payload as Partial<HomeTask> | null;
  if (!p || typeof p.user !== 'string' || !USER_ID.test(p.user)) return null;
  const team = typeof p.team === 'string' && /^[TE][A-Z0-9]{2,}$/.test(p.team) ? p.team : null;
  return { user: p.user, team };
}

/** A run of this workspace (or one stored before runs recorded theirs). */
const sameTeam = (entry: Pick<RunIndexEntry, 'team'>, team: string | null) =>
  entry.team === team || entry.team === null;

export async function homeData(rt: ChecklistRuntime, user: string, team: string | null): Promise<HomeData> {
  const deps = rt.deps;
  const store = await deps.getStore();
  // This workspace's own list, and the shared one for runs indexed before runs were listed by workspace.
  const [watched, recent, ours] = await Promise.all([
    store.listWatchedRuns(),
    store.listRecentRuns(RECENT * 3),
    team ? store.listRecentRuns(RECENT, team) : Promise.resolve([]),
  ]);
  const wanted = [...watched.filter((e) => sameTeam(e, team)).slice(-MAX_RUNS)];
  const recentEntries = [
    ...new Map([...ours, ...recent.filter((e) => sameTeam(e, team))].map((e) => [e.runId, e])).values(),
  ]
    .sort((a, b) => b.runId.localeCompare(a.runId))
    .slice(0, RECENT);
  const ids = [...new Set([...wanted, ...recentEntries].map((e) => e.runId))].slice(0, MAX_RUNS);
  const states = new Map<string, RunState>();
  await Promise.all(
    ids.map(async (id) => {
      const state = (await store.getRun(id))?.state;
      if (state) states.set(id, state);
    }),
  );
  // Self-healing: an entry whose run is gone or ended (and owes nothing) leaves the watch list.
  for (const e of wanted) {
    const state = states.get(e.runId);
    if (!state || !isWatched(state)) await store.unwatchRun(e.runId).catch(() => undefined);
  }
  const roles = await rt.rolesOf(user);
  const active = wanted.map((e) => states.get(e.runId)).filter((s): s is RunState => s?.status === 'active');
  const waiting: HomeWaiting[] = [];
  for (const run of active) {
    for (const awaiting of awaitingSignatures(run)) {
      if (awaiting.excluded.includes(user) || !awaiting.roles.some((r) => roles.includes(r))) continue;
      const request = awaiting.requestId ? findRequest(run, awaiting.requestId) : null;
      const action = request ? liveActionFor(request.kind) : undefined;
      waiting.push({
        run,
        awaiting,
        invited: invitedOnRun(run, user),
        permalink: await permalinkOf(rt, run),
        ...(request
          ? {
              request: {
                what: action?.label(request.kind) ?? request.kind,
                verb: action?.verb(request.kind) ?? 'change',
              },
            }
          : {}),
      });
    }
  }
  const mine = await Promise.all(
    active.filter((r) => r.startedBy === user).map(async (r) => homeRun(r, await permalinkOf(rt, r))),
  );
  return {
    user,
    roles,
    waiting,
    mine,
    recent: recentEntries
      .map((e) => states.get(e.runId))
      .filter((s): s is RunState => !!s)
      .map((s) => homeRun(s)),
    checklists: deps.artifact.checklists,
    runbooks: deps.artifact.runbooks,
    repoUrl: deps.config.repoUrl,
    command: deps.config.slashCommand,
    now: deps.now().toISOString(),
  };
}

export async function publishHome(rt: ChecklistRuntime, user: string, team: string | null): Promise<void> {
  if (!USER_ID.test(user)) return;
  const view = renderHome(await homeData(rt, user, team));
  await rt.slack.views.publish({ user_id: user, view });
}

/** Refresh the Home tabs of people a change concerns; a failure only leaves a tab behind until it is opened. */
export async function refreshHomes(
  rt: ChecklistRuntime,
  users: Iterable<string>,
  team: string | null,
): Promise<void> {
  for (const user of new Set(users)) {
    await publishHome(rt, user, team).catch((error: unknown) =>
      rt.deps.logger.warn('home tab not refreshed', { user, error }),
    );
  }
}
