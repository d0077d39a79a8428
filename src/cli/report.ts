/**
 * `runbook report [--days N] [--artifact file] [--json]`: what the bot learned from use, for runbook
 * authors (src/workflows/feedback-report.ts). It reads the same store the bot writes, configured by the
 * same variables: on AWS `STORE=dynamodb TABLE_NAME=<the bot's table>` with credentials and `AWS_REGION`;
 * DynamoDB Local or dynalite with `DYNAMODB_ENDPOINT`; the playground's data with `STORE_PATH` (the folder
 * the playground was started with). The store is imported only here, so other commands never load it.
 */
import { loadConfig } from '../config';
import { DEFAULT_ARTIFACT_PATH, loadArtifact } from '../runbooks/model/artifact';
import { buildFeedbackReport, formatFeedbackReport } from '../workflows/feedback-report';
import { parseArgs, positiveInt } from './args';
import type { CliIO } from './io';

export const REPORT_USAGE = 'usage: runbook report [--days N] [--artifact file] [--json]\n';
const DAY_MS = 86_400_000;

export async function reportCommand(
  argv: readonly string[],
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const args = parseArgs(argv, ['json'], ['days', 'artifact']);
  const days = positiveInt('days', args.values.get('days'), 30);
  const config = loadConfig(env);
  const artifact = await loadArtifact(args.values.get('artifact') ?? DEFAULT_ARTIFACT_PATH);
  const { openStore } = await import('../store/factory.js');
  const store = await openStore(config.store);
  try {
    const until = new Date();
    const since = new Date(until.getTime() - days * DAY_MS);
    const window = { since: since.toISOString(), until: until.toISOString() };
    const records = await store.listFeedback(window.since, window.until);
    const report = buildFeedbackReport(records, artifact, window);
    io.out(args.flags.has('json') ? `${JSON.stringify(report, null, 2)}\n` : formatFeedbackReport(report));
    return 0;
  } finally {
    await store.close();
  }
}
