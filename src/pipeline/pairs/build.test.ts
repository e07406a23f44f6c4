import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../util/rng.ts';
import { candidatePairs, samplePairs, unorderedPairs } from './build.ts';
import type { ScoredCandidate } from './types.ts';

const c = (id: string, score: number): ScoredCandidate => ({ id, text: id, score });
const ids = (pairs: Array<{ chosen: ScoredCandidate; rejected: ScoredCandidate }>) => pairs.map((p) => `${p.chosen.id}>${p.rejected.id}`);

const table: Array<[string, ScoredCandidate[], number, string[]]> = [
  ['no candidates', [], 1, []],
  ['one candidate', [c('a', 0)], 1, []],
  ['all equal scores', [c('a', -1), c('b', -1), c('c', -1)], 1, []],
  ['ties skipped, higher chosen, combinations order', [c('a', 0), c('b', -1), c('c', -1), c('d', -3)], 1, ['a>b', 'a>c', 'a>d', 'b>d', 'c>d']],
  ['the lower score first in input', [c('x', -2), c('y', 0)], 1, ['y>x']],
  ['diff 2 keeps differences of 2 or more', [c('a', 0), c('b', -1), c('c', -1), c('d', -3)], 2, ['a>d', 'b>d', 'c>d']],
  ['a difference below diff is a tie', [c('a', 0), c('b', -0.5)], 1, []],
  ['a difference of exactly diff counts', [c('a', -2), c('b', -3)], 1, ['a>b']],
];
for (const [name, scored, diff, expected] of table) {
  test(`candidatePairs: ${name}`, () => assert.deepEqual(ids(candidatePairs(scored, diff)), expected));
}

test('candidatePairs defaults to diff 1 and rejects bad input', () => {
  assert.deepEqual(ids(candidatePairs([c('a', 0), c('b', -1)])), ['a>b']);
  assert.throws(() => candidatePairs([c('a', 0)], 0), /diff must be a positive number, got 0/);
  assert.throws(() => candidatePairs([c('a', NaN)]), /candidate 'a' has score NaN/);
  assert.equal(unorderedPairs([1, 2, 3, 4]).length, 6);
});

test('samplePairs keeps everything, untouched rng, when at most max pairs', () => {
  const rng = new Rng(1);
  assert.deepEqual(samplePairs(['p', 'q'], 2, rng), ['p', 'q']);
  assert.deepEqual(samplePairs([], 2, rng), []);
  assert.equal(rng.next(), new Rng(1).next());
});

test('samplePairs caps at max, without replacement, in input order, reproducibly', () => {
  const pairs = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
  const a = samplePairs(pairs, 2, new Rng(42));
  assert.equal(a.length, 2);
  assert.notEqual(a[0], a[1]);
  assert.ok(pairs.indexOf(a[0]!) < pairs.indexOf(a[1]!));
  assert.deepEqual(samplePairs(pairs, 2, new Rng(42)), a);
  const picks = new Set(Array.from({ length: 20 }, (_, s) => samplePairs(pairs, 2, new Rng(s)).join()));
  assert.ok(picks.size > 1, 'different seeds should pick different pairs');
  assert.deepEqual(samplePairs(pairs, 0, new Rng(1)), []);
  assert.throws(() => samplePairs(pairs, -1, new Rng(1)), /non-negative integer, got -1/);
});

test('samplePairs is uniform: each of 5 pairs is drawn 2/5 of the time', () => {
  const counts = new Map<string, number>();
  const n = 2000;
  for (let s = 0; s < n; s++) for (const p of samplePairs(['a', 'b', 'c', 'd', 'e'], 2, new Rng(s))) counts.set(p, (counts.get(p) ?? 0) + 1);
  for (const [p, k] of counts) assert.ok(Math.abs(k / n - 0.4) < 0.05, `${p} drawn ${k}/${n}`);
  assert.equal(counts.size, 5);
});
