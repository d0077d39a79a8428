/**
 * The `runbook` command: `search`, `lint`, `build`, `report`. Each command module is imported only when used, so
 * `search` loads neither marked nor mermaid.
 */
import { UsageError } from './args';
import { type CliIO, processIO } from './io';

const USAGE = `usage: runbook <command> [options]

  search [--json] [--limit N] [--stdin] <words…>   find the runbook section for a question or error
  lint [dir]                                       check runbooks against docs/runbook-format.md
  build [dir] [--out file]                         compile runbooks into build/artifact.json
  report [--days N] [--json]                       unanswered queries and chosen sections, from the bot's store
`;

/** Exit codes: 0 ok, 1 no match / lint or build errors, 2 usage. */
export async function run(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'search':
        return await (await import('./search.js')).searchCommand(rest, io);
      case 'lint':
        return await (await import('./lint.js')).lintCommand(rest, io);
      case 'build':
        return await (await import('./build.js')).buildCommand(rest, io);
      case 'report':
        return await (await import('./report.js')).reportCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        io.err(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`runbook ${command}: ${err.message}\n${USAGE}`);
      return 2;
    }
    io.err(`runbook ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
