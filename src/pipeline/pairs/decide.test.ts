import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPreferencePairs, type ResponseForPairing } from './decide.ts';
import { PairSettingsSchema } from './settings.ts';

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
const r = (id: string, score: number | undefined, n = 10): ResponseForPairing => ({ id, text: words(n, id), score });
const settings = PairSettingsSchema.parse({});
const outcomes = (res: ReturnType<typeof buildPreferencePairs>) => res.decisions.map((d) => `${d.instructionId}:${d.a}-${d.b}:${d.outcome}`);

test('settings carry the official defaults and reject unknown keys', () => {
  assert.deepEqual(settings, { duplicateQuestions: 'drop', diff: 1, maxPairsPerInstruction: 2, seed: 0, lengthBalance: true, ratioSteps: 50 });
  assert.throws(() => PairSettingsSchema.parse({ duplicateQuestions: 'merge' }), /duplicateQuestions|'drop'/);
  assert.throws(() => PairSettingsSchema.parse({ maxPairs: 3 }), /maxPairs/);
  assert.throws(() => PairSettingsSchema.parse({ diff: 0 }), /diff/);
});

test('ties, unscored responses and kept pairs are all recorded', () => {
  const res = buildPreferencePairs([{ instructionId: 'q1', responses: [r('a', 0), r('b', -1), r('c', -1), r('d', undefined)] }], settings);
  assert.deepEqual(outcomes(res), ['q1:a-b:kept', 'q1:a-c:kept', 'q1:b-c:score-tie']);
  assert.deepEqual(res.pairs.map((p) => [p.instructionId, p.chosen.id, p.rejected.id]), [['q1', 'a', 'b'], ['q1', 'a', 'c']]);
  assert.deepEqual(res.decisions[0], {
    instructionId: 'q1', a: 'a', b: 'b', scoreA: 0, scoreB: -1, chosen: 'a', rejected: 'b', chosenWords: 10, rejectedWords: 10, outcome: 'kept',
  });
  assert.equal(res.decisions[2]!.chosen, null);
  assert.equal(res.balance!.ratio, 0);
});

test('one candidate, no scored candidates, all equal scores: no pairs', () => {
  const res = buildPreferencePairs([
    { instructionId: 'one', responses: [r('a', 0)] },
    { instructionId: 'none', responses: [r('a', undefined), r('b', undefined)] },
    { instructionId: 'equal', responses: [r('a', -2), r('b', -2)] },
  ], settings);
  assert.deepEqual(outcomes(res), ['equal:a-b:score-tie']);
  assert.deepEqual(res.pairs, []);
  assert.equal(res.balance!.fallback, true);
});

test('at most 2 pairs per instruction, seeded, independent of the other instructions', () => {
  const many = { instructionId: 'q', responses: [r('a', 0), r('b', -1), r('c', -2), r('d', -3)] }; // 6 candidate pairs
  const res = buildPreferencePairs([many], settings);
  assert.equal(res.pairs.length, 2);
  assert.equal(res.decisions.filter((d) => d.outcome === 'sampled-out').length, 4);
  const again = buildPreferencePairs([{ instructionId: 'other', responses: [r('x', 0), r('y', -1)] }, many], settings);
  assert.deepEqual(again.pairs.filter((p) => p.instructionId === 'q'), res.pairs);
  const bySeed = new Set(Array.from({ length: 10 }, (_, seed) =>
    buildPreferencePairs([many], { ...settings, seed }).pairs.map((p) => `${p.chosen.id}${p.rejected.id}`).join()));
  assert.ok(bySeed.size > 1, 'different seeds should sample different pairs');
  const three = buildPreferencePairs([many], { ...settings, maxPairsPerInstruction: 3 });
  assert.equal(three.pairs.length, 3);
});

test('identical texts are dropped with or without length balancing', () => {
  const same = [{ id: 'a', text: 'A cat.', score: 0 }, { id: 'b', text: ' A cat. ', score: -1 }];
  for (const lengthBalance of [true, false]) {
    const res = buildPreferencePairs([{ instructionId: 'q', responses: same }], { ...settings, lengthBalance });
    assert.deepEqual(outcomes(res), ['q:a-b:identical-text']);
    assert.deepEqual(res.pairs, []);
    assert.equal(res.balance === undefined, !lengthBalance);
  }
});

test('length balancing runs across instructions and marks its drops', () => {
  // q1: chosen 11 vs rejected 10 words; q2: chosen 5 vs 10. Alone q1 gives objective 0.1 at r = 0;
  // both together (r >= 0.5) give |8 - 10| / 10 = 0.2, so r = 0 wins and q2's pair is dropped.
  const res = buildPreferencePairs([
    { instructionId: 'q1', responses: [r('a', 0, 11), r('b', -1, 10)] },
    { instructionId: 'q2', responses: [r('c', 0, 5), r('d', -2, 10)] },
  ], settings);
  assert.deepEqual(outcomes(res), ['q1:a-b:kept', 'q2:c-d:length-balance']);
  assert.equal(res.balance!.ratio, 0);
  assert.equal(res.balance!.sweep[25]!.objective, 0.2);
  const off = buildPreferencePairs([
    { instructionId: 'q1', responses: [r('a', 0, 11), r('b', -1, 10)] },
    { instructionId: 'q2', responses: [r('c', 0, 5), r('d', -2, 10)] },
  ], { ...settings, lengthBalance: false });
  assert.equal(off.pairs.length, 2);
});

test('empty answers that were scored still pair, and are guarded in balancing', () => {
  const res = buildPreferencePairs([{ instructionId: 'q', responses: [{ id: 'a', text: 'A b c.', score: 0 }, { id: 'b', text: '', score: -1 }] }], settings);
  assert.deepEqual(outcomes(res), ['q:a-b:kept']);
  assert.equal(res.balance!.fallback, true);
});

test('the diff threshold applies', () => {
  const res = buildPreferencePairs([{ instructionId: 'q', responses: [r('a', 0), r('b', -1), r('c', -2)] }], { ...settings, diff: 2 });
  assert.deepEqual(outcomes(res), ['q:a-b:score-tie', 'q:a-c:kept', 'q:b-c:score-tie']);
});

test('duplicate instructions or response ids are refused with the id', () => {
  assert.throws(() => buildPreferencePairs([{ instructionId: 'q', responses: [] }, { instructionId: 'q', responses: [] }], settings), /'q' appears twice/);
  assert.throws(() => buildPreferencePairs([{ instructionId: 'q', responses: [r('a', 0), r('a', -1)] }], settings), /same id/);
});
