import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validationScenes } from './evaluate.ts';

test('validation scenes: a fresh slice per round, or the same one', () => {
  const table: Array<[round: number, limit: number, slices: 'per-round' | 'shared', offset: number]> = [
    [1, 120, 'per-round', 0],
    [2, 120, 'per-round', 120],
    [4, 120, 'per-round', 360],
    [1, 120, 'shared', 0],
    [4, 120, 'shared', 0],
    [3, 5, 'per-round', 10],
  ];
  for (const [round, limit, slices, offset] of table) {
    assert.deepEqual(validationScenes(round, limit, slices, 7), { worldSeed: 7, limit, offset }, `${round} ${limit} ${slices}`);
  }
});
