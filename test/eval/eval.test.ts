import { describe, expect, it } from 'vitest';
import { loadTestArtifact } from '../helpers/artifact';
import { EVAL_SET, evaluate } from './metrics';

describe('search quality (npm run eval)', () => {
  it('has a realistic query set: 60+ tuned queries over all six runbooks, and a held-out set', async () => {
    const artifact = await loadTestArtifact();
    const ids = new Set(artifact.sections.map((s) => s.id));
    expect(EVAL_SET.tuned.length).toBeGreaterThanOrEqual(60);
    expect(EVAL_SET.heldOut.length).toBeGreaterThanOrEqual(15);
    for (const q of [...EVAL_SET.tuned, ...EVAL_SET.heldOut]) {
      for (const id of q.expect) expect(ids.has(id), `${q.q} expects ${id}`).toBe(true);
    }
    const files = new Set(EVAL_SET.tuned.flatMap((q) => q.expect.map((id) => id.split('#')[0])));
    expect([...files].sort()).toEqual(artifact.runbooks.map((r) => r.file).sort());
  });

  it('meets the bar on the tuned set: top-1 ≥ 90 %, top-3 ≥ 97 %, ahead of fuse.js and MiniSearch defaults', async () => {
    const { tuned } = evaluate(await loadTestArtifact());
    const ours = tuned['ours']!;
    expect(ours.top1, JSON.stringify(ours.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
    expect(ours.top3).toBeGreaterThanOrEqual(0.97);
    for (const baseline of ['fuse.js default', 'MiniSearch default']) {
      expect(ours.top1, baseline).toBeGreaterThan(tuned[baseline]!.top1);
      expect(ours.mrr, baseline).toBeGreaterThan(tuned[baseline]!.mrr);
    }
  });

  it('answers every nonsense query with "no good match"', async () => {
    expect(evaluate(await loadTestArtifact()).answeredNonsense).toEqual([]);
  });

  it('stays ahead of both baselines on the held-out set', async () => {
    const { heldOut } = evaluate(await loadTestArtifact());
    for (const baseline of ['fuse.js default', 'MiniSearch default']) {
      expect(heldOut['ours']!.mrr, baseline).toBeGreaterThan(heldOut[baseline]!.mrr);
    }
  });
});
