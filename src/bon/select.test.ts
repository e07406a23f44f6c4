import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pick, rlaifvReward, SELECTORS, type ScoredCandidate } from './select.ts';

const cand = (policySum: number, referenceSum: number, tokens: number): ScoredCandidate => ({ policy: { sum: policySum, tokens }, reference: { sum: referenceSum, tokens } });
const ctx = { beta: 0.1, key: 'q1' };

test('the RLAIF-V reward is β/T times the summed log-ratio, by hand', () => {
  // (0.1 / 4) * (-6 - -10) = 0.025 * 4 = 0.1
  assert.equal(rlaifvReward(cand(-6, -10, 4), 0.1), 0.1);
  // (0.5 / 2) * (-3 - -2) = 0.25 * -1 = -0.25
  assert.equal(rlaifvReward(cand(-3, -2, 2), 0.5), -0.25);
  assert.throws(() => rlaifvReward({ policy: { sum: -1, tokens: 3 }, reference: { sum: -1, tokens: 4 } }, 0.1), /must score the same tokens/);
});

test('each selector on crafted candidates: the reward, the unnormalised sum, both perplexities', () => {
  const candidates = [
    cand(-20, -24, 20), // reward 0.1*4/20 = 0.02; sum 0.4; policy mean -1.0; reference mean -1.2
    cand(-2, -3, 2), //    reward 0.1*1/2 = 0.05; sum 0.1; policy mean -1.0; reference mean -1.5
    cand(-9, -12, 10), //  reward 0.1*3/10 = 0.03; sum 0.3; policy mean -0.9; reference mean -1.2
    cand(-11, -10, 10), // reward -0.01;          sum -0.1; policy mean -1.1; reference mean -1.0
  ];
  assert.equal(pick('reward', candidates, 4, ctx), 1);
  assert.equal(pick('sum', candidates, 4, ctx), 0, 'the long answer has the largest summed ratio');
  assert.equal(pick('policyPerplexity', candidates, 4, ctx), 2);
  assert.equal(pick('referencePerplexity', candidates, 4, ctx), 3);
  // Ties go to the earlier candidate: candidates 0 and 1 have the same policy mean (-1.0).
  assert.equal(pick('policyPerplexity', candidates, 2, ctx), 0);
});

test('the prefix property: the pick at N is the best among the first N samples, for every selector', () => {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const candidates = Array.from({ length: 64 }, () => {
    const tokens = 1 + Math.floor(next() * 40);
    return cand(-tokens * (0.5 + next()), -tokens * (0.5 + next()), tokens);
  });
  for (const selector of SELECTORS) {
    for (const n of [1, 2, 4, 8, 16, 32, 64]) {
      const i = pick(selector, candidates, n, ctx);
      assert.ok(i >= 0 && i < n, `${selector} at N=${n} picked ${i}`);
      if (selector === 'random') continue;
      // Picking from the prefix alone gives the same index.
      assert.equal(pick(selector, candidates.slice(0, n), n, ctx), i);
    }
  }
  assert.equal(pick('random', candidates, 8, ctx), pick('random', candidates, 8, ctx), 'the random pick is reproducible');
  assert.throws(() => pick('reward', candidates, 65, ctx), /needs 1\.\.64 candidates/);
});
