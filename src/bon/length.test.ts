import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lengthBias, pearson } from './length.ts';
import type { ScoredCandidate } from './select.ts';

/** A candidate whose every token has log-ratio `perToken` (policy minus reference). */
const cand = (tokens: number, perToken: number): ScoredCandidate => ({ policy: { sum: (-1 + perToken) * tokens, tokens }, reference: { sum: -tokens, tokens } });

test('pearson by hand, and null where a side does not vary', () => {
  // x 1,2,3 mean 2; y 2,4,5 mean 11/3: sxy = 3, sxx = 2, syy = 14/3 -> 3 / sqrt(28/3) = 0.98198
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 5])! - 3 / Math.sqrt(28 / 3)) < 1e-12);
  assert.equal(pearson([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(pearson([4, 4, 4], [1, 2, 3]), null);
  assert.equal(pearson([1, 2, 3], [5, 5, 5]), null);
});

test('a negative per-token ratio makes the sum prefer short candidates while the reward ignores length', () => {
  // Per-token ratio -0.25 or -0.5 in alternation, lengths 10..40: the reward depends only on the ratio.
  const prompt = (offset: number) => [10, 20, 30, 40].map((t, i) => cand(t + offset, (i + offset) % 2 === 0 ? -0.25 : -0.5));
  const bias = lengthBias([prompt(0), prompt(1)], 0.1);
  // β × the summed ratios: prompt 0 -0.25 -1 -0.75 -2, prompt 1 -0.55 -0.525 -1.55 -1.025.
  const s0 = pearson([10, 20, 30, 40], [-0.25, -1, -0.75, -2])!;
  const s1 = pearson([11, 21, 31, 41], [-0.55, -0.525, -1.55, -1.025])!;
  assert.ok(Math.abs(bias.lengthCorrelation.sum! - (s0 + s1) / 2) < 1e-12);
  assert.ok(bias.lengthCorrelation.sum! < -0.7, `sum correlation ${bias.lengthCorrelation.sum}`);
  // Within each prompt the reward alternates between two values over evenly spaced lengths.
  const r0 = pearson([10, 20, 30, 40], [-0.025, -0.05, -0.025, -0.05])!;
  const r1 = pearson([11, 21, 31, 41], [-0.05, -0.025, -0.05, -0.025])!;
  assert.ok(Math.abs(bias.lengthCorrelation.reward! - (r0 + r1) / 2) < 1e-12);
  // Ratio sum over tokens: prompt 0 -2.5 -10 -7.5 -20 = -40 over 100; prompt 1 -5.5 -5.25 -15.5 -10.25 = -36.5 over 104.
  assert.ok(Math.abs(bias.meanTokenLogRatio - (-40 - 36.5) / 204) < 1e-12);
  // Lengths 10, 20, 30, 40: population SD sqrt(125) in both prompts.
  assert.ok(Math.abs(bias.lengthSd - Math.sqrt(125)) < 1e-12);
});

test('prompts whose candidates share one length are left out of the correlation; all such prompts give null', () => {
  const sameLength = [cand(12, -0.1), cand(12, -0.3)];
  assert.deepEqual(lengthBias([sameLength], 0.1).lengthCorrelation, { reward: null, sum: null });
  const varied = [cand(5, -0.5), cand(15, -0.5)];
  const bias = lengthBias([sameLength, varied], 0.1);
  assert.equal(bias.lengthCorrelation.sum, -1);
  assert.equal(bias.lengthCorrelation.reward, null, 'the reward is the same for both varied candidates');
  assert.equal(lengthBias([], 0.1).meanTokenLogRatio, 0);
});
