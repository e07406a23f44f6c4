import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../util/errors.ts';
import { readAmberData } from './data.ts';
import { amberQueries, type AmberEvaluationType } from './queries.ts';

const data = readAmberData();

test('evaluation types select upstream\'s dimensions', () => {
  // 1,004 generative; 4,924 existence; 4,764 + 2,072 + 792 = 7,628 attribute; 975 + 689 = 1,664 relation.
  assert.equal(amberQueries(data).length, 15220);
  assert.equal(amberQueries(data, 'g').length, 1004);
  assert.equal(amberQueries(data, 'de').length, 4924);
  assert.equal(amberQueries(data, 'da').length, 7628);
  assert.equal(amberQueries(data, 'dr').length, 1664);
  assert.equal(amberQueries(data, 'd').length, 4924 + 7628 + 1664);
  assert.ok(amberQueries(data, 'g').every((q) => q.query === 'Describe this image.'));
});

test('an unknown evaluation type lists the valid ones', () => {
  assert.throws(() => amberQueries(data, 'x' as AmberEvaluationType), (e: unknown) => e instanceof ConfigError && /must be one of a, g, d, de, da, dr/.test(e.message));
});
