/**
 * Warm acknowledgement latency over loopback HTTP: the time from sending a signed request until its HTTP
 * 200, the ack Slack waits 3 s for. Our app runs as `npm start` runs it (src/entry/http.ts `startHttp`:
 * Bolt's HTTP receiver, the embedded dynalite store, the fake Slack as SLACK_API_URL); the floor is a bare
 * Bolt "hello" app (bench/baseline/hello-http.ts). Both run in a child process (bench/ack-server.ts): in
 * this one, the client would wait for whatever the app does after the ack, which Slack does not.
 *
 * Kinds: `/runbook token expired` (search), a checklist "Done" click, an "Approve" click on a gate, and the
 * baseline's hello command. Requests are sequential and interleaved (one of each kind per round); after
 * each, the benchmark waits, untimed, until the app has finished the work behind the ack and checks that it
 * did the right thing, so no request is measured while another is still being processed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { FakeMessage, FakeSlack } from '../src/local/slack-web-api';
import type { Artifact, Checklist, GateItem } from '../src/runbooks/model/model';
import { ActionIds } from '../src/slack/action-ids';
import { decodeItemValue } from '../src/slack/render/checklist';
import { computeSlackSignature } from '../src/slack/signing';
import { slashCommandFields, TEST_TEAM } from '../test/helpers/slack-payloads';
import type { AckServerConfig } from './ack-server';
import { ackStorm, type StormRow } from './ack-storm';
import { BENCH_QUERY, BENCH_SECRET, checkAnswer } from './fixtures';
import type { ServerStats } from './server-trace';
import { percentile, round } from './stats';

// The workspace of the slash commands (test/helpers/slack-payloads.ts): a run is bound to it, so its clicks
// must come from it too.
const TEAM = TEST_TEAM;
/** Starts every run, so never approves (separation of duties); the steps are clicked by another user. */
const STARTER = 'U0BSTARTER';
const OPERATOR = 'U0BOPERATOR';
const SERVER = resolve(__dirname, 'ack-server.ts');

export type AckKind = 'search' | 'done' | 'approve' | 'baseline';
export const ACK_KINDS: readonly AckKind[] = ['search', 'done', 'approve', 'baseline'];

export interface LatencyStats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface AckResult {
  kinds: Record<AckKind, LatencyStats>;
  /** The checklist the clicks were made on. */
  checklist: string;
  runsStarted: number;
  /** Warnings the app logged (an error fails the benchmark). */
  warnings: string[];
  /** Search and hello only: until the answer reached the user (ack body, or response_url for hello). */
  answered: { search: LatencyStats; baseline: LatencyStats };
  /** Search acks at load, paced and back to back, concurrency 1 and 16 (bench/ack-storm.ts). */
  storm: StormRow[];
}

/** One Slack user per approver role, so every role of every gate has someone to sign. */
export function approverUsers(roles: readonly string[]): Record<string, string> {
  return Object.fromEntries(roles.map((role, i) => [role, `U0BAPPR${i + 1}`]));
}

export function approversYaml(users: Record<string, string>): string {
  return `roles:\n${Object.entries(users)
    .map(([role, user]) => `  ${role}: [${user}]`)
    .join('\n')}\n`;
}

/** One user per role of every gate of the artifact's checklists. */
export function gateApprovers(artifact: Pick<Artifact, 'checklists'>): Record<string, string> {
  const roles = artifact.checklists.flatMap((c) =>
    c.items.flatMap((i) => (i.type === 'gate' ? i.roles : [])),
  );
  return approverUsers([...new Set(roles)]);
}

/**
 * What a bench's bundles and apps read, written into `dir`: the artifact as JSON and an approvers file with
 * a user for every gate role (`approvers`).
 */
export function writeBenchInputs(
  dir: string,
  artifact: Artifact,
  approversName = 'approvers.yaml',
): { artifactPath: string; approversFile: string; approvers: Record<string, string> } {
  const artifactPath = join(dir, 'artifact.json');
  writeFileSync(artifactPath, JSON.stringify(artifact));
  const approvers = gateApprovers(artifact);
  const approversFile = join(dir, approversName);
  writeFileSync(approversFile, approversYaml(approvers));
  return { artifactPath, approversFile, approvers };
}

/**
 * The checklist to click through: one with a gate whose steps need no AWS (no step extensions), so a click
 * measures the checklist itself. `promote-dev-sit` when the runbooks have it.
 */
export function pickChecklist(checklists: readonly Checklist[]): Checklist {
  const plain = checklists.filter(
    (c) =>
      c.items.some((i) => i.type === 'gate') &&
      c.items.every(
        (i) =>
          i.type === 'gate' || !['evidence', 'action', 'notify', 'monitor'].some((d) => d in i.directives),
      ),
  );
  const chosen = plain.find((c) => c.id === 'promote-dev-sit') ?? plain[0];
  if (!chosen) throw new Error('no checklist with an approval gate and no AWS steps in the runbooks');
  return chosen;
}

export async function waitFor<T>(
  what: string,
  predicate: () => T | undefined | null | false,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * The bench client's connections: kept alive, as many as requests in flight. Plain `node:http` rather than
 * `fetch`: at concurrency 16 the client shares the machine with the apps, and fetch's web streams cost about
 * as much CPU per request as the bare Bolt app itself (bench/README.md, "The warm c16 tail").
 */
const agent = new Agent({ keepAlive: true });

/** Posts a signed body; returns the ms until the HTTP answer is complete, and its status. */
export function timedPost(url: string, body: string): Promise<{ ms: number; status: number; text: string }> {
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': computeSlackSignature(BENCH_SECRET, ts, body),
  };
  const start = performance.now();
  return new Promise((resolvePost, reject) => {
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolvePost({
          ms: performance.now() - start,
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

let triggerSeq = 0;
/** Warm-up: every code path compiled and optimised before anything counts; each app's first answer checked. */
export async function warmUp(
  apps: readonly { name: string; url: string; kind: 'ours' | 'baseline' }[],
  body: string,
  rounds: number,
): Promise<void> {
  for (const app of apps)
    for (let i = 0; i < rounds; i++) {
      const res = await timedPost(app.url, body);
      if (i === 0) checkAnswer(app.kind, JSON.parse(res.text) as Record<string, unknown>, app.name);
    }
}

export function commandBody(text: string, user: string, channel: string, responseUrl: string): string {
  return new URLSearchParams(slashCommandFields({ text, user, channel, responseUrl })).toString();
}

function clickBody(message: FakeMessage, element: Element, user: string, responseUrl: string): string {
  triggerSeq++;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'bench', name: 'bench', team_id: TEAM },
    api_app_id: 'A0BENCH',
    token: 'legacy',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: `${triggerSeq}.${Date.now()}.bench`,
    team: { id: TEAM, domain: 'bench' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'bench' },
    message: { type: 'message', ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [] },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: element.action_id,
        block_id: element.block_id ?? 'b',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: element.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

interface Element {
  action_id: string;
  block_id?: string;
  value?: string;
}

/** Interactive elements of a message, in order (actions blocks and section accessories). */
function elementsOf(message: FakeMessage): Element[] {
  const out: Element[] = [];
  for (const block of (message.blocks ?? []) as {
    block_id?: string;
    elements?: unknown[];
    accessory?: unknown;
  }[]) {
    for (const e of [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])]) {
      const el = e as Partial<Element>;
      if (typeof el.action_id === 'string')
        out.push({ action_id: el.action_id, block_id: block.block_id, value: el.value });
    }
  }
  return out;
}

/** One checklist run the benchmark clicks through, in its own channel. */
interface Run {
  runId: string;
  channel: string;
  ts: string;
  /** Approvals made so far, per gate. */
  signed: Map<string, number>;
}

/** The app server process: its URLs, a count of finished checklist interactions, what it logged. */
export interface AppServer {
  ours: string;
  hello: string;
  helloAck: string;
  handled(): number;
  logs: string[];
  /** With `trace`: what the server saw since the last call (bench/server-trace.ts). */
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export async function startServer(
  config: AckServerConfig,
  /** Node flags for the server process, e.g. `--trace-gc`. */
  execArgv: readonly string[] = [],
): Promise<AppServer> {
  const child: ChildProcess = spawn(process.execPath, [...execArgv, '--import', 'tsx', SERVER], {
    // From the repository root, where `--import tsx` resolves.
    cwd: resolve(__dirname, '..'),
    env: { ...process.env, BENCH_ACK: JSON.stringify(config), NODE_NO_WARNINGS: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let handled = 0;
  const logs: string[] = [];
  const statsWaiting: Array<(s: ServerStats) => void> = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<{ ours: string; hello: string; helloAck: string }>((resolveReady, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: {
        ready?: { ours: string; hello: string; helloAck: string };
        handled?: number;
        log?: string;
        stats?: ServerStats;
      };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        logs.push(line);
        return;
      }
      if (msg.stats) statsWaiting.shift()?.(msg.stats);
      if (msg.ready) resolveReady(msg.ready);
      if (msg.handled !== undefined) handled = msg.handled;
      if (msg.log) logs.push(msg.log);
    });
    void exited.then((code) =>
      reject(new Error(`app server exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  const urls = await ready;
  return {
    ...urls,
    handled: () => handled,
    logs,
    stats: () =>
      new Promise<ServerStats>((resolveStats) => {
        statsWaiting.push(resolveStats);
        child.stdin?.write('stats\n');
      }),
    stop: async () => {
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function ackLatency(opts: {
  fake: FakeSlack;
  artifactPath: string;
  approversFile: string;
  roleUsers: Record<string, string>;
  checklist: Checklist;
  requests: number;
  warmup: number;
  /** Requests per app and setting in the load test (bench/ack-storm.ts). */
  stormRequests: number;
}): Promise<AckResult> {
  const { fake, checklist, roleUsers } = opts;
  const server = await startServer({
    apiUrl: fake.apiUrl,
    artifactPath: opts.artifactPath,
    approversFile: opts.approversFile,
  });
  const gates = new Map(
    checklist.items.filter((i): i is GateItem => i.type === 'gate').map((g) => [g.id, g] as const),
  );
  const command = checklist.commands[0];
  if (!command) throw new Error(`checklist ${checklist.id} has no command`);

  const times: Record<AckKind, number[]> = { search: [], done: [], approve: [], baseline: [] };
  const answered: Record<'search' | 'baseline', number[]> = { search: [], baseline: [] };
  const runs: Run[] = [];
  let channelSeq = 0;
  let recording = false;

  const currentMessage = (run: Run) =>
    fake.messages.find((m) => m.channel === run.channel && m.ts === run.ts && !m.deleted);
  const thread = (run: Run) =>
    fake.messages.filter((m) => m.channel === run.channel && m.thread_ts === run.ts);

  const expectOk = (kind: string, res: { status: number; text: string }) => {
    if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
  };

  /** A timed slash command; waits (untimed) for its answer at response_url and checks it. */
  const slash = async (kind: 'search' | 'baseline', url: string) => {
    const responseUrl = fake.responseUrl({ channel: 'C0BENCH', user: 'U0BENCH' });
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    let answeredAt = 0;
    const onResponse = (post: { id: string }) => {
      if (post.id === id) answeredAt = performance.now();
    };
    fake.on('response', onResponse);
    try {
      const start = performance.now();
      const res = await timedPost(url, commandBody(BENCH_QUERY, 'U0BENCH', 'C0BENCH', responseUrl));
      expectOk(`${kind} /runbook ${BENCH_QUERY}`, res);
      if (kind === 'search') {
        // Ours answers in the ack body: the answer is there when the ack is, and nothing goes to response_url.
        checkAnswer('ours', JSON.parse(res.text) as Record<string, unknown>, 'warm search, ack body');
        if (fake.responses.some((r) => r.id === id)) throw new Error('warm search: posted to response_url');
        if (recording) answered.search.push(res.ms);
        return res.ms;
      }
      const answer = await waitFor(`the ${kind} answer`, () => fake.responses.find((r) => r.id === id));
      checkAnswer('baseline', answer.body, `warm ${kind}`);
      if (recording) answered[kind].push(answeredAt - start);
      return res.ms;
    } finally {
      fake.off('response', onResponse);
    }
  };

  /** Starts a run in a fresh channel (untimed) and returns it once its message is posted. */
  const startRun = async (): Promise<Run> => {
    const channel = `C0BRUN${++channelSeq}`;
    const before = server.handled();
    const responseUrl = fake.responseUrl({ channel, user: STARTER });
    const res = await timedPost(server.ours, commandBody(command, STARTER, channel, responseUrl));
    expectOk(`/runbook ${command}`, res);
    await waitFor(`the run started in ${channel}`, () => server.handled() > before);
    const message = fake.messages.find(
      (m) => m.channel === channel && m.via === 'chat.postMessage' && !m.thread_ts,
    );
    const done = message && elementsOf(message).find((e) => e.action_id === ActionIds.checklistDone);
    const runId = decodeItemValue(done?.value)?.runId;
    if (!message || !runId) throw new Error(`no checklist message with a Done button in ${channel}`);
    const run: Run = { runId, channel, ts: message.ts, signed: new Map() };
    runs.push(run);
    return run;
  };

  const findClickIn = (run: Run, actionId: string) => {
    const message = currentMessage(run);
    const element = message && elementsOf(message).find((e) => e.action_id === actionId);
    return message && element ? { run, message, element } : undefined;
  };

  /** The first `actionId` button on any open run, and who clicks it (Approve: the next role's approver). */
  const findClick = (actionId: string) => {
    for (const run of runs) {
      const found = findClickIn(run, actionId);
      if (!found) continue;
      if (actionId === ActionIds.checklistDone) return { ...found, user: OPERATOR };
      const gateId = decodeItemValue(found.element.value)?.itemId ?? '';
      const role = gates.get(gateId)?.roles[run.signed.get(gateId) ?? 0];
      const user = role ? roleUsers[role] : undefined;
      if (!user) throw new Error(`no approver left for gate "${gateId}"`);
      return { ...found, user };
    }
    return undefined;
  };

  /** One timed click; checks (untimed) that the run's thread records it and nobody was refused. */
  const performClick = async (
    kind: 'done' | 'approve',
    target: { run: Run; message: FakeMessage; element: Element; user: string },
  ): Promise<number> => {
    const { run, message, element, user } = target;
    const itemId = decodeItemValue(element.value)?.itemId ?? '';
    const threadBefore = thread(run).length;
    const before = server.handled();
    const responseUrl = fake.responseUrl({ channel: run.channel, user, messageTs: message.ts });
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    const res = await timedPost(server.ours, clickBody(message, element, user, responseUrl));
    expectOk(`${kind} click`, res);
    await waitFor(`the ${kind} click on ${itemId}`, () => server.handled() > before);
    const said = thread(run)
      .slice(threadBefore)
      .map((m) => m.text ?? '')
      .join('\n');
    const want = kind === 'done' ? `<@${user}> marked` : `<@${user}> approved`;
    const refused = fake.responses.filter((r) => r.id === id).map((r) => String(r.body.text));
    if (!said.includes(want) || refused.length > 0)
      throw new Error(
        `${kind} click on ${itemId}: the thread lacks "${want}" (${said}) ${refused.join(' ')}`,
      );
    if (kind === 'approve') run.signed.set(itemId, (run.signed.get(itemId) ?? 0) + 1);
    return res.ms;
  };

  /**
   * Steps run out: when no open run has the button, start a run; an Approve button appears once the steps
   * before its gate are done, so those are clicked first (untimed, not recorded).
   */
  const click = async (kind: 'done' | 'approve'): Promise<number> => {
    const actionId = kind === 'done' ? ActionIds.checklistDone : ActionIds.checklistApprove;
    let target = findClick(actionId);
    for (let guard = 0; !target && guard < 50; guard++) {
      const newest = runs[runs.length - 1];
      const step = newest && kind === 'approve' ? findClickIn(newest, ActionIds.checklistDone) : undefined;
      if (step) await performClick('done', { ...step, user: OPERATOR });
      else await startRun();
      target = findClick(actionId);
    }
    if (!target) throw new Error(`no ${kind} button appeared on a fresh run of ${checklist.id}`);
    return performClick(kind, target);
  };

  const measure: Record<AckKind, () => Promise<number>> = {
    search: () => slash('search', server.ours),
    done: () => click('done'),
    approve: () => click('approve'),
    baseline: () => slash('baseline', server.hello),
  };

  let storm: StormRow[] = [];
  try {
    for (let i = 0; i < opts.warmup + opts.requests; i++) {
      recording = i >= opts.warmup;
      // Rotate the order, so no kind always follows the same other kind.
      for (let k = 0; k < ACK_KINDS.length; k++) {
        const kind = ACK_KINDS[(i + k) % ACK_KINDS.length]!;
        const ms = await measure[kind]();
        if (recording) times[kind].push(ms);
      }
    }
    storm = await ackStorm(server, fake, { requests: opts.stormRequests });
  } finally {
    await server.stop();
  }
  const errors = server.logs.filter((w) => !w.includes('"level":"warn"'));
  if (errors.length > 0) throw new Error(`the app logged errors:\n${errors.slice(0, 3).join('\n')}`);
  const stats = (values: number[]): LatencyStats => ({
    n: values.length,
    p50: round(percentile(values, 50), 2),
    p99: round(percentile(values, 99), 2),
    max: round(Math.max(...values), 2),
  });
  return {
    kinds: {
      search: stats(times.search),
      done: stats(times.done),
      approve: stats(times.approve),
      baseline: stats(times.baseline),
    },
    answered: { search: stats(answered.search), baseline: stats(answered.baseline) },
    storm,
    checklist: checklist.id,
    runsStarted: runs.length,
    warnings: server.logs,
  };
}
