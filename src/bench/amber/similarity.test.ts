import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../util/temp-dir.ts';
import { ConfigError, FileError } from '../../util/errors.ts';
import { identityOnly, readSimilarityTable, similarityFromTable } from './similarity.ts';

const tmp = (text: string) => {
  const file = join(tempDir('amber-sim-'), 'similarity.json');
  writeFileSync(file, text);
  return file;
};

test('identical words are similar even without a table (spaCy returns 1.0 for equal docs)', () => {
  assert.equal(identityOnly('dog', 'dog'), true);
  assert.equal(identityOnly('dog', 'puppy'), false);
});

test('a table is symmetric, strict above the threshold, and keeps identity', () => {
  const table = readSimilarityTable(tmp(JSON.stringify({ model: 'en_core_web_lg 3.7.1', threshold: 0.7, pairs: [['dog', 'puppy', 0.81], ['car', 'truck', 0.8], ['cat', 'kitten', 0.75]] })));
  const similar = similarityFromTable(table);
  assert.equal(similar('puppy', 'dog'), true);
  assert.equal(similar('dog', 'puppy'), true);
  // 0.8 is not > 0.8, and 0.75 is below the default 0.8.
  assert.equal(similar('car', 'truck'), false);
  assert.equal(similar('cat', 'kitten'), false);
  assert.equal(similar('sky', 'sky'), true);
  // At 0.7 the 0.75 pair counts.
  assert.equal(similarityFromTable(table, 0.7)('kitten', 'cat'), true);
});

test('a scoring threshold below the table\'s is refused', () => {
  assert.throws(() => similarityFromTable({ model: 'x', threshold: 0.8, pairs: [] }, 0.5), (e: unknown) => e instanceof ConfigError && /below the table's 0.8/.test(e.message));
});

test('bad table files name the problem', () => {
  const bad = (text: string, pattern: RegExp) => assert.throws(() => readSimilarityTable(tmp(text)), (e: unknown) => e instanceof FileError && pattern.test(e.message));
  bad('[', /cannot read a JSON similarity table/);
  bad('[]', /expected \{"model"/);
  bad('{"pairs": []}', /field threshold must be a number/);
  bad('{"threshold": 0.8}', /field pairs must be a list/);
  bad('{"threshold": 0.8, "pairs": [["dog", "puppy"]]}', /pairs\[0\] is \["dog","puppy"\], expected \[word, word, similarity\]/);
  bad('{"threshold": 0.8, "pairs": [["dog", "puppy", 0.5]]}', /pairs\[0\] has similarity 0.5, not above the table's threshold 0.8/);
});
