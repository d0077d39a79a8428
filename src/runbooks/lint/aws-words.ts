/**
 * Finds the simple commands in a shell snippet (`aws ...`, `curl ...`) and expands them into the argv the
 * program would get: quotes removed, line continuations joined, `$VAR` / `${VAR:-default}` replaced by the
 * value the runbook assigned earlier (or a placeholder that fits the name), `$(...)` replaced by a
 * placeholder (and searched for commands itself), redirections dropped, heredoc bodies skipped, a
 * `timeout <duration>` prefix recorded and stepped over. Only as much shell as runbooks use: enough to
 * check the commands, not to run them.
 */
import { DEFAULT_PLACEHOLDER, PLACEHOLDERS, TIMESTAMP_PLACEHOLDER } from './rules';

export interface AwsInvocation {
  /** Arguments after `aws`. */
  argv: string[];
  /** Options whose value came from a variable or substitution (`--start-time "$START"`): values the CLI
   * may reject only because a placeholder stands in for them. */
  substituted: string[];
  /** 1-based line of `aws` within the snippet. */
  line: number;
}

/** One simple command of a snippet, for the practice rules (practices.ts). */
export interface ShellCommand {
  /** The program as written (`aws`, `curl`, `/usr/bin/aws`). */
  name: string;
  /** Arguments after the program, expanded as for AwsInvocation. */
  argv: string[];
  /** The same arguments as written, quotes and all (`"$APP_DISTRIBUTION_ID"`). */
  raw: string[];
  substituted: string[];
  /** 1-based line of the program's name within the snippet. */
  line: number;
  /** The command runs under `timeout <duration>`. */
  underTimeout: boolean;
}

/** Variables assigned so far in a runbook (`export NAME=value`), shared across its snippets in order. */
export type ShellVars = Map<string, string>;

interface Word {
  kind: 'word';
  value: string;
  raw: string;
  line: number;
  /** Holds a `$` expansion or command substitution. */
  expanded: boolean;
}
type Token = Word | { kind: 'op'; op: string; line: number };

const RESERVED = new Set([
  '!',
  'time',
  'then',
  'do',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '{',
  '}',
  'exec',
  'command',
]);
const DECLARE = new Set(['export', 'local', 'declare', 'readonly', 'typeset']);

export function placeholderFor(name: string): string {
  return PLACEHOLDERS.find((p) => p.name.test(name.toUpperCase()))?.value ?? DEFAULT_PLACEHOLDER;
}

export function extractAwsCommands(script: string, vars: ShellVars, firstLine = 1): AwsInvocation[] {
  return extractCommands(script, vars, firstLine)
    .filter((c) => isAws(c.name))
    .map(({ argv, substituted, line }) => ({ argv, substituted, line }));
}

export function isAws(program: string): boolean {
  return program === 'aws' || program.endsWith('/aws');
}

export function extractCommands(script: string, vars: ShellVars, firstLine = 1): ShellCommand[] {
  const found: ShellCommand[] = [];
  let command: Word[] = [];
  let skipNext = false;
  const flush = () => {
    interpret(command, vars, found);
    command = [];
  };
  // Lazily: a command's words are expanded only after the commands before it have set their variables.
  for (const t of new Lexer(blankHeredocs(script), vars, firstLine, found).tokens()) {
    if (skipNext)
      skipNext = false; // the redirection's target word
    else if (t.kind === 'op' && t.op === 'redir') skipNext = true;
    else if (t.kind === 'op') flush();
    else command.push(t);
  }
  flush();
  return found.sort((a, b) => a.line - b.line);
}

function interpret(words: Word[], vars: ShellVars, found: ShellCommand[]): void {
  let k = 0;
  for (; k < words.length; k++) {
    const w = words[k]!;
    const assignment = /^([A-Za-z_]\w*)=/.exec(w.raw);
    if (assignment) vars.set(assignment[1]!, w.value.slice(assignment[1]!.length + 1));
    else if (!RESERVED.has(w.value)) break;
  }
  const underTimeout = words[k]?.value === 'timeout';
  if (underTimeout) k = afterTimeout(words, k + 1);
  const head = words[k];
  if (!head) return;
  if (DECLARE.has(head.value)) {
    for (const w of words.slice(k + 1)) {
      const m = /^([A-Za-z_]\w*)=/.exec(w.raw);
      if (m) vars.set(m[1]!, w.value.slice(m[1]!.length + 1));
    }
  } else if (head.value === 'for' && words[k + 2]?.value === 'in' && words[k + 3]) {
    vars.set(words[k + 1]!.value, words[k + 3]!.value); // the loop's first value stands for all of them
  } else if (head.value !== 'for') {
    const args = words.slice(k + 1);
    const substituted = args.flatMap((w, i) => {
      if (!w.expanded) return [];
      const inline = /^(--[\w-]+)=/.exec(w.value);
      const before = args[i - 1]?.value ?? '';
      return inline ? [inline[1]!] : before.startsWith('--') ? [before] : [];
    });
    found.push({
      name: head.value,
      argv: args.map((w) => w.value),
      raw: args.map((w) => w.raw),
      substituted,
      line: head.line,
      underTimeout,
    });
  }
}

/** Index of the command word after `timeout [options] <duration>`. */
function afterTimeout(words: readonly Word[], k: number): number {
  while (k < words.length && words[k]!.value.startsWith('-')) {
    // `-s SIGNAL` and `-k DURATION` take a value; `--signal=X`, `--foreground`, `-v` do not.
    k += /^-[sk]$|^--(signal|kill-after)$/.test(words[k]!.value) ? 2 : 1;
  }
  return k + 1;
}

/** Heredoc bodies are data, not commands: blank them, keeping line numbers. */
function blankHeredocs(script: string): string {
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /<<(-?)\s*(['"]?)([A-Za-z_]\w*)\2/.exec(lines[i]!.replace(/'[^']*'/g, "''"));
    if (!m || /<<</.test(lines[i]!)) continue;
    const end = m[3]!;
    let j = i + 1;
    while (j < lines.length && (m[1] ? lines[j]!.replace(/^\t+/, '') : lines[j]) !== end) lines[j++] = '';
    i = j;
  }
  return lines.join('\n');
}

class Lexer {
  private i = 0;
  private line: number;
  /** Set by `expansion()` while a word is read. */
  private expanded = false;
  private readonly out: Token[] = [];

  constructor(
    private readonly s: string,
    private readonly vars: ShellVars,
    firstLine: number,
    private readonly found: ShellCommand[],
  ) {
    this.line = firstLine;
  }

  *tokens(): Generator<Token> {
    const { s } = this;
    while (this.i < s.length) {
      yield* this.out.splice(0);
      const c = s[this.i]!;
      const rest = s.slice(this.i);
      if (rest.startsWith('\\\n')) this.advance(2);
      else if (c === '\n') this.op('\n', 1);
      else if (c === ' ' || c === '\t') this.i++;
      else if (c === '#') while (this.i < s.length && s[this.i] !== '\n') this.i++;
      else if (/^(\d*(>>|>&|<<<|<<-|<<|<&|>\||<>|>|<)|&>>|&>)/.test(rest)) this.redirect(rest);
      else if (/^(\|\||&&|;;|\|&|[|&;()])/.test(rest)) this.op(/^(\|\||&&|;;|\|&|[|&;()])/.exec(rest)![0], 0);
      else this.word();
    }
    yield* this.out.splice(0);
  }

  private advance(n: number): void {
    for (let k = 0; k < n; k++) if (this.s[this.i + k] === '\n') this.line++;
    this.i += n;
  }

  private op(op: string, newlines: number): void {
    this.out.push({ kind: 'op', op, line: this.line });
    this.i += op.length;
    this.line += newlines;
  }

  private redirect(rest: string): void {
    const m = /^(\d*(>>|>&|<<<|<<-|<<|<&|>\||<>|>|<)|&>>|&>)(\d+|-)?/.exec(rest)!;
    this.i += m[0].length;
    // `2>&1` and `>&-` carry their target; anything else takes the next word.
    if (m[3] === undefined) this.out.push({ kind: 'op', op: 'redir', line: this.line });
  }

  private word(): void {
    const { s } = this;
    const line = this.line;
    const start = this.i;
    let value = '';
    this.expanded = false;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\' && s[this.i + 1] === '\n') this.advance(2);
      else if (c === '\\') {
        value += s[this.i + 1] ?? '';
        this.i += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        const stop = end < 0 ? s.length : end;
        value += s.slice(this.i + 1, stop);
        this.advance(stop + 1 - this.i);
      } else if (c === '"') value += this.doubleQuoted();
      else if (c === '$' || c === '`') value += this.expansion();
      else if (/[\s|&;()<>]/.test(c)) break;
      else {
        value += c;
        this.i++;
      }
    }
    this.out.push({ kind: 'word', value, raw: s.slice(start, this.i), line, expanded: this.expanded });
  }

  private doubleQuoted(): string {
    const { s } = this;
    let value = '';
    this.i++;
    while (this.i < s.length && s[this.i] !== '"') {
      const c = s[this.i]!;
      if (c === '\\' && /[$`"\\\n]/.test(s[this.i + 1] ?? '')) {
        if (s[this.i + 1] !== '\n') value += s[this.i + 1];
        this.advance(2);
      } else if (c === '$' || c === '`') value += this.expansion();
      else {
        value += c;
        this.advance(1);
      }
    }
    this.i++;
    return value;
  }

  private expansion(): string {
    const { s } = this;
    const rest = s.slice(this.i);
    this.expanded = true;
    if (rest.startsWith('$((')) {
      this.advance(matching(s, this.i + 1, '(', ')') + 1 - this.i);
      return '1';
    }
    if (rest.startsWith('$(') || rest.startsWith('`')) {
      const open = rest.startsWith('`') ? this.i : this.i + 1;
      const end = rest.startsWith('`') ? s.indexOf('`', this.i + 1) : matching(s, open, '(', ')');
      const close = end < 0 ? s.length : end;
      const inner = s.slice(open + 1, close);
      this.found.push(...extractCommands(inner, this.vars, this.line));
      this.advance(close + 1 - this.i);
      return /^\s*date\b/.test(inner) ? TIMESTAMP_PLACEHOLDER : DEFAULT_PLACEHOLDER;
    }
    if (rest.startsWith('${')) {
      const end = matching(s, this.i + 1, '{', '}');
      const inner = s.slice(this.i + 2, end < 0 ? s.length : end);
      this.advance((end < 0 ? s.length : end + 1) - this.i);
      const m = /^([A-Za-z_]\w*)(?::?([-=?+])(.*))?$/s.exec(inner);
      if (!m) return DEFAULT_PLACEHOLDER;
      const known = this.vars.get(m[1]!);
      if (m[2] === '-' || m[2] === '=') return known ?? expandSimple(m[3] ?? '', this.vars);
      return known ?? placeholderFor(m[1]!);
    }
    const name = /^\$([A-Za-z_]\w*|[0-9@*#?$!-])/.exec(rest);
    if (!name) {
      this.i++;
      return '$';
    }
    this.i += name[0].length;
    const n = name[1]!;
    return /^[A-Za-z_]/.test(n) ? (this.vars.get(n) ?? placeholderFor(n)) : '1';
  }
}

/** Index of the bracket closing the one at `open`, skipping quoted text; -1 when unbalanced. */
function matching(s: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let k = open; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === "'") k = s.indexOf("'", k + 1) < 0 ? s.length : s.indexOf("'", k + 1);
    else if (c === left) depth++;
    else if (c === right && --depth === 0) return k;
  }
  return -1;
}

function expandSimple(text: string, vars: ShellVars): string {
  return text
    .replace(/^["']|["']$/g, '')
    .replace(/\$\{?([A-Za-z_]\w*)\}?/g, (_, n: string) => vars.get(n) ?? placeholderFor(n));
}
