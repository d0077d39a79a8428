/** The machine the numbers came from: printed next to every table, since they mean nothing without it. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  memGiB: number;
  /** 1, 5 and 15 minute load averages, when the benchmark started and when it ended. */
  loadAtStart: number[];
  loadAtEnd?: number[];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memGiB: Math.round(totalmem() / 2 ** 30),
    loadAtStart: load(),
  };
}

export function finishMachine(m: Machine): Machine {
  return { ...m, loadAtEnd: load() };
}

export function machineLine(m: Machine): string {
  const end = m.loadAtEnd ? `, at end ${m.loadAtEnd.join(' / ')}` : '';
  return `${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node} (${m.platform}); load average (1/5/15 min) at start ${m.loadAtStart.join(' / ')}${end}`;
}
