/**
 * A pasted log line, reduced to what can match a runbook: exception names, error codes, status codes and
 * the message's words. Timestamps, request ids, UUIDs, ARNs' account numbers, hex, URLs' paths, file paths,
 * durations and JSON punctuation are dropped first, so that they neither crowd out the informative words
 * (a query keeps its first words only) nor count as words the runbooks lack. Regular expressions only:
 * cheap on the request path, and harmless for a query someone typed.
 */

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g;
const CLOCK = /\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g;
const SYSLOG_DATE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ARN = /\barn:aws[\w-]*:([\w-]+):[\w-]*:\d*:([^\s"',]+)/g;
const URL = /\bhttps?:\/\/([^/\s"'<>]+)([^\s"'<>]*)/g;
const PATH = /(?:^|[\s"'=(:])((?:\/[\w.@%+-]+){2,})\/?/g;
/** An API's route without its host (`/v1/health/deep`): its words say what was called, as a URL's path does. */
const API_ROUTE = /^\/v\d+\//;
const HEX = /\b(?:0x)?(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
/**
 * `8412.33 ms`, `1024 MB`, `300.00 seconds`: log measurements. Not `504s` (HTTP statuses, plural), `20%` (a
 * threshold) or `15 minutes` (a person's words).
 */
const DURATION =
  /\b(?:\d+\.\d+\s?(?:ms|s|sec|secs|seconds|min|mins|minutes|mb|gb|kb|kib|mib|gib|b)|\d+\s?(?:ms|mb|gb|kb|kib|mib|gib))(?![\w])/gi;
const DECIMAL = /(?<![\w.])\d+\.\d+(?![\w.])/g;
/**
 * Lambda's `Task timed out after 300.00 seconds` states the function's configured timeout, which tells the
 * functions apart (the runbooks write it `300 s`): kept, as the runbooks write it.
 */
const LAMBDA_TIMEOUT = /\bTask timed out after (\d+)\.\d+ seconds\b/g;
/**
 * A package's version as npm, pip or a lock file prints it (`react@18.3.1`, `@aws-sdk/client-s3@^3.600.0`,
 * `1.4.2`, `v20.11.1`): the package's name is what the runbooks may know, its version never is.
 */
const VERSION = /(?:@[\^~>=<]*|(?<![\w.])v?)\d+(?:\.\d+){2,}(?:-[\w.]+)?(?![\w.])/g;
/** Ids with letters and digits mixed (`8TQ4YJ2K`, `Kq9ZkhN2DoEE`), but not region codes or versions. */
const MIXED_ID = /(?<![\w-])(?=[A-Za-z0-9+/=_]*\d)(?=[A-Za-z0-9+/=_]*[A-Za-z])[A-Za-z0-9+/=_]{8,}(?![\w-])/g;
/** Field names of structured logs: the values matter, not the keys. */
const FIELD =
  /["']?\b(?:errorType|errorMessage|message|msg|level|severity|requestId|request_id|RequestId|RequestID|timestamp|time|ts|trace|stack|stackTrace|logger|hostname|pid|duration|status|statusCode|StatusCode|code|type|name|event|data|detail|details|reason|cause|x-amzn-requestid|x-amzn-errortype|apigw-requestid|x-amz-cf-id)\b["']?\s*[:=]/g;

export function reduceLogLine(text: string): string {
  // \u2502 is a box-drawing │ (table output), escaped: see query.ts tokenize.
  if (!/[\d:/{}=[\]\u2502|]/.test(text)) return text; // plain words: nothing to reduce
  return text
    .replace(ANSI, ' ')
    .replace(ARN, (_, service: string, resource: string) => ` ${service} ${resource.replace(/[:/]/g, ' ')} `)
    .replace(URL, (_, host: string, path: string) => ` ${hostWords(host)} ${urlWords(path)} `)
    .replace(
      PATH,
      (_, path: string) => ` ${API_ROUTE.test(path) ? urlWords(path) : (path.split('/').pop() ?? '')} `,
    )
    .replace(ISO_TIME, ' ')
    .replace(SYSLOG_DATE, ' ')
    .replace(CLOCK, ' ')
    .replace(UUID, ' ')
    .replace(LAMBDA_TIMEOUT, 'Task timed out after $1 s')
    .replace(DURATION, ' ')
    .replace(HEX, ' ')
    .replace(VERSION, ' ')
    .replace(DECIMAL, ' ')
    .replace(MIXED_ID, (id) => (isCodeLike(id) ? id : ' '))
    .replace(FIELD, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A URL's host without its top-level domain (`api.sitecraft.example` → `api.sitecraft`,
 * `…execute-api.af-south-1.amazonaws.com` → `…execute-api.af-south-1.amazonaws`): `com`, `net` or `example`
 * says nothing of what was called, and `example` is a word the runbooks use.
 */
function hostWords(host: string): string {
  const labels = host.replace(/:\d+$/, '').split('.');
  return (labels.length > 1 ? labels.slice(0, -1) : labels).join('.');
}

/** A URL's path words that are not ids (`/v1/generations/g-7f3a/stream` → `v1 generations stream`). */
function urlWords(path: string): string {
  return path
    .split(/[/?&=#]/)
    .filter((p) => /^[A-Za-z][A-Za-z-]{1,24}$/.test(p))
    .join(' ');
}

/** Error codes that mix letters and digits on purpose: `ERR_HTTP2_PROTOCOL_ERROR`, `EC2ThrottledException`. */
function isCodeLike(token: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(token) || /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z]*$/.test(token);
}

/**
 * Plain words that output prints in capitals as a state (`"Status": "FAILED"`, `SUCCEEDED`, `PENDING`):
 * English, not an error's name (`ERESOLVE`, `UPDATE_ROLLBACK_FAILED` are names).
 */
const STATUS_WORDS = new Set([
  'FAILED',
  'FAILURE',
  'ERRORS',
  'SUCCESS',
  'SUCCEEDED',
  'WARNING',
  'PENDING',
  'ACTIVE',
  'RUNNING',
  'STOPPED',
  'DELETED',
  'CREATED',
  'UPDATED',
  'ENABLED',
  'DISABLED',
  'DENIED',
  'INVALID',
  'UNKNOWN',
  'EXPIRED',
  'CANCELLED',
  'CANCELED',
  'TIMEOUT',
  'HEALTHY',
  'UNHEALTHY',
]);

/**
 * Informative tokens of a pasted line, lower-cased as the tokenizer makes them: exception and error names
 * (`ThrottlingException`, `Runtime.OutOfMemory`), upper-case codes (`ERESOLVE`, `TENANT_MISMATCH`,
 * `E401`), so they are searched first when a long line has more words than a query keeps. Lower-cased
 * token → as written (its case says where its words split).
 */
export function informativeTokens(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/[A-Za-z][\w.]*/g)) {
    const t = m[0].replace(/\.+$/, '');
    const camel = /[a-z][A-Z]/.test(t) && /^[A-Z]/.test(t);
    // Upper-case codes are long or joined (`ERESOLVE`, `TENANT_MISMATCH`); short ones are acronyms (`JWT`).
    const code =
      /^[A-Z][A-Z0-9_]{2,}$/.test(t) && (t.includes('_') || (t.length >= 6 && !STATUS_WORDS.has(t)));
    const npmCode = /^E[A-Z]*\d{3}$/.test(t);
    if (camel || code || npmCode) out.set(t.toLowerCase(), t);
  }
  return out;
}

/**
 * Identifiers of code and configuration (`aws_lambda_function.api`, `stop_reason`): text with one is
 * output or code someone pasted, though the identifier itself is no error name.
 */
export const IDENTIFIER = /(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])/;

/** `ProvisionedThroughputExceededException` → `provisioned throughput exceeded` (its suffix says nothing). */
export function camelWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[._]/g, ' ')
    .toLowerCase()
    .replace(/\b(exception|error|fault)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
