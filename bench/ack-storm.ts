/**
 * Warm acknowledgements of `/runbook token expired` at load: ours (answers in the ack body) against bare
 * Bolt answering in the ack body and bare Bolt acking empty then calling `respond()`, on the same app server
 * process (bench/ack-server.ts), each request signed. Two ways of sending, each at concurrency 1 and 16:
 *
 * - paced: a client sends its next request once the answer is there (in the ack body, or at response_url
 *   for `bare-respond`), so no request meets another's leftover work;
 * - back to back: a client sends its next request as soon as the previous one is acknowledged, so work an
 *   app does after its ack (respond()) competes with the next requests, as in a burst of slash commands.
 *
 * Apps alternate in blocks, in a rotating order; one untimed block per app warms each setting up. A round
 * is one block per app; each round's p99 is kept too (`rounds`), so a ratio can be quoted as the median and
 * range of the same-round ratios rather than from one pooled tail (a single GC pause or a descheduled
 * process on a shared machine moves a pooled p99 by several times). Every answer is checked (ack body or
 * response_url), and every `bare-respond` answer must have arrived before the setting's numbers count; an
 * ack body is checked after its block, so the client's parsing never delays the requests still in flight.
 */
import type { FakeSlack } from '../src/local/slack-web-api';
import { type AppServer, commandBody, type LatencyStats, timedPost, waitFor } from './ack-latency';
import { BENCH_QUERY, checkAnswer } from './fixtures';
import { percentile, round } from './stats';

export type StormApp = 'ours' | 'bare-ack' | 'bare-respond';
export const STORM_APPS: readonly StormApp[] = ['ours', 'bare-ack', 'bare-respond'];
export type StormMode = 'paced' | 'back-to-back';

export interface StormRow {
  mode: StormMode;
  concurrency: number;
  app: StormApp;
  stats: LatencyStats;
  /** Per round (one block of this app), p50 and p99 of its requests: rounds line up across apps. */
  rounds: Array<{ p50: number; p99: number }>;
}

export const stats = (values: number[]): LatencyStats => ({
  n: values.length,
  p50: round(percentile(values, 50), 2),
  p99: round(percentile(values, 99), 2),
  max: round(Math.max(...values), 2),
});

export async function ackStorm(
  server: AppServer,
  fake: FakeSlack,
  opts: { requests: number; concurrencies?: readonly number[]; rounds?: number },
): Promise<StormRow[]> {
  const rows: StormRow[] = [];
  const url: Record<StormApp, string> = {
    ours: server.ours,
    'bare-ack': server.helloAck,
    'bare-respond': server.hello,
  };
  let channel = 0;

  /** `count` requests to `app` from `concurrency` clients; returns each one's ack time. */
  const block = async (app: StormApp, mode: StormMode, count: number, concurrency: number) => {
    const times: number[] = [];
    const pending: string[] = [];
    const bodies: string[] = [];
    let left = count;
    const client = async () => {
      while (left > 0) {
        left--;
        const responseUrl = fake.responseUrl({ channel: `C0STORM${++channel}`, user: 'U0BENCH' });
        const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
        const res = await timedPost(url[app], commandBody(BENCH_QUERY, 'U0BENCH', 'C0BENCH', responseUrl));
        if (res.status !== 200) throw new Error(`storm ${app}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        times.push(res.ms);
        if (app === 'bare-respond') {
          if (mode === 'paced')
            checkAnswer(
              'baseline',
              (await waitFor(`${app} answer`, () => fake.responses.find((r) => r.id === id))).body,
              `storm ${app}`,
            );
          else pending.push(id);
        } else bodies.push(res.text);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    for (const text of bodies)
      checkAnswer(app === 'ours' ? 'ours' : 'baseline', JSON.parse(text), `storm ${app}, ack body`);
    // Back to back: the answers still come, just not before the next request.
    for (const id of pending)
      checkAnswer(
        'baseline',
        (await waitFor(`${app} answer`, () => fake.responses.find((r) => r.id === id))).body,
        `storm ${app}`,
      );
    return times;
  };

  for (const mode of ['paced', 'back-to-back'] as const) {
    for (const concurrency of opts.concurrencies ?? [1, 16]) {
      const roundCount = opts.rounds ?? 5;
      const size = Math.max(concurrency * 4, 20, Math.ceil(opts.requests / roundCount));
      for (const app of STORM_APPS) await block(app, mode, size, concurrency); // warm-up, untimed
      const times: Record<StormApp, number[]> = { ours: [], 'bare-ack': [], 'bare-respond': [] };
      const rounds: Record<StormApp, StormRow['rounds']> = { ours: [], 'bare-ack': [], 'bare-respond': [] };
      for (let round = 0; times.ours.length < opts.requests; round++) {
        for (let k = 0; k < STORM_APPS.length; k++) {
          const app = STORM_APPS[(round + k) % STORM_APPS.length]!;
          const one = await block(app, mode, size, concurrency);
          times[app].push(...one);
          const { p50, p99 } = stats(one);
          rounds[app].push({ p50, p99 });
        }
      }
      for (const app of STORM_APPS)
        rows.push({ mode, concurrency, app, stats: stats(times[app]), rounds: rounds[app] });
    }
  }
  return rows;
}
