import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishReasonOf, splitTokens, toCandidates } from './candidates.ts';

test('splitTokens: proportional to text length, summing to the total', () => {
  assert.deepEqual(splitTokens(10, ['aaaa', 'a']), [8, 2]);
  assert.deepEqual(splitTokens(7, ['only']), [7]);
  const parts = splitTokens(100, ['a b c', 'd', 'eeeeeeeeee', '']);
  assert.equal(parts.reduce((a, b) => a + b, 0), 100);
  assert.deepEqual(splitTokens(undefined, ['two words', ' three  more words ']), [2, 3]);
});

test('finish reasons: only length is truncation', () => {
  assert.equal(finishReasonOf('length'), 'length');
  for (const r of ['stop', 'eos', 'tool_calls', null, undefined]) assert.equal(finishReasonOf(r), 'stop');
});

test('toCandidates orders by choice index and numbers seeds from the first', () => {
  const choices = [
    { index: 1, message: { content: 'second' }, finish_reason: 'length' },
    { index: 0, message: { content: 'first' }, finish_reason: 'stop' },
  ];
  const c = toCandidates(choices, 11, 40, 'm', { temperature: 0.7, topP: 1, maxTokens: 5 });
  assert.deepEqual(c.map((x) => [x.text, x.seed, x.finishReason]), [['first', 40, 'stop'], ['second', 41, 'length']]);
  assert.equal(c[0]!.tokens + c[1]!.tokens, 11);
  assert.deepEqual(c[0]!.settings, { temperature: 0.7, topP: 1, maxTokens: 5 });
});
