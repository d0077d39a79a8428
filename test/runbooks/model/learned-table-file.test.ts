/**
 * Found in a review (helper-225) of b648942: the learned model's table moved out of the artifact's JSON (a `table`
 * string, and `learned.txt` beside the split index). What happens when the file the bot reads is not the one
 * this build writes.
 */
import { describe, expect, it } from 'vitest';
import { ArtifactLoadError, parseArtifact, runtimeArtifact } from '../../../src/runbooks/model/artifact';
import type { Artifact } from '../../../src/runbooks/model/model';
import { openSplitArtifact, SplitArtifactError, splitArtifact } from '../../../src/runbooks/model/split';
import { textOf } from '../../../src/runbooks/model/text-table';
import { createSearch } from '../../../src/runbooks/search/search';
import { EVAL_SET } from '../../eval/metrics';
import { loadTestArtifact } from '../../helpers/artifact';

const answers = (a: Artifact, queries: readonly string[]) => {
  const search = createSearch(a);
  return queries.map((q) => {
    const r = search.search(q);
    return r.confident ? r.results[0]?.section.id : 'no good match';
  });
};

describe('learned model table: an artifact of the former layout', () => {
  it('a whole artifact.json built before the change (learned.features / learned.weights) is refused at load, saying how to rebuild it', async () => {
    const artifact = await loadTestArtifact();
    const { table, ...rest } = artifact.search.learned!;
    const lines = textOf(table).split('\n');
    // The layout ee35b00 wrote, with the same ARTIFACT_VERSION (1): two '\n'-joined strings.
    const former = {
      ...artifact,
      search: {
        ...artifact.search,
        learned: {
          ...rest,
          features: lines.map((l) => l.slice(0, l.indexOf('\t'))).join('\n'),
          weights: lines.map((l) => l.slice(l.indexOf('\t') + 1)).join('\n'),
        },
      },
    };
    // What the loader promises for an old artifact: an error naming the file and how to rebuild it (it
    // loaded, and the first confident search threw TypeError from its binary search).
    expect(() => parseArtifact(JSON.stringify(former), 'build/artifact.json')).toThrow(ArtifactLoadError);
    expect(() => parseArtifact(JSON.stringify(former), 'build/artifact.json')).toThrow(
      /build\/artifact\.json: learned model .*npm run build:artifact/,
    );
    // The artifact this build writes loads and answers.
    const current = parseArtifact(JSON.stringify(artifact), 'build/artifact.json');
    expect(createSearch(current).search('users get booted every few minutes').confident).toBe(true);
  });
});

describe('learned model table: learned.txt of the split artifact', () => {
  it('a table the byte search could not order (a feature from U+D800 up) is refused when the artifact is split', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const learned = whole.search.learned!;
    // Two features whose UTF-16 order (the table's) and UTF-8 order (the byte search's) disagree (helper-228).
    const lines = [`\u{20000}\t0:1`, `\uff41\t0:1`, ...textOf(learned.table).split('\n')];
    const table = lines.sort().join('\n');
    const odd = { ...whole, search: { ...whole.search, learned: { ...learned, table } } };
    expect(() => splitArtifact(odd)).toThrow(/U\+D800/);
    expect(() => splitArtifact(whole)).not.toThrow();
  });

  it('a truncated learned.txt is refused naming the file, not read as a smaller model', async () => {
    const whole = runtimeArtifact(await loadTestArtifact());
    const { index, files } = splitArtifact(whole);
    const table = files['learned.txt'] as string;
    // Cut mid-line, in the middle of a `class:weight` pair (as a short write or copy would leave it).
    const cut = table.indexOf(' ', Math.floor(table.length * 0.6)) + 2;
    const truncated: Record<string, string | Uint8Array> = { ...files, 'learned.txt': table.slice(0, cut) };
    const opened = openSplitArtifact(JSON.parse(JSON.stringify(index)), (name) => {
      const f = truncated[name];
      if (f === undefined) throw new Error(`no file ${name}`);
      return typeof f === 'string' ? Buffer.from(f) : f;
    });
    // Refused when first read, naming the file, as the split artifact's other files are (terms, postings,
    // slices): it was read as a smaller model, and 2 of the tuned set changed answer.
    expect(() => createSearch(opened).search('users get booted every few minutes')).toThrow(
      SplitArtifactError,
    );
    expect(() => opened.search.learned?.table).toThrow(/learned\.txt: \d+ bytes, the index has \d+/);
    // The whole file reads and answers as the whole artifact does.
    const intact = openSplitArtifact(JSON.parse(JSON.stringify(index)), (name) => {
      const f = files[name];
      if (f === undefined) throw new Error(`no file ${name}`);
      return typeof f === 'string' ? Buffer.from(f) : f;
    });
    const queries = EVAL_SET.tuned.map((x) => x.q);
    expect(answers(intact, queries)).toEqual(answers(whole, queries));
  });
});
