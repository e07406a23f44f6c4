import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedSpans } from './spans.ts';
import type { ChangedSpan } from './types.ts';

const texts = (original: string, corrected: string, spans: ChangedSpan[]) =>
  spans.map((s) => [original.slice(...s.from), corrected.slice(...s.to)]);

test('spans: a replaced word, with character offsets into both texts', () => {
  const spans = changedSpans('a red circle at the top', 'a blue circle at the top');
  assert.deepEqual(spans, [{ from: [2, 5], to: [2, 6] }]);
  assert.deepEqual(texts('a red circle at the top', 'a blue circle at the top', spans), [['red', 'blue']]);
});

test('spans: several runs, an insertion, a deletion, punctuation attached to its word', () => {
  const o = 'There is a large red circle and a small square.';
  const c = 'There is a small blue circle and a square, left.';
  assert.deepEqual(texts(o, c, changedSpans(o, c)), [['large red', 'small blue'], ['small square.', 'square, left.']]);
  // Pure insertion: the original side is empty at the next kept word.
  assert.deepEqual(changedSpans('a circle', 'a red circle'), [{ from: [2, 2], to: [2, 5] }]);
  // Pure deletion at the end: the corrected side is empty at its end.
  assert.deepEqual(changedSpans('a red circle', 'a red'), [{ from: [6, 12], to: [5, 5] }]);
  assert.deepEqual(changedSpans('', 'new text'), [{ from: [0, 0], to: [0, 8] }]);
});

test('spans: identical words (whitespace aside) change nothing', () => {
  assert.deepEqual(changedSpans('a red circle', 'a red circle'), []);
  assert.deepEqual(changedSpans('a red\ncircle', 'a  red circle '), []);
  assert.deepEqual(changedSpans('', ''), []);
});

test('spans: a long correction stays word-level and in order', () => {
  const words = Array.from({ length: 1500 }, (_, i) => `w${i}`);
  const edited = words.map((w, i) => (i % 100 === 50 ? `${w}x` : w));
  const spans = changedSpans(words.join(' '), edited.join(' '));
  assert.equal(spans.length, 15);
  assert.deepEqual(texts(words.join(' '), edited.join(' '), spans).slice(0, 2), [['w50', 'w50x'], ['w150', 'w150x']]);
});
