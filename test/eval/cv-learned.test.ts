import { describe, expect, it } from 'vitest';
import { scoredCase } from './cv-learned';

describe('cross-validated learning, case by case (`--cases=FILE`)', () => {
  const asked = { q: 'cape town is down', expect: ['A.md#x', 'A.md#y'], fold: '42' };
  const offTopic = { q: 'book a flight', expect: [], fold: '42' };

  it('scores an in-scope case by where its first expected section comes', () => {
    expect(scoredCase(asked, ['A.md#y', 'B.md#z'])).toMatchObject({ fold: '42', top1: true, top3: true });
    expect(scoredCase(asked, ['B.md#z', 'C.md#w', 'A.md#x'])).toMatchObject({ top1: false, top3: true });
    expect(scoredCase(asked, ['B.md#z', 'C.md#w', 'D.md#v'])).toMatchObject({ top1: false, top3: false });
    expect(scoredCase(asked, [])).toMatchObject({ top1: false, top3: false, got: [] });
  });

  it('counts an out-of-scope case right only when nothing is answered', () => {
    expect(scoredCase(offTopic, [])).toMatchObject({ top1: true, top3: true, expect: [] });
    expect(scoredCase(offTopic, ['A.md#x'])).toMatchObject({ top1: false, top3: false });
  });
});
