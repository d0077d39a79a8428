/**
 * Structured JSON logging, one line per entry, with secrets scrubbed. Slack tokens and signing material
 * never reach a log line: values of secret-looking keys are replaced and token shapes in any string are
 * masked, so a careless `logger.error('…', { error })` cannot leak one.
 */
import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { LogLevelName } from '../config';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export type LogSink = (line: string) => void;

const ORDER: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const TOKEN_SHAPES = /\b(xox[abposr]|xapp|xoxe(?:\.xox[bp])?)-[\w.-]+/g;
const SECRET_KEYS = /token|secret|signature|password|authorization|cookie/i;

export function redact(text: string): string {
  return text.replace(TOKEN_SHAPES, (_m, kind: string) => `${kind}-[redacted]`);
}

/** JSON-safe copy of `value` with secrets masked and errors reduced to name/message (no stack in Slack). */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redact(value.message),
      ...(code !== undefined ? { code } : {}),
      stack: value.stack ? redact(value.stack).split('\n').slice(0, 8).join('\n') : undefined,
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrub(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEYS.test(k) && v !== undefined && v !== null && v !== '' ? '[redacted]' : scrub(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(opts: { level?: LogLevelName; sink?: LogSink; now?: () => Date } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const sink = opts.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  const write = (level: LogLevelName, msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const entry = {
      level,
      time: now().toISOString(),
      msg: redact(msg),
      ...(scrub(fields ?? {}) as LogFields),
    };
    sink(JSON.stringify(entry));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** A logger that keeps entries in memory: for tests that assert on what was logged. */
export function createMemoryLogger(): Logger & {
  entries: Array<{ level: LogLevelName; msg: string } & LogFields>;
} {
  const entries: Array<{ level: LogLevelName; msg: string } & LogFields> = [];
  const logger = createLogger({ level: 'debug', sink: (line) => entries.push(JSON.parse(line)) });
  return Object.assign(logger, { entries });
}

/** Bolt's logger interface over ours, so Bolt's own messages are structured and scrubbed too. */
export function toBoltLogger(logger: Logger, level: LogLevelName = 'info'): BoltLogger {
  // Never Bolt's debug lines, whatever LOG_LEVEL says: its receivers log each request whole at debug (the
  // body's verification token, the signature header, response_url) before checking its signature, in
  // shapes the scrubber cannot know. Our own debug lines still follow LOG_LEVEL.
  const floor = (l: LogLevelName): LogLevelName => (ORDER[l] < ORDER.info ? 'info' : l);
  let current = floor(level);
  let name = 'bolt';
  const join = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(scrub(p)))).join(' ');
  const at =
    (lvl: LogLevelName) =>
    (...msg: unknown[]) => {
      if (ORDER[lvl] >= ORDER[current]) logger[lvl](join(msg), { source: name });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l: LogLevel) => {
      current = floor(l as LogLevelName);
    },
    getLevel: () => current as LogLevel,
    setName: (n: string) => {
      name = n;
    },
  };
}
