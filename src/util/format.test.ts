import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percent } from './format.ts';

test('percent: decimals, and a marker for what was not measured', () => {
  assert.equal(percent(0.273), '27.3%');
  assert.equal(percent(1, 0), '100%');
  assert.equal(percent(0.12345, 2), '12.35%');
  assert.equal(percent(null), '–');
  assert.equal(percent(undefined, 1, 'n/a'), 'n/a');
  assert.equal(percent(Number.NaN, 1, '-'), '-');
});
