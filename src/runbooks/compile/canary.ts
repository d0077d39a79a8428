/**
 * Canary abort criteria: the table people read in PROMOTION.md's monitoring period IS the data. A directive
 * right before it,
 *
 *     <!-- bot: canary-criteria=prod-canary region=af-south-1 alias=live function-name="sitecraft-prod-{function}" -->
 *     | Signal | Function | Where it comes from | Abort when … | Minimum canary sample |
 *
 * turns each row into a criterion: the source cell into something the bot can read (Logs Insights, Lambda
 * metrics per `ExecutedVersion`, alarms) or "not measured by the bot", the abort cell into a rule, the
 * minimum into a number (docs/runbook-format.md, "Canary criteria"). A cell the grammar does not know fails
 * the build: a threshold the bot cannot read must not silently become no threshold.
 */
import type { Tokens } from 'marked';
import type { AbortRule, CanaryCriteria, CanaryCriterion, CanarySource } from '../model/model';
import { findDirectiveComments } from './directives';
import { RunbookCompileError } from './errors';
import { cellText, type LinedToken } from './markdown';
import { type ParsedSection, walkBlocks } from './sections';

export const CANARY_DIRECTIVE = 'canary-criteria';

const COLUMNS = ['signal', 'function', 'where it comes from', 'abort when', 'minimum canary sample'] as const;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Every `canary-criteria=` table of one file. */
export function compileCanaryCriteria(file: string, sections: ParsedSection[]): CanaryCriteria[] {
  const out: CanaryCriteria[] = [];
  for (const ps of sections) {
    let pending: { directives: Record<string, string>; line: number } | null = null;
    walkBlocks(ps.body, (lt) => {
      const t = lt.token;
      if (t.type === 'space') return true;
      if (pending) {
        if (t.type !== 'table')
          throw new RunbookCompileError(
            file,
            pending.line,
            `${CANARY_DIRECTIVE} must stand right before its table`,
          );
        out.push(criteriaOf(file, ps, pending.directives, lt));
        pending = null;
        return true;
      }
      if (t.type === 'html') {
        const found = findDirectiveComments(t.raw).find((c) => c.directives[CANARY_DIRECTIVE] !== undefined);
        if (found) pending = { directives: found.directives, line: lt.line };
      }
      return true;
    });
    if (pending)
      throw new RunbookCompileError(
        file,
        (pending as { line: number }).line,
        `${CANARY_DIRECTIVE} has no table after it`,
      );
  }
  return out;
}

function criteriaOf(
  file: string,
  ps: ParsedSection,
  d: Record<string, string>,
  lt: LinedToken,
): CanaryCriteria {
  const table = lt.token as Tokens.Table;
  const fail = (line: number, reason: string) => new RunbookCompileError(file, line, reason);
  const id = d[CANARY_DIRECTIVE] ?? '';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id))
    throw fail(lt.line, `${CANARY_DIRECTIVE} needs an id (a slug), got "${id}"`);
  const region = d['region'] ?? '';
  if (!REGION.test(region)) throw fail(lt.line, `${CANARY_DIRECTIVE}=${id} needs region=<AWS region>`);
  const alias = d['alias'] ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(alias))
    throw fail(lt.line, `${CANARY_DIRECTIVE}=${id} needs alias=<Lambda alias>`);
  const functionName = d['function-name'] ?? '';
  if (!functionName.includes('{function}'))
    throw fail(
      lt.line,
      `${CANARY_DIRECTIVE}=${id} needs function-name="…{function}…" (how a Function cell names a function)`,
    );

  const header = table.header.map((c) => cellText(c).toLowerCase());
  const col: Record<string, number> = {};
  for (const name of COLUMNS) {
    const k = header.findIndex((h) => h.startsWith(name));
    if (k < 0) throw fail(lt.line, `${CANARY_DIRECTIVE}=${id}: the table needs a "${name}" column`);
    col[name] = k;
  }
  const rows = table.rows.map((row, k): CanaryCriterion => {
    const line = lt.line + 2 + k;
    const raw = (name: string) => (row[col[name]!]?.text ?? '').trim();
    const plain = (name: string) => (row[col[name]!] ? cellText(row[col[name]!]!) : '');
    const source = sourceOf(raw('where it comes from'));
    const abortText = plain('abort when');
    const abort = abortOf(abortText);
    if (!abort && source.kind !== 'unmeasured')
      throw fail(
        line,
        `canary criterion "${plain('signal')}": the bot cannot read "${abortText}" (docs/runbook-format.md, "Canary criteria")`,
      );
    if (abort && source.kind !== 'unmeasured' && !fits(source, abort))
      throw fail(
        line,
        `canary criterion "${plain('signal')}": "${abortText}" does not apply to what "${plain('where it comes from')}" measures`,
      );
    const fn = functionOf(raw('function'));
    if ((source.kind === 'lambda-errors' || source.kind === 'lambda-duration') && fn === 'all')
      throw fail(line, `canary criterion "${plain('signal')}": Lambda metrics need one function, not "all"`);
    const minimum = minimumOf(plain('minimum canary sample'));
    if (!minimum)
      throw fail(
        line,
        `canary criterion "${plain('signal')}": the minimum sample must be "none" or "<number> <unit>", got "${plain('minimum canary sample')}"`,
      );
    return {
      signal: plain('signal'),
      function: fn,
      sourceText: plain('where it comes from'),
      abortText,
      minimumText: plain('minimum canary sample'),
      source,
      abort,
      minSample: minimum.n,
      sampleUnit: minimum.unit,
      line,
    };
  });
  if (rows.length === 0) throw fail(lt.line, `${CANARY_DIRECTIVE}=${id}: the table has no rows`);
  return { id, sectionId: ps.section.id, line: lt.line, region, alias, functionName, rows };
}

/**
 * The "Where it comes from" cell (Markdown, backticks kept) → what to read. A log group is named with the
 * characters CloudWatch Logs allows (letters, digits, `_ - / . #`): never a `*`, which the IAM scope written
 * from it would read as every log group of the region.
 */
export function sourceOf(raw: string): CanarySource {
  const text = raw.replace(/\s+/g, ' ').trim();
  let m = /^Logs Insights on `([\w./#-]+)`: `(\w+)` lines by `(\w+)` class, per version$/.exec(text);
  if (m) return { kind: 'logs-status-class', logGroup: m[1]!, event: m[2]!, field: m[3]! };
  m =
    /^Logs Insights on `([\w./#-]+)`: `(\w+)` lines by `(\w+)`, per version; errors are `(\w+) = "([^"]+)"`$/.exec(
      text,
    );
  if (m && m[3] === m[4])
    return { kind: 'logs-outcome', logGroup: m[1]!, event: m[2]!, field: m[3]!, errorValue: m[5]! };
  m = /^Logs Insights on `([\w./#-]+)`: `(\w+) = "([^"]+)"`$/.exec(text);
  if (m) return { kind: 'logs-count', logGroup: m[1]!, field: m[2]!, value: m[3]! };
  m = /^`AWS\/Lambda` `Duration` p(\d{1,2}(?:\.\d+)?), dimension `ExecutedVersion`$/.exec(text);
  if (m) return { kind: 'lambda-duration', percentile: Number(m[1]) };
  if (/^`AWS\/Lambda` `Errors`( and `Invocations`)?, dimension `ExecutedVersion`$/.test(text))
    return { kind: 'lambda-errors' };
  m = /^`([^`]+)` alarms in ([a-z]{2}(?:-gov)?-[a-z]+-\d)$/.exec(text);
  if (m) return { kind: 'alarms', prefix: m[1]!, region: m[2]! };
  return { kind: 'unmeasured' };
}

/** The "Abort when" cell (plain text) → the rule; a parenthesis is a remark for people. Null: not understood. */
export function abortOf(text: string): AbortRule | null {
  const t = text
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/(\d),(\d{3})\b/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  const num = '(\\d+(?:\\.\\d+)?)';
  let m = new RegExp(
    `^(?:5xx |error )?rate above ${num}%(?:,? (and|or) more than ${num} points? above the previous version)?$`,
  ).exec(t);
  if (m)
    return {
      kind: 'rate',
      above: Number(m[1]) / 100,
      pointsAbovePrevious: m[3] === undefined ? null : Number(m[3]),
      join: m[2] === 'and' ? 'and' : 'or',
    };
  m = new RegExp(`^more than ${num}% above the previous version(?:, from minute (\\d+))?$`).exec(t);
  if (m)
    return { kind: 'ratio', percent: Number(m[1]), fromMinute: m[2] === undefined ? null : Number(m[2]) };
  m = new RegExp(`^above ${num} ms$`).exec(t);
  if (m) return { kind: 'above-ms', ms: Number(m[1]) };
  if (/^any(?: error| alarm in alarm)?$/.test(t)) return { kind: 'any' };
  return null;
}

function fits(source: CanarySource, abort: AbortRule): boolean {
  switch (abort.kind) {
    case 'rate':
      return ['logs-status-class', 'logs-outcome', 'lambda-errors'].includes(source.kind);
    case 'ratio':
    case 'above-ms':
      return source.kind === 'lambda-duration';
    case 'any':
      return ['lambda-errors', 'logs-count', 'alarms'].includes(source.kind);
  }
}

/** `` `api` ``, `` `pretoken` (seen by `api`) `` → the first name; `all` → all. */
function functionOf(raw: string): string {
  const code = /`([A-Za-z0-9_-]+)`/.exec(raw);
  if (code) return code[1]!;
  return raw.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

function minimumOf(text: string): { n: number; unit: string } | null {
  const t = text.trim().toLowerCase();
  if (t === 'none') return { n: 0, unit: '' };
  const m = /^(\d[\d,]*) ([a-z]+)$/.exec(t);
  return m ? { n: Number(m[1]!.replace(/,/g, '')), unit: m[2]! } : null;
}
