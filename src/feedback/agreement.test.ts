import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../util/temp-dir.ts';
import { cohenKappa, feedbackAgreement, krippendorffAlpha } from './agreement.ts';
import { FeedbackStore, verdictKey } from './store.ts';

const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

test('Cohen\'s kappa, by hand', () => {
  // a = y y n n, b = y n n n: they agree on items 1, 3, 4, so p_o = 3/4.
  // a says y 2/4, n 2/4; b says y 1/4, n 3/4: p_e = (2/4)(1/4) + (2/4)(3/4) = 2/16 + 6/16 = 1/2.
  // kappa = (3/4 - 1/2) / (1 - 1/2) = (1/4) / (1/2) = 0.5
  close(cohenKappa(['y', 'y', 'n', 'n'], ['y', 'n', 'n', 'n']), 0.5, 'two of four');
  // Always opposite on a 50/50 split: p_o = 0, p_e = (1/2)(1/2) + (1/2)(1/2) = 1/2, kappa = (0 - 1/2) / (1/2) = -1.
  close(cohenKappa(['y', 'n'], ['n', 'y']), -1, 'opposite');
  // Three values: a = 1 2 3 1 2 3, b = 1 2 3 1 2 1: p_o = 5/6;
  // p_e = (2/6)(3/6) + (2/6)(2/6) + (2/6)(1/6) = (6 + 4 + 2) / 36 = 1/3; kappa = (5/6 - 1/3) / (2/3) = (1/2) / (2/3) = 0.75
  close(cohenKappa(['1', '2', '3', '1', '2', '3'], ['1', '2', '3', '1', '2', '1']), 0.75, 'three values');
  close(cohenKappa(['y', 'n'], ['y', 'n']), 1, 'perfect');
  assert.equal(cohenKappa([], []), null, 'no items');
  assert.equal(cohenKappa(['y', 'y'], ['y', 'y']), null, 'p_e = 1: chance agreement is certain');
  assert.throws(() => cohenKappa(['y'], []), RangeError);
});

test('Krippendorff\'s alpha, nominal and interval, by hand', () => {
  // Units {y,y}, {n,n}, {y,n}: each has m_u = 2, so each ordered pair of values adds 1/(2-1) = 1.
  // o[y][y] = 2, o[n][n] = 2, o[y][n] = o[n][y] = 1; n_y = 3, n_n = 3, n = 6.
  // D_o = (1/6)(o[y][n] + o[n][y]) = 2/6 = 1/3; D_e = (n_y n_n + n_n n_y) / (6 * 5) = 18/30 = 3/5.
  // alpha = 1 - (1/3) / (3/5) = 1 - 5/9 = 4/9
  close(krippendorffAlpha([['y', 'y'], ['n', 'n'], ['y', 'n']], 'nominal'), 4 / 9, 'nominal');
  // Three coders on one unit {a,a,b} and two on {b,b}; a lone value {a} is ignored.
  // Unit 1: m_u = 3, each ordered pair adds 1/2: pairs (a,a) x2 -> o[a][a] = 1; (a,b) x2 and (b,a) x2 -> o[a][b] = o[b][a] = 1.
  // Unit 2: o[b][b] += 2. n_a = 2, n_b = 1 + 2 = 3, n = 5.
  // D_o = (1 + 1) / 5 = 2/5; D_e = (2*3 + 3*2) / (5 * 4) = 12/20 = 3/5; alpha = 1 - (2/5)/(3/5) = 1/3
  close(krippendorffAlpha([['a', 'a', 'b'], ['b', 'b'], ['a']], 'nominal'), 1 / 3, 'three coders, a lone value');
  // Interval: units {1,2}, {4,5}: o[1][2] = o[2][1] = o[4][5] = o[5][4] = 1, each n_c = 1, n = 4.
  // D_o = (1/4)(4 * 1^2) = 1. D_e = (1/(4*3)) * sum over ordered pairs of distinct values of (c-k)^2
  //   = (2/12) * [(1-2)^2 + (1-4)^2 + (1-5)^2 + (2-4)^2 + (2-5)^2 + (4-5)^2] = (1/6)(1 + 9 + 16 + 4 + 9 + 1) = 40/6.
  // alpha = 1 - 1 / (40/6) = 1 - 6/40 = 0.85
  close(krippendorffAlpha([[1, 2], [4, 5]], 'interval'), 0.85, 'interval');
  // The same data read as nominal: every unit disagrees, alpha = 1 - D_o/D_e with D_o = 1 and
  // D_e = (4*4 - 4) / 12 = 1 (every pair of the four distinct values differs) -> 0.
  close(krippendorffAlpha([[1, 2], [4, 5]], 'nominal'), 0, 'nominal on the same values');
  assert.equal(krippendorffAlpha([['y'], ['n']], 'nominal'), null, 'no unit with two values');
  assert.equal(krippendorffAlpha([['y', 'y'], ['y', 'y']], 'nominal'), null, 'D_e = 0: one value throughout');
  assert.throws(() => krippendorffAlpha([[1, 'x']], 'interval'), RangeError);
});

test('Krippendorff\'s alpha: the reliability data of Krippendorff (2011), "Computing Krippendorff\'s alpha-reliability", 4 coders, 12 units with missing values', () => {
  // Coders A..D by unit 1..12 (null: the coder did not code the unit). The paper gives alpha
  // nominal = 0.743 and interval = 0.849 (units 1-11 pairable, 40 pairable values; unit 12 has one).
  const N = null;
  const coders = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
  ];
  const units = coders[0]!.map((_, u) => coders.map((c) => c[u]).filter((v): v is number => v !== null));
  assert.equal(Number(krippendorffAlpha(units, 'nominal')!.toFixed(3)), 0.743);
  assert.equal(Number(krippendorffAlpha(units, 'interval')!.toFixed(3)), 0.849);
});

test('feedbackAgreement: between people per kind, labeler vs majority, accuracy vs truth, per-person counts', () => {
  const dir = tempDir('rlaifv-fb-agree-');
  const store = FeedbackStore.open(dir);
  const [a, b, c] = ['Ann', 'Bob', 'Cy'].map((n) => store.invite(n, 'annotator').person.id) as [string, string, string];
  const v = (p: string, q: string, answer: 'yes' | 'no') => store.record(p, { kind: 'verdict', instructionId: 'i1', question: q, answer });
  // Ann and Bob: y y n n vs y n n n (kappa 0.5 by hand above); Cy answers Q1 only.
  v(a, 'Q1', 'yes'); v(a, 'Q2', 'yes'); v(a, 'Q3', 'no'); v(a, 'Q4', 'no');
  v(b, 'Q1', 'yes'); v(b, 'Q2', 'no'); v(b, 'Q3', 'no'); v(b, 'Q4', 'no');
  v(c, 'Q1', 'yes');
  store.record(a, { kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: 1 });
  store.record(b, { kind: 'rating', instructionId: 'i1', candidateId: 'c0', rating: 2 });
  store.record(a, { kind: 'rating', instructionId: 'i1', candidateId: 'c1', rating: 4 });
  store.record(b, { kind: 'rating', instructionId: 'i1', candidateId: 'c1', rating: 5 });
  store.record(a, { kind: 'pair', instructionId: 'i1', chosen: 'c0', rejected: 'c1', judgement: 'agree' });
  store.record(a, { kind: 'flag', instructionId: 'i1', badImage: true, badQuestion: false });
  store.record(b, { kind: 'done', instructionId: 'i1' }); // done without a flag: "false/false"
  store.record(a, { kind: 'comment', instructionId: 'i1', candidateId: null, text: 'hm' });
  store.record(b, { kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'a b', text: 'a c' });

  // Majority: Q1 yes 3:0, Q2 tie (left out), Q3 no, Q4 no. Labeler accepts Q1, Q3 (wrong on Q3), rejects Q4.
  const labeler = new Map([
    [verdictKey('i1', 'Q1'), { accepted: true, truth: true }],
    [verdictKey('i1', 'Q2'), { accepted: true, truth: false }],
    [verdictKey('i1', 'Q3'), { accepted: true, truth: false }],
    [verdictKey('i1', 'Q4'), { accepted: false, truth: null }],
  ]);
  const r = feedbackAgreement(store, labeler);
  const kind = (k: string) => r.people.find((x) => x.kind === k)!;
  // Verdicts: units Q1 {y,y,y}, Q2 {y,n}, Q3 {n,n}, Q4 {n,n}.
  // Q1 (m=3): o[y][y] += 6 * 1/2 = 3. Q2: o[y][n] = o[n][y] = 1. Q3, Q4: o[n][n] = 4.
  // n_y = 4, n_n = 5, n = 9. D_o = 2/9; D_e = 2 * 4 * 5 / (9 * 8) = 40/72 = 5/9; alpha = 1 - (2/9)/(5/9) = 3/5.
  assert.equal(kind('verdict').items, 4);
  close(kind('verdict').alpha, 3 / 5, 'verdict alpha');
  assert.deepEqual(kind('verdict').pairs.map((p) => [p.a, p.b, p.items]), [[a, b, 4], [a, c, 1], [b, c, 1]]);
  close(kind('verdict').pairs[0]!.kappa, 0.5, 'Ann vs Bob');
  assert.equal(kind('verdict').pairs[1]!.kappa, null, 'one item both said yes: p_e = 1');
  // Ratings {1,2}, {4,5}: interval alpha 0.85 (by hand above).
  close(kind('rating').alpha, 0.85, 'rating alpha');
  assert.deepEqual([kind('pair').items, kind('pair').alpha, kind('pair').pairs], [0, null, []]);
  // Flags: Ann "true/false", Bob "false/false" on i1: one unit that disagrees, alpha = 1 - 1/1 = 0 (n = 2: D_o = 2/2, D_e = 2/(2*1)).
  assert.equal(kind('flag').items, 1);
  close(kind('flag').alpha, 0, 'flag alpha');

  // Q1 agree (yes/accepted), Q3 disagree (no/accepted), Q4 agree (no/rejected); Q2 is a tie.
  assert.deepEqual(r.labelerVsMajority, { judged: 3, agree: 2, rate: 2 / 3 });
  // Truth known for Q1 (true), Q2 (false), Q3 (false). Ann: y y n -> Q1 ok, Q2 wrong, Q3 ok; Bob: y n n -> all 3; Cy: Q1 ok.
  assert.deepEqual(r.accuracyVsTruth, [
    { personId: a, name: 'Ann', checked: 3, correct: 2 },
    { personId: b, name: 'Bob', checked: 3, correct: 3 },
    { personId: c, name: 'Cy', checked: 1, correct: 1 },
  ]);
  assert.deepEqual(r.perPerson.find((p) => p.personId === a), { personId: a, name: 'Ann', role: 'annotator', verdicts: 4, ratings: 2, comments: 1, corrections: 0, pairs: 1, flags: 1, done: 0 });
  assert.deepEqual(r.perPerson.find((p) => p.personId === b), { personId: b, name: 'Bob', role: 'annotator', verdicts: 4, ratings: 2, comments: 0, corrections: 1, pairs: 0, flags: 0, done: 1 });

  const noTruth = feedbackAgreement(store, new Map([[verdictKey('i1', 'Q1'), { accepted: false }]]));
  assert.equal(noTruth.accuracyVsTruth, undefined, 'not a world run');
  assert.deepEqual(noTruth.labelerVsMajority, { judged: 1, agree: 0, rate: 0 });
  store.close();
});
