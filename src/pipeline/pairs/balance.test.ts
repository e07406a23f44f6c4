import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceLengths, dropReason, ratioGrid, wordCount } from './balance.ts';

const words = (n: number, w = 'w') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
const pair = (name: string, chosen: number, rejected: number) => ({ name, chosen: { text: words(chosen, 'c') }, rejected: { text: words(rejected, 'r') } });
const names = (ps: Array<{ name: string }>) => ps.map((p) => p.name);

test('wordCount is a whitespace split, and the grid is 0.00 .. 0.98 by division', () => {
  assert.equal(wordCount('  a b\n\tc '), 3);
  assert.equal(wordCount(''), 0);
  const grid = ratioGrid();
  assert.equal(grid.length, 50);
  assert.equal(grid[0], 0);
  assert.equal(grid[35], 0.7); // np.arange would give 0.7000000000000001
  assert.equal(grid[49], 0.98);
  assert.throws(() => ratioGrid(0), /positive integer/);
});

test('a shortening exactly equal to r is kept, one step above is dropped, at every grid point', () => {
  for (let i = 0; i < 50; i++) {
    assert.equal(dropReason(50 - i, 50, i / 50), undefined, `C=${50 - i}, R=50 at r=${i / 50}`);
    assert.equal(dropReason(100 - 2 * i, 100, i / 50), undefined, `C=${100 - 2 * i}, R=100`);
    if (i > 0) assert.equal(dropReason(50 - i, 50, (i - 1) / 50), 'length-balance');
  }
  assert.equal(dropReason(5, 5, 0, true), 'identical-text');
});

test('hand-computed sweep: the first r of the minimum plateau wins', () => {
  // P1 shortening 0.5, P2 0.1, P3 -0.2 (chosen longer), P4 identical texts.
  const p4 = { name: 'P4', chosen: { text: 'same text ' }, rejected: { text: ' same text' } };
  const r = balanceLengths([pair('P1', 5, 10), pair('P2', 9, 10), pair('P3', 12, 10), p4]);
  assert.equal(r.ratio, 0.1);
  assert.equal(r.fallback, false);
  assert.deepEqual(names(r.kept), ['P2', 'P3']);
  assert.deepEqual(r.dropped.map((d) => [d.pair.name, d.reason]), [['P1', 'length-balance'], ['P4', 'identical-text']]);
  assert.equal(r.sweep.length, 50);
  assert.deepEqual(r.sweep[0], { ratio: 0, kept: 1, meanChosen: 12, meanRejected: 10, objective: 0.2, chosenShorter: 0, chosenLonger: 1 });
  assert.deepEqual(r.sweep[4], { ratio: 0.08, kept: 1, meanChosen: 12, meanRejected: 10, objective: 0.2, chosenShorter: 0, chosenLonger: 1 });
  assert.deepEqual(r.sweep[5], { ratio: 0.1, kept: 2, meanChosen: 10.5, meanRejected: 10, objective: 0.05, chosenShorter: 0.5, chosenLonger: 0.5 });
  assert.equal(r.sweep[24]!.objective, 0.05); // same kept set up to r = 0.48
  assert.equal(r.sweep[25]!.kept, 3); // at r = 0.5 the shortening 0.5 is not > r
  assert.ok(Math.abs(r.sweep[25]!.objective! - (10 - 26 / 3) / 10) < 1e-12);
});

test('equal objectives from different kept sets: the first r wins', () => {
  // r < 0.3: {Q1} -> |11 - 10| / 10 = 0.1; r >= 0.3: {Q1, Q2} -> |9 - 10| / 10 = 0.1; Q3 (chosen empty) never kept.
  const r = balanceLengths([pair('Q1', 11, 10), pair('Q2', 7, 10), pair('Q3', 0, 10)]);
  assert.equal(r.sweep[0]!.objective, 0.1);
  assert.equal(r.sweep[15]!.objective, 0.1);
  assert.equal(r.ratio, 0);
  assert.deepEqual(names(r.kept), ['Q1']);
});

test('chosen never shorter: r = 0 keeps everything', () => {
  const r = balanceLengths([pair('A', 10, 10), pair('B', 12, 8)]);
  assert.equal(r.ratio, 0);
  assert.deepEqual(names(r.kept), ['A', 'B']);
});

test('zero-division guards', () => {
  // No pairs at all: every row empty, fallback to the most permissive ratio.
  const none = balanceLengths([]);
  assert.deepEqual([none.ratio, none.fallback, none.kept], [0.98, true, []]);
  assert.deepEqual(none.sweep[0], { ratio: 0, kept: 0, meanChosen: null, meanRejected: null, objective: null, chosenShorter: null, chosenLonger: null });

  // Empty rejected answer: never dropped for length; mean rejected 0 -> objective null -> fallback keeps it.
  const emptyRejected = balanceLengths([{ name: 'E', chosen: { text: 'a b c' }, rejected: { text: '  ' } }]);
  assert.equal(dropReason(3, 0, 0), undefined);
  assert.deepEqual([emptyRejected.ratio, emptyRejected.fallback, names(emptyRejected.kept)], [0.98, true, ['E']]);
  assert.equal(emptyRejected.sweep[0]!.objective, null);
  assert.equal(emptyRejected.sweep[0]!.meanRejected, 0);

  // Empty chosen answer: shortening 1 > 0.98, dropped at every r.
  const emptyChosen = balanceLengths([pair('C', 0, 10)]);
  assert.deepEqual([emptyChosen.fallback, emptyChosen.kept.length, emptyChosen.dropped[0]!.reason], [true, 0, 'length-balance']);

  // Both empty: identical after trimming.
  const bothEmpty = balanceLengths([{ name: 'B', chosen: { text: '' }, rejected: { text: ' ' } }]);
  assert.equal(bothEmpty.dropped[0]!.reason, 'identical-text');

  // A pair with an empty rejected answer beside a measurable pair: the measurable one defines r.
  const mixed = balanceLengths([{ name: 'E', chosen: { text: 'a b' }, rejected: { text: '' } }, pair('N', 10, 10)]);
  assert.equal(mixed.fallback, false);
  assert.deepEqual(names(mixed.kept), ['E', 'N']);
  assert.equal(mixed.sweep[0]!.objective, (6 - 5) / 5);
});

test('a custom grid is honoured and an empty one is refused', () => {
  const r = balanceLengths([pair('P1', 5, 10), pair('P2', 9, 10), pair('P3', 12, 10)], [0.6, 0.2]);
  assert.equal(r.ratio, 0.2); // 0.6 keeps all three (objective 0.133), 0.2 keeps P2, P3 (0.05)
  assert.throws(() => balanceLengths([], []), /ratio grid is empty/);
});
