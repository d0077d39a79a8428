/**
 * The bot ships the artifact without the build-only fields (scripts/bundle.ts `runtimeArtifact`). Nothing
 * at run time may depend on them: answers and search results must be the same with and without.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeArtifact } from '../../../src/runbooks/model/artifact';
import type { Artifact } from '../../../src/runbooks/model/model';
import { createSearch } from '../../../src/runbooks/search/search';
import { renderSectionAnswer } from '../../../src/slack/render/section';
import { EVAL_SET } from '../../eval/metrics';
import { loadTestArtifact } from '../../helpers/artifact';

let full: Artifact;
let shipped: Artifact;
beforeAll(async () => {
  full = await loadTestArtifact();
  shipped = JSON.parse(JSON.stringify(runtimeArtifact(full))) as Artifact;
});

describe('runtimeArtifact', () => {
  it('is smaller: the sections’ text, code and tables are emptied, their Markdown kept', () => {
    expect(JSON.stringify(shipped).length).toBeLessThan(JSON.stringify(full).length * 0.8);
    expect(shipped.sections.every((s) => s.text === '' && s.code.length === 0 && s.tables.length === 0)).toBe(
      true,
    );
    expect(shipped.sections.map((s) => s.markdown)).toEqual(full.sections.map((s) => s.markdown));
  });

  it('renders every section exactly as the full artifact does', () => {
    const repo = 'https://github.com/example/runbooks/blob/main/runbooks';
    full.sections.forEach((section, i) => {
      const render = (a: Artifact) =>
        renderSectionAnswer({ section: a.sections[i]!, artifact: a, repoUrl: repo, command: '/runbook' });
      expect(render(shipped), section.id).toEqual(render(full));
    });
  });

  it('answers every eval query with the same sections', () => {
    const a = createSearch(full);
    const b = createSearch(shipped);
    for (const { q } of [...EVAL_SET.tuned, ...EVAL_SET.heldOut, ...EVAL_SET.blind]) {
      expect(
        b.search(q).results.map((r) => r.section.id),
        q,
      ).toEqual(a.search(q).results.map((r) => r.section.id));
    }
  });
});
