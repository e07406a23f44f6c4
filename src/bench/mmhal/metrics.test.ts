import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mmhalMetrics } from './metrics.ts';
import { MMHAL_QUESTION_TYPES, questionTypeAt } from './template.ts';

const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} != ${b}`);

// Indices 0..7 rated [6,5,4,3,2,1,0,0], indices 8..15 all 4.
const FIRST = [6, 5, 4, 3, 2, 1, 0, 0];
const rated = [...FIRST.map((rating, index) => ({ index, rating })), ...FIRST.map((_, i) => ({ index: 8 + i, rating: 4 }))];

test('mmhalMetrics: mean, hallucination rate and informativeness, by hand', () => {
  const m = mmhalMetrics(rated);
  assert.equal(m.n, 16);
  close(m.score, (21 + 32) / 16); // 6+5+4+3+2+1+0+0 = 21, 8 x 4 = 32 -> 3.3125
  close(m.hallucinationRate, 4 / 16); // ratings < 3: 2, 1, 0, 0 -> 0.25
  // s >= 3 -> s - 3, else s: [3,2,1,0,2,1,0,0] = 9, and 8 x (4 - 3) = 8 -> 17/16 / 3 x 100
  close(m.informativeness, (17 / 16 / 3) * 100);
});

test('mmhalMetrics: per type by i % 8, two questions each here', () => {
  const m = mmhalMetrics(rated);
  const want: Record<string, [number, number]> = {
    attribute: [(6 + 4) / 2, 0], adversarial: [(5 + 4) / 2, 0], comparison: [(4 + 4) / 2, 0], counting: [(3 + 4) / 2, 0],
    relation: [(2 + 4) / 2, 1 / 2], environment: [(1 + 4) / 2, 1 / 2], holistic: [(0 + 4) / 2, 1 / 2], other: [(0 + 4) / 2, 1 / 2],
  };
  for (const t of MMHAL_QUESTION_TYPES) {
    close(m.byType[t].score, want[t]![0]);
    close(m.byType[t].hallucinationRate, want[t]![1]);
    assert.equal(m.byType[t].n, 2);
  }
});

test('mmhalMetrics: the type comes from the index, not from the order of the list', () => {
  const shuffled = [...rated].reverse();
  assert.deepEqual(mmhalMetrics(shuffled).byType, mmhalMetrics(rated).byType);
  // Only index 9 (9 % 8 = 1 -> adversarial) and index 16 (16 % 8 = 0 -> attribute).
  const m = mmhalMetrics([{ index: 9, rating: 2 }, { index: 16, rating: 6 }]);
  close(m.byType.adversarial.score, 2);
  close(m.byType.attribute.score, 6);
  assert.deepEqual(m.byType.counting, { score: null, hallucinationRate: null, n: 0 });
});

test('questionTypeAt follows the official list', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 95].map(questionTypeAt),
    ['attribute', 'adversarial', 'comparison', 'counting', 'relation', 'environment', 'holistic', 'other', 'attribute', 'other', 'other']);
});

test('mmhalMetrics: a rating of 3 is not a hallucination, 2 is', () => {
  close(mmhalMetrics([{ index: 0, rating: 3 }]).hallucinationRate, 0);
  close(mmhalMetrics([{ index: 0, rating: 2 }]).hallucinationRate, 1);
});

test('mmhalMetrics: no ratings is a bug', () => {
  assert.throws(() => mmhalMetrics([]), /no ratings/);
});
