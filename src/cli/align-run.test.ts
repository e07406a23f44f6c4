import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elapsedPhrase } from './align-run.ts';

test('elapsed time names the rounds\' own time only when the run was resumed', () => {
  const table: Array<[number, number, string]> = [
    [697, 680, 'in 697 s'],
    [2.4, 690.2, 'in 2 s (resumed; its rounds took 690 s when they ran)'],
    [300, 300.5, 'in 300 s'],
  ];
  for (const [now, rounds, expected] of table) assert.equal(elapsedPhrase(now, rounds), expected);
});
