import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileError } from '../../util/errors.ts';
import { scoreAmber } from './score.ts';
import { allNouns, tinyData } from './testing.ts';

const data = tinyData({
  annotations: [{ type: 'generative', truth: ['dog'], hallu: ['cat'] }, { type: 'discriminative-hallucination', truth: 'no' }],
  relation: { dog: [], cat: [] },
});

test('both tasks together: the AMBER score is (100 - CHAIR + F1) / 2, unrounded', () => {
  const r = scoreAmber(data, [{ id: 2, response: 'No, there is none.' }, { id: 1, response: 'dog cat' }], allNouns);
  // CHAIR = 1 / 2.001 = 49.975 -> 50.0; F1 = 2*.999*.999 / (.999+.999+.0001) = 99.95 -> 99.9 (P = R = 1/1.001 -> 99.9).
  assert.equal(r.chair, 50);
  assert.equal(r.f1, 99.9);
  assert.equal(r.amberScore, (100 - 50 + 99.9) / 2);
  assert.deepEqual([r.n, r.nGenerative, r.nDiscriminative, r.unmapped], [2, 1, 1, 0]);
  assert.deepEqual(r.items.map((i) => i.id), [2, 1]);
  assert.deepEqual(r.similarity, { source: 'identity-only', threshold: 0.8 });
  assert.equal(r.answerMapping, 'first-word');
});

test('no answers of a task: its metrics are null, not upstream\'s 0.0 from the seeds', () => {
  const r = scoreAmber(data, [], allNouns);
  assert.deepEqual([r.chair, r.cover, r.hal, r.cog, r.accuracy, r.f1, r.amberScore, r.n], [null, null, null, null, null, null, null, 0]);
  assert.deepEqual(Object.values(r.byType), [null, null, null, null, null, null]);
});

test('answers with an unknown id, a repeated id or a non-string response are refused, naming the answer', () => {
  const refuse = (answers: Array<{ id: number; response: unknown }>, pattern: RegExp) =>
    assert.throws(() => scoreAmber(data, answers as Array<{ id: number; response: string }>, allNouns, { answersSource: 'answers.json' }),
      (e: unknown) => e instanceof FileError && pattern.test(e.message));
  refuse([{ id: 3, response: 'Yes' }], /answers\.json: answer 1 has id 3, not an AMBER id \(1-2\)/);
  refuse([{ id: 0, response: 'Yes' }], /answer 1 has id 0/);
  refuse([{ id: 1.5, response: 'Yes' }], /answer 1 has id 1.5/);
  refuse([{ id: 2, response: 'Yes' }, { id: 2, response: 'No' }], /answer 2: id 2 is answered twice/);
  refuse([{ id: 2, response: null }], /answer 1 \(id 2\): response must be a string/);
});
