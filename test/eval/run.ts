/**
 * `npm run eval`: search quality of our configuration against fuse.js and MiniSearch with default
 * options, on the same sections; plus artifact size, load time and query time.
 * `npm run eval -- --misses` also lists the misses of the sets tuned on (the tuned set and the incident
 * development set), never the held-out, blind or incident sets': they are for reporting, not for tuning
 * (the incident set reports its totals and top-1 per kind only; `--tune` leaves it out altogether).
 * `npm run eval -- --cv` cross-validates the search's numbers by batch and tunes them (cv.ts).
 */

import { compileRunbookSources, readPhrasings } from '../../src/runbooks/compile/compile';
import { parseArtifact } from '../../src/runbooks/model/artifact';
import { readRunbookSources } from '../../src/runbooks/model/source-hash';
import { createSearch } from '../../src/runbooks/search/search';
import { RUNBOOKS_DIR } from '../helpers/artifact';
import { runCv } from './cv';
import { runCvLearned } from './cv-learned';
import { EVAL_SET, evaluate, formatTable, INCIDENT_DEV_SET, INCIDENT_SET, type Scores } from './metrics';

const out = (text: string) => process.stdout.write(`${text}\n`);

/** `--runbooks <dir>`: evaluate other runbooks; `--no-keywords`: ignore every `keywords=` hint. */
function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Top-1 / top-3 per `batch` of the development set: a batch written before a round of tuning and scored
 * before it is that round's honest generalisation number.
 */
function byBatch(
  set: readonly { q: string; expect: string[]; batch?: number }[],
  misses: Scores['misses'],
): string[] {
  const missed = new Map(misses.map((m) => [m.q, m]));
  const rows = new Map<string, { n: number; top1: number; top3: number }>();
  for (const item of set) {
    const key = item.batch === undefined ? 'first' : String(item.batch);
    const row = rows.get(key) ?? { n: 0, top1: 0, top3: 0 };
    rows.set(key, row);
    row.n++;
    const miss = missed.get(item.q);
    if (!miss) row.top1++;
    if (!miss || miss.got.some((id) => item.expect.includes(id))) row.top3++;
  }
  return [...rows].map(([key, r]) => `${key} ${r.top1}/${r.top3}/${r.n}`);
}

/** Out-of-scope questions answered "no good match", per `batch` of the development set. */
function rejectedByBatch(set: readonly { q: string; batch?: number }[], answered: readonly string[]): string {
  const wrong = new Set(answered);
  const rows = new Map<string, { n: number; rejected: number }>();
  for (const item of set) {
    const key = item.batch === undefined ? 'first' : String(item.batch);
    const row = rows.get(key) ?? { n: 0, rejected: 0 };
    rows.set(key, row);
    row.n++;
    if (!wrong.has(item.q)) row.rejected++;
  }
  return [...rows].map(([key, r]) => `${key} ${r.rejected}/${r.n}`).join(', ');
}

async function main(): Promise<void> {
  // `--cv`: cross-validated tuning over the development and tuned sets only (cv.ts); nothing else is scored.
  if (process.argv.includes('--cv')) {
    await runCv();
    return;
  }
  // `--cv-learned`: the learned model (compile/learn.ts) scored batch by batch, never on what it learned.
  if (process.argv.includes('--cv-learned')) {
    await runCvLearned();
    return;
  }
  const dir = option('--runbooks') ?? RUNBOOKS_DIR;
  let sources = await readRunbookSources(dir);
  if (process.argv.includes('--no-keywords')) {
    // How well the content alone answers, with no search hints that could echo the queries.
    sources = sources.map((s) => ({
      ...s,
      source: s.source.replace(/\bkeywords=("[^"]*"|'[^']*'|\S+)/g, ''),
    }));
  }
  // `--no-learned`: the ranking alone, without what runbooks/phrasings.json teaches (compile/learn.ts).
  const learned = !process.argv.includes('--no-learned');
  const phrasings = learned ? await readPhrasings(dir) : undefined;
  const artifact = await compileRunbookSources(sources, {
    skipTrees: true,
    ...(phrasings ? { phrasings } : {}),
  });
  out(
    `Runbooks: ${dir}${process.argv.includes('--no-keywords') ? ' (keywords= hints removed)' : ''}` +
      `${phrasings ? ` (learned from ${phrasings.inScope.length} asked and ${phrasings.outOfScope.length} out-of-scope queries in phrasings.json)` : ' (nothing learned: the ranking alone)'}\n`,
  );
  const result = evaluate(artifact);
  out(formatTable(`Tuned set (${EVAL_SET.tuned.length} queries)`, result.tuned));
  out('');
  out(formatTable(`Held-out set (${EVAL_SET.heldOut.length} queries)`, result.heldOut));
  out('');
  out(
    formatTable(
      `Blind set (${EVAL_SET.blind.length} queries, written after tuning, never tuned on)`,
      result.blind,
    ),
  );
  out('');
  // `--tune`: while tuning, keep the held-out incident set out of sight (look at it a few times only).
  if (!process.argv.includes('--tune')) {
    out(formatTable(`Incident set (held out, ${INCIDENT_SET.inScope.length} queries)`, result.incident));
    const kinds = Object.entries(result.incidentByKind).map(([kind, k]) => `${kind} ${k.hits}/${k.n}`);
    out(`ours top-1 by kind: ${kinds.join(', ')}`);
    const outOfScope = INCIDENT_SET.outOfScope.length;
    out(`Out-of-scope rejected: ${outOfScope - result.answeredOutOfScope.length}/${outOfScope}`);
    out('');
  }
  out(
    formatTable(
      `Incident development set (tuned on, ${INCIDENT_DEV_SET.inScope.length} queries)`,
      result.dev,
    ),
  );
  const devKinds = Object.entries(result.devByKind).map(([kind, k]) => `${kind} ${k.hits}/${k.n}`);
  out(`ours top-1 by kind: ${devKinds.join(', ')}`);
  out(
    `ours top-1 / top-3 by batch: ${byBatch(INCIDENT_DEV_SET.inScope, result.dev['ours']?.misses ?? []).join(', ')}`,
  );
  const devOut = INCIDENT_DEV_SET.outOfScope.length;
  out(`Out-of-scope rejected: ${devOut - result.devAnsweredOutOfScope.length}/${devOut}`);
  out(
    `Out-of-scope rejected by batch: ${rejectedByBatch(INCIDENT_DEV_SET.outOfScope, result.devAnsweredOutOfScope)}`,
  );
  out('');
  const rejected = EVAL_SET.nonsense.length - result.answeredNonsense.length;
  out(`Nonsense queries answered "no good match": ${rejected}/${EVAL_SET.nonsense.length}`);

  const json = JSON.stringify(artifact);
  const started = performance.now();
  const search = createSearch(parseArtifact(json));
  const loadMs = performance.now() - started;
  const queries = [...EVAL_SET.tuned, ...EVAL_SET.heldOut, ...EVAL_SET.blind].map((q) => q.q);
  const t0 = performance.now();
  for (const q of queries) search.search(q);
  const perQuery = (performance.now() - t0) / queries.length;
  out(
    `Search data (compiled without trees) ${json.length} bytes; JSON.parse + createSearch ${loadMs.toFixed(1)} ms; ` +
      `${perQuery.toFixed(2)} ms per query`,
  );

  if (process.argv.includes('--misses')) {
    for (const m of result.tuned['ours']?.misses ?? []) {
      out(`\nmiss: ${m.q}\n  expected ${m.expect.join(' | ')}\n  got      ${m.got.join(' | ')}`);
    }
    for (const m of result.dev['ours']?.misses ?? []) {
      out(`\ndev miss: ${m.q}\n  expected ${m.expect.join(' | ')}\n  got      ${m.got.join(' | ')}`);
    }
    for (const q of result.devAnsweredOutOfScope) out(`\ndev out-of-scope answered: ${q}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
