/** The audit page's pure helpers, imported as the page imports them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementText, findClaimSpans, finalAccepted, imageScale, isDisputed, roundedPercent, plural, prob, rowMatches, sameQuestion } from './helpers.ts';

test('the page helpers: claim spans, final verdict, disputes, agreement text', () => {
  const text = 'A red circle. a red circle. There is A RED CIRCLE.';
  const claims = [{ claim: 'a red circle.' }, { claim: 'A red circle.' }, { claim: 'a red circle.' }, { claim: 'not there' }, { claim: '  ' }];
  const got = findClaimSpans(text, claims).map((s) => [s.start, s.end, s.claim.claim]);
  // exact match first (at 14), then exact (at 0), then case-insensitive at the first free place (at 37).
  assert.deepEqual(got, [[0, 13, 'A red circle.'], [14, 27, 'a red circle.'], [37, 50, 'a red circle.']]);
  assert.equal(findClaimSpans(text, claims)[1]!.claim, claims[0], 'each span carries its claim object');
  assert.equal(findClaimSpans('İx', [{ claim: 'x' }]).length, 1, 'text whose lower case changes length still matches exactly');

  assert.equal(finalAccepted({ labelerAccepted: true }), true);
  assert.equal(finalAccepted({ labelerAccepted: true, human: 'no' }), false);
  assert.equal(finalAccepted({ labelerAccepted: false, human: 'yes' }), true);
  assert.equal(isDisputed({ labelerAccepted: true, human: 'no', truth: true }), true, 'the person wins over the truth');
  assert.equal(isDisputed({ labelerAccepted: true, human: 'yes', truth: false }), false);
  assert.equal(isDisputed({ labelerAccepted: true, truth: false }), true);
  assert.equal(isDisputed({ labelerAccepted: true, truth: null }), false);
  assert.equal(isDisputed({ labelerAccepted: false }), false);
  assert.equal(agreementText({ judged: 30, agree: 29, rate: 29 / 30 }), 'labeler agrees with you on 29 of 30 answered questions (96.7%)');
  assert.equal(agreementText({ judged: 1, agree: 1, rate: 1 }), 'labeler agrees with you on 1 of 1 answered question (100%)');
  assert.match(agreementText({ judged: 0, agree: 0, rate: null }), /on 0 of 0 answered questions/);
  const row = { pairs: 0, disputed: 2, judged: 0 };
  assert.deepEqual(['all', 'pairs', 'disputed', 'unjudged'].map((f) => rowMatches(row, f)), [true, false, true, true]);
});

test('the page formats rates, probabilities and counts, and compares questions as the server keys them', () => {
  assert.deepEqual([roundedPercent(0.96667), roundedPercent(1), roundedPercent(0), roundedPercent(null), roundedPercent(NaN)], ['96.7%', '100%', '0%', '–', '–']);
  assert.deepEqual([prob(0.12345), prob(1), prob(undefined)], ['0.123', '1.000', '–']);
  assert.deepEqual([plural(0, 'pair'), plural(1, 'pair'), plural(2, 'claim')], ['0 pairs', '1 pair', '2 claims']);
  assert.equal(sameQuestion(' Is there a cube? ', 'Is there a cube?'), true);
  assert.equal(sameQuestion('Is there a cube?', 'Is there a Cube?'), false);
});

test('images scale by a whole number into the box, never below 1x', () => {
  assert.equal(imageScale(16, 12, 192), 12);
  assert.equal(imageScale(100, 30, 192), 1);
  assert.equal(imageScale(500, 500, 192), 1, 'a large image is not shrunk');
  assert.equal(imageScale(64, 64, 192), 3);
});
