import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapYesNo, yesNoMetrics } from './discriminative.ts';
import { scoreAmber } from './score.ts';
import { allNouns, tinyData, upstreamSeeds } from './testing.ts';

test('first-word mapping: first run of letters, case-folded', () => {
  assert.equal(mapYesNo('Yes'), 'Yes');
  assert.equal(mapYesNo('  yes, there is a dog.'), 'Yes');
  assert.equal(mapYesNo('NO.'), 'No');
  assert.equal(mapYesNo('"No" - nothing there'), 'No');
  assert.equal(mapYesNo('There is no dog.'), null);
  assert.equal(mapYesNo('Yesterday'), null);
  assert.equal(mapYesNo('Nope'), null);
  assert.equal(mapYesNo(''), null);
});

test('exact mapping is upstream\'s literal comparison', () => {
  assert.equal(mapYesNo('Yes', 'exact'), 'Yes');
  assert.equal(mapYesNo('No', 'exact'), 'No');
  assert.equal(mapYesNo('no', 'exact'), null);
  assert.equal(mapYesNo('Yes.', 'exact'), null);
});

const existence = { type: 'discriminative-hallucination' as const, truth: 'no' as const };
const stateYes = { type: 'discriminative-attribute-state' as const, truth: 'yes' as const };
const stateNo = { type: 'discriminative-attribute-state' as const, truth: 'no' as const };

test('accuracy, precision, recall, F1 with "No" as the positive class; unmapped answers are wrong and never "No"', () => {
  const data = tinyData({ annotations: [stateYes, stateYes, stateNo, stateNo, stateNo], relation: {} });
  const answers = [
    { id: 1, response: 'Yes' }, // truth yes, right
    { id: 2, response: 'No' }, // truth yes, wrong: a false "No"
    { id: 3, response: 'No.' }, // truth no, right
    { id: 4, response: 'I cannot tell' }, // truth no, unmapped: wrong, not a "No"
    { id: 5, response: 'Yes' }, // truth no, wrong
  ];
  const r = scoreAmber(data, answers, allNouns);
  // Accuracy = 2 / 5.001 = 39.992 -> 40.0; Precision = 1 / (2 No answers + 0.001) = 49.975 -> 50.0;
  // Recall = 1 / (3 truth-no + 0.001) = 33.322 -> 33.3; F1 = 2*.5*.333 / (.5 + .333 + .0001) = 39.9712 -> 40.0.
  assert.deepEqual([r.accuracy, r.precision, r.recall, r.f1], [40, 50, 33.3, 40]);
  assert.equal(r.unmapped, 1);
  assert.deepEqual(r.byType.state, { accuracy: 40, precision: 50, recall: 33.3, f1: 40, n: 5, unmapped: 1 });
  // The pooled attribute dimension carries three seeds (state + number + action, 0.001 each):
  // Accuracy = 2 / 5.003 = 39.976 -> 40.0; P = 1 / 2.003 = 49.925 -> 49.9; R = 1 / 3.003 = 33.30 -> 33.3;
  // F1 = 2*.499*.333 / (.499+.333+.0001) = .332334 / .8321 = 0.39939 -> 39.9.
  assert.deepEqual(r.byType.attribute, { accuracy: 40, precision: 49.9, recall: 33.3, f1: 39.9, n: 5, unmapped: 1 });
  assert.equal(r.byType.existence, null);
  assert.equal(r.chair, null);
  // With upstream's exact mapping, `No.` is unmapped too: correct 1 of 5 -> 1/5.001 = 19.996 -> 20.0.
  assert.equal(scoreAmber(data, answers, allNouns, { answerMapping: 'exact' }).accuracy, 20);
});

test('F1 comes from the ROUNDED precision and recall', () => {
  const c = { ...upstreamSeeds(), qa_ans_no_score: 1, qa_ans_no_num: 1.001, qa_no_score: 1, qa_no_num: 3.001, qa_correct_score: 1, qa_correct_num: 3.001 };
  const m = yesNoMetrics(c, ['']);
  // P = 1/1.001 = 99.9001 -> 99.9; R = 1/3.001 = 33.322 -> 33.3.
  // From rounded: 2*.999*.333 / (.999+.333+.0001) = .665334 / 1.3321 = 0.499462 -> 49.9.
  // From the unrounded P and R it would be .666001 / 1.33243 = 0.49984 -> 50.0.
  assert.deepEqual(m, { accuracy: 33.3, precision: 99.9, recall: 33.3, f1: 49.9 });
});

test('existence F1 adds 0.001 to the denominator, the others 0.0001', () => {
  // P = 1 / 2.001 = 49.975 -> 50.0; R = 251 / 500.001 = 50.1999 -> 50.2.
  const c = { ...upstreamSeeds(), ha_qa_ans_no_score: 1, ha_qa_ans_no_num: 2.001, ha_qa_no_score: 251, ha_qa_no_num: 500.001 };
  // 2*.5*.502 / (.5+.502+.001) = .502 / 1.003 = 0.500499 -> 50.0
  assert.equal(yesNoMetrics(c, ['ha_'], 0.001).f1, 50);
  // 2*.5*.502 / (.5+.502+.0001) = .502 / 1.0021 = 0.500948 -> 50.1
  assert.equal(yesNoMetrics(c, ['ha_'], 0.0001).f1, 50.1);
});

test('existence metrics in scoreAmber use the 0.001 epsilon', () => {
  // 1 existence question (truth no) answered No: P = 1/1.001 = 99.9, R = 99.9;
  // F1 = 2*.999*.999 / (1.998 + .001) = 1.996002 / 1.999 = 0.998500 -> 99.9 (would be 99.9945... -> 99.9 too with .0001)
  const data = tinyData({ annotations: [existence], relation: {} });
  const r = scoreAmber(data, [{ id: 1, response: 'no' }], allNouns);
  assert.deepEqual(r.byType.existence, { accuracy: 99.9, precision: 99.9, recall: 99.9, f1: 99.9, n: 1, unmapped: 0 });
});

test('the attribute dimension pools state, number and action counters, seeds included (0.003 in each denominator)', () => {
  const data = tinyData({
    annotations: [stateNo, { type: 'discriminative-attribute-number', truth: 'no' }, { type: 'discriminative-attribute-action', truth: 'yes' }],
    relation: {},
  });
  const r = scoreAmber(data, [{ id: 1, response: 'No' }, { id: 2, response: 'Yes' }, { id: 3, response: 'Yes' }], allNouns);
  // Accuracy = (1 + 0 + 1) / (1.001 + 1.001 + 1.001) = 2 / 3.003 = 66.60 -> 66.6
  // Precision = (1 + 0 + 0) / (1.001 + 0.001 + 0.001) = 1 / 1.003 = 99.70 -> 99.7
  // Recall = (1 + 0 + 0) / (1.001 + 1.001 + 0.001) = 1 / 2.003 = 49.93 -> 49.9
  // F1 = 2*.997*.499 / (.997+.499+.0001) = .995006 / 1.4961 = 0.66506 -> 66.5
  assert.deepEqual(r.byType.attribute, { accuracy: 66.6, precision: 99.7, recall: 49.9, f1: 66.5, n: 3, unmapped: 0 });
  // Each sub-type alone: number has no "No" answer: P = 0 / 0.001 = 0, F1 = 0 / (0 + 0 + .0001) = 0.
  assert.deepEqual(r.byType.number, { accuracy: 0, precision: 0, recall: 0, f1: 0, n: 1, unmapped: 0 });
});

test('relation pools the types discriminative-relation and relation', () => {
  const data = tinyData({ annotations: [{ type: 'discriminative-relation', truth: 'yes' }, { type: 'relation', truth: 'no' }], relation: {} });
  const r = scoreAmber(data, [{ id: 1, response: 'Yes' }, { id: 2, response: 'No' }], allNouns);
  // Accuracy = 2 / 2.001 = 99.95 -> 100.0; P = 1/1.001 -> 99.9; R = 1/1.001 -> 99.9; F1 = 1.996002/(1.998+.0001) = 0.99900 -> 99.9
  assert.deepEqual(r.byType.relation, { accuracy: 100, precision: 99.9, recall: 99.9, f1: 99.9, n: 2, unmapped: 0 });
});
