/**
 * What the app server process sees of a warm load (bench/ack-server.ts with `trace`), so a client-side p99
 * can be taken apart: per app, the time from a request's headers to its response's last byte (Node's
 * `http.server.request.start` / `http.server.response.finish` diagnostics channels, so no app code is
 * touched); GC pauses by kind (scavenge, mark-compact, ...); the event loop's delay; the process's CPU; the
 * heap. `take()` returns what was seen since the last call and starts over.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { constants, monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

export interface ServerStats {
  /** Per app: every request's server time, ms, in the order they finished. */
  serverMs: Record<string, number[]>;
  /** GC pauses, ms, by kind. */
  gc: Record<string, { n: number; totalMs: number; maxMs: number }>;
  /** Event-loop delay (ms): max and p99 of the sampled histogram. */
  loopDelay: { maxMs: number; p99Ms: number };
  /** Process CPU (user + system) and wall time, ms. */
  cpuMs: number;
  wallMs: number;
  heapUsedMiB: number;
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

/** `apps`: the app's name by the port its server listens on. */
export function startServerTrace(apps: ReadonlyMap<number, string>): { take(): ServerStats } {
  const started = new WeakMap<IncomingMessage, number>();
  let serverMs: Record<string, number[]> = {};
  let gc: ServerStats['gc'] = {};
  subscribe('http.server.request.start', (message) => {
    started.set((message as { request: IncomingMessage }).request, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, server } = message as {
      request: IncomingMessage;
      response: ServerResponse;
      server: Server;
    };
    const at = started.get(request);
    const address = server.address();
    const app = address && typeof address === 'object' ? apps.get(address.port) : undefined;
    if (at === undefined || !app) return;
    const list = serverMs[app] ?? [];
    serverMs[app] = list;
    list.push(performance.now() - at);
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other';
      const k = gc[kind] ?? { n: 0, totalMs: 0, maxMs: 0 };
      gc[kind] = k;
      k.n++;
      k.totalMs += entry.duration;
      k.maxMs = Math.max(k.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return {
    take: () => {
      const used = process.cpuUsage(cpu);
      const now = performance.now();
      const stats: ServerStats = {
        serverMs,
        gc,
        loopDelay: { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 },
        cpuMs: (used.user + used.system) / 1000,
        wallMs: now - wall,
        heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
      };
      serverMs = {};
      gc = {};
      loop.reset();
      cpu = process.cpuUsage();
      wall = now;
      return stats;
    },
  };
}
