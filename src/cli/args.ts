/** A tiny argv parser: `--flag`, `--key value`, `--key=value`, and positionals. */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
  positionals: string[];
}

/** `valueKeys` take a value; `flagKeys` do not; anything else starting with `--` is a usage error. */
export function parseArgs(
  argv: readonly string[],
  flagKeys: readonly string[],
  valueKeys: readonly string[],
): ParsedArgs {
  const out: ParsedArgs = { flags: new Set(), values: new Map(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    if (flagKeys.includes(key) && eq < 0) {
      out.flags.add(key);
    } else if (valueKeys.includes(key)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${key} needs a value`);
      out.values.set(key, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return out;
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} must be a positive whole number`);
  return Number(value);
}
