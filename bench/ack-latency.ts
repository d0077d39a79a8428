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
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { startHttp } from '../src/entry/http';
import type { FakeMessage, FakeSlack } from '../src/local/slack-web-api';
import type { Checklist, GateItem } from '../src/runbooks/model';
import { ActionIds } from '../src/slack/action-ids';
import { createLogger, type Logger } from '../src/slack/logger';
import { decodeItemValue } from '../src/slack/render/checklist';
import { computeSlackSignature } from '../src/slack/signing';
import type { Store } from '../src/store/store';
import { startHelloHttp } from './baseline/hello-http';
import { COLD_EXPECT, COLD_QUERY } from './cold-start';
import { percentile, round } from './stats';

const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-token';
const TEAM = 'T0BENCH';
/** Starts every run, so never approves (separation of duties); the steps are clicked by another user. */
const STARTER = 'U0BSTARTER';
const OPERATOR = 'U0BOPERATOR';
const HANDLED = 'checklist interaction handled';

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
  /** Warnings and errors the app logged (an error fails the benchmark). */
  warnings: string[];
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

/**
 * The checklist to click through: one with a gate whose steps need no AWS (no step extensions), so a click
 * measures the checklist itself. `promote-dev-sit` when the runbooks have it.
 */
export function pickChecklist(checklists: readonly Checklist[]): Checklist {
  const plain = checklists.filter(
    (c) =>
      c.items.some((i) => i.type === 'gate') &&
      c.items.every(
        (i) => i.type === 'gate' || !['evidence', 'action', 'notify', 'monitor'].some((d) => d in i.directives),
      ),
  );
  const chosen = plain.find((c) => c.id === 'promote-dev-sit') ?? plain[0];
  if (!chosen) throw new Error('no checklist with an approval gate and no AWS steps in the runbooks');
  return chosen;
}

/** A logger that counts finished checklist interactions and keeps warnings, printing nothing. */
function benchLogger(): { logger: Logger; handled(): number; warnings: string[] } {
  const warnings: string[] = [];
  let handled = 0;
  const base = createLogger({ level: 'warn', sink: (line) => warnings.push(line) });
  return {
    logger: {
      ...base,
      debug: (msg) => {
        if (msg === HANDLED) handled++;
      },
    },
    handled: () => handled,
    warnings,
  };
}

async function waitFor<T>(what: string, predicate: () => T | undefined | null | false, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Posts a signed body; returns the ms until the HTTP answer is complete, and its status. */
async function timedPost(url: string, body: string): Promise<{ ms: number; status: number; text: string }> {
  const ts = Math.floor(Date.now() / 1000);
  const start = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSlackSignature(SECRET, ts, body),
    },
    body,
  });
  const text = await res.text();
  return { ms: performance.now() - start, status: res.status, text };
}

let triggerSeq = 0;
function commandBody(text: string, user: string, channel: string, responseUrl: string): string {
  triggerSeq++;
  return new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'bench',
    channel_id: channel,
    channel_name: 'bench',
    user_id: user,
    user_name: 'bench',
    command: '/runbook',
    text,
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${triggerSeq}.${Date.now()}.bench`,
  }).toString();
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
  for (const block of (message.blocks ?? []) as { block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
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

