import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nonEmptyClaims } from '../divide/claims.ts';
import { scoreResponse, verdictsFromYesNo, type ResponseScore } from './score.ts';
import { scoreCandidates } from './stage.ts';

const table: Array<[string, boolean[] | undefined, number, ResponseScore]> = [
  ['all accepted scores 0', [true, true], 2, { score: 0 }],
  ['two of three rejected', [true, false, false], 3, { score: -2 }],
  ['one claim, rejected', [false], 1, { score: -1 }],
  ['no claims, no verdicts', [], 0, { score: undefined, reason: 'no-claims' }],
  ['no claims, verdicts missing', undefined, 0, { score: undefined, reason: 'no-claims' }],
  ['no claims wins over a stray verdict', [true], 0, { score: undefined, reason: 'no-claims' }],
  ['verdicts missing (convert mismatch)', undefined, 2, { score: undefined, reason: 'verdict-mismatch' }],
  ['fewer verdicts than claims', [true], 2, { score: undefined, reason: 'verdict-mismatch' }],
  ['more verdicts than claims', [true, true, false], 2, { score: undefined, reason: 'verdict-mismatch' }],
];
for (const [name, verdicts, count, expected] of table) {
  test(`scoreResponse: ${name}`, () => assert.deepEqual(scoreResponse(verdicts, count), expected));
}

test('a perfect score is +0, not -0', () => {
  assert.ok(Object.is(scoreResponse([true], 1).score, 0));
});

test('claimCount must be a count', () => {
  assert.throws(() => scoreResponse([], -1), /non-negative integer .* got -1/);
  assert.throws(() => scoreResponse([], 1.5), /got 1\.5/);
});

test('verdicts use the accept rule of the model specification: a tie rejects', () => {
  assert.deepEqual(verdictsFromYesNo([{ yes: 0.6, no: 0.4 }, { yes: 0.5, no: 0.5 }, { yes: 0.1, no: 0.2 }]), [true, false, false]);
});

test('blank claims do not count: 3 claims with one blank need exactly 2 verdicts', () => {
  const claims = ['A cat.', '  ', 'A mat.'];
  assert.deepEqual(scoreResponse([true, false], nonEmptyClaims(claims).length), { score: -1 });
  assert.deepEqual(scoreResponse([true, false, true], nonEmptyClaims(claims).length), { score: undefined, reason: 'verdict-mismatch' });
});

test('the official rule: two claims asked as the same question leave the response unscored; other reasons come first', () => {
  const table: Array<[string, boolean[] | undefined, number, string[] | undefined, ResponseScore]> = [
    ['a repeated question', [true, false, true], 3, ['Is A?', 'Is B?', 'Is A?'], { score: undefined, reason: 'duplicate-questions' }],
    ['distinct questions', [true, false, true], 3, ['Is A?', 'Is B?', 'Is C?'], { score: -1 }],
    ['questions that differ only in case are distinct, as in the official lookup', [true, false], 2, ['Is A?', 'is A?'], { score: -1 }],
    ['no questions given (keep): scored as before', [true, false], 2, undefined, { score: -1 }],
    ['no claims first', [], 0, [], { score: undefined, reason: 'no-claims' }],
    ['a verdict mismatch first', [true], 2, ['Is A?', 'Is A?'], { score: undefined, reason: 'verdict-mismatch' }],
  ];
  for (const [name, verdicts, count, questions, expected] of table) assert.deepEqual(scoreResponse(verdicts, count, questions), expected, name);
});

test("scoreCandidates: 'drop' leaves a response with a repeated question unscored (its verdicts still counted), 'keep' scores it", () => {
  const divisions = [{ claims: ['A red circle.', 'There is a red circle.'] }, { claims: ['A red circle.', 'A blue star.'] }];
  const questions = [['Is there a red circle?', 'Is there a red circle?'], ['Is there a red circle?', 'Is there a blue star?']];
  const labels = [[{ yes: 0.9, no: 0.1 }, { yes: 0.9, no: 0.1 }], [{ yes: 0.9, no: 0.1 }, { yes: 0.2, no: 0.8 }]];
  assert.deepEqual(scoreCandidates(divisions, questions, labels, 'drop'), [
    { score: undefined, reason: 'duplicate-questions', claims: 2, accepted: 2 },
    { score: -1, claims: 2, accepted: 1 },
  ]);
  assert.deepEqual(scoreCandidates(divisions, questions, labels, 'keep'), [{ score: 0, claims: 2, accepted: 2 }, { score: -1, claims: 2, accepted: 1 }]);
});
