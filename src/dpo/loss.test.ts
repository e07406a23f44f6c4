import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine, tf } from '../tensor/tf.ts';
import { dpoLoss, dpoLossNumbers, negLogSigmoidNumber } from './loss.ts';
import { sequenceLogProbs } from './sequence.ts';

before(async () => { await initEngine(); });

const near = (a: number, b: number, tol = 1e-5, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const t1 = (xs: number[]) => tf.tensor1d(xs);

test('policy == reference: loss ln 2, every reward 0, accuracy 0 (no strict win)', () => {
  const pc = [-12.5, -3, -40];
  const pr = [-11, -9.25, -2];
  const out = dpoLoss(t1(pc), t1(pr), t1(pc), t1(pr), 0.1);
  for (const v of out.losses.dataSync()) near(v, Math.LN2, 1e-6, 'loss');
  for (const v of [...out.chosenRewards.dataSync(), ...out.rejectedRewards.dataSync()]) assert.equal(v, 0);
  tf.dispose(out);
  const n = dpoLossNumbers(pc, pr, pc, pr, 0.1).metrics;
  near(n.loss, Math.LN2, 1e-12, 'number loss');
  assert.deepEqual([n['rewards/chosen'], n['rewards/rejected'], n['rewards/margins'], n['rewards/accuracies']], [0, 0, 0, 0]);
});

test('a table of margins: loss = log(1 + exp(-beta*delta)), rewards and accuracy by hand', () => {
  // [pi_c, pi_r, ref_c, ref_r, beta] -> delta = (pi_c - ref_c) - (pi_r - ref_r)
  const rows: Array<[number, number, number, number, number, number]> = [
    // pc, pr, rc, rr, beta, expected loss
    [-10, -20, -10, -10, 0.1, Math.log(1 + Math.exp(-1))], // delta 10, beta*delta 1
    [-10, -10, -12, -10, 0.5, Math.log(1 + Math.exp(-1))], // chosen rose by 2: delta 2
    [-15, -5, -10, -10, 0.1, Math.log(1 + Math.exp(1))], // chosen fell, rejected rose: delta -10
    [-1, -1000, -1, -1, 1, Math.log1p(Math.exp(-999))], // rejected fell by 999: loss ~ 0, no underflow trouble
  ];
  for (const [pc, pr, rc, rr, beta, expected] of rows) {
    const out = dpoLoss(t1([pc]), t1([pr]), t1([rc]), t1([rr]), beta);
    near(out.losses.dataSync()[0]!, expected, 1e-5, `loss of ${[pc, pr, rc, rr, beta]}`);
    near(out.chosenRewards.dataSync()[0]!, beta * (pc - rc), 1e-5, 'chosen reward');
    near(out.rejectedRewards.dataSync()[0]!, beta * (pr - rr), 1e-5, 'rejected reward');
    tf.dispose(out);
    near(dpoLossNumbers([pc], [pr], [rc], [rr], beta).losses[0]!, expected, 1e-9, 'number twin');
  }
  const m = dpoLossNumbers([-10, -15], [-20, -5], [-10, -10], [-10, -10], 0.1).metrics;
  near(m['rewards/chosen'], (0 + -0.5) / 2, 1e-12, 'mean chosen reward');
  near(m['rewards/rejected'], (-1 + 0.5) / 2, 1e-12, 'mean rejected reward');
  near(m['rewards/margins'], (1 + -1) / 2, 1e-12, 'mean margin');
  assert.equal(m['rewards/accuracies'], 0.5);
});

test('stable for large |beta*delta|: no Infinity or NaN, value ~ |x| on the losing side', () => {
  const out = dpoLoss(t1([-1e4, 0]), t1([0, -1e4]), t1([0, 0]), t1([0, 0]), 1);
  const [lose, win] = out.losses.dataSync();
  near(lose!, 1e4, 1e-2, 'losing side');
  near(win!, 0, 1e-6, 'winning side');
  tf.dispose(out);
  assert.equal(negLogSigmoidNumber(-800), 800);
  assert.equal(negLogSigmoidNumber(800), 0);
});

test('gradient w.r.t. the policy log-probs is -beta*sigmoid(-beta*delta) (chosen) and the opposite (rejected), also at delta = 0', () => {
  const beta = 0.1;
  for (const [pc, pr, rc, rr] of [[-5, -5, -5, -5], [-3, -9, -4, -6], [-20, -1, -10, -10]] as const) {
    const delta = (pc - rc) - (pr - rr);
    const expected = -beta / (1 + Math.exp(beta * delta)); // -beta * sigmoid(-beta*delta)
    const gC = tf.grad((x: tf.Tensor) => dpoLoss(x as tf.Tensor1D, t1([pr]), t1([rc]), t1([rr]), beta).losses.sum())(t1([pc]));
    const gR = tf.grad((x: tf.Tensor) => dpoLoss(t1([pc]), x as tf.Tensor1D, t1([rc]), t1([rr]), beta).losses.sum())(t1([pr]));
    near(gC.dataSync()[0]!, expected, 1e-6, `d loss / d pi_c at delta ${delta}`);
    near(gR.dataSync()[0]!, -expected, 1e-6, `d loss / d pi_r at delta ${delta}`);
    tf.dispose([gC, gR]);
  }
});

test('SFT term: mean NLL per chosen token, weighted, 0 by default', () => {
  const base = dpoLossNumbers([-12], [-9], [-12], [-9], 0.1).losses[0]!;
  near(base, Math.LN2, 1e-12, 'no SFT by default');
  const withSft = dpoLossNumbers([-12], [-9], [-12], [-9], 0.1, { sftWeight: 0.5, chosenTokens: [4] }).losses[0]!;
  near(withSft, Math.LN2 + 0.5 * 3, 1e-12, 'ln2 + 0.5 * 12/4');
  const out = dpoLoss(t1([-12]), t1([-9]), t1([-12]), t1([-9]), 0.1, { sftWeight: 0.5, chosenTokens: [4] });
  near(out.losses.dataSync()[0]!, withSft, 1e-5, 'tensor and number agree');
  tf.dispose(out);
});

test('sequence log-probs: summed by default, averaged per scored token on request', () => {
  const tok = tf.tensor2d([[-1, -2, 0, 0], [-0.5, -0.5, -0.5, -0.5]]);
  assert.deepEqual([...sequenceLogProbs(tok, [2, 4], 'sum').dataSync()], [-3, -2]);
  assert.deepEqual([...sequenceLogProbs(tok, [2, 4], 'mean').dataSync()], [-1.5, -0.5]);
  tok.dispose();
});
