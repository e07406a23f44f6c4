/**
 * Best-of-N selection (docs/method.md §5): each candidate answer is scored under the aligned policy
 * π and the model it was trained from π_ref, over the answer's tokens only, and a selector picks
 * one. The RLAIF-V reward is the length-normalised log-ratio
 *   r(y) = (β / T) Σ_t [log π(y_t | x, y<t) - log π_ref(y_t | x, y<t)]
 * The other selectors are the baselines the paper compares it with. Every selector picks among the
 * first `n` candidates only, so the picks at smaller N come from the same samples (prefixes) as at
 * the largest, and a tie goes to the earlier candidate.
 */
import { deriveSeed, Rng } from '../util/rng.ts';

/** A candidate's summed log-probability and token count under one model (response tokens only). */
export interface ScoredUnder {
  sum: number;
  tokens: number;
}

export interface ScoredCandidate {
  policy: ScoredUnder;
  reference: ScoredUnder;
}

/** What a selector needs besides the candidates: β for the reward, and what seeds the random pick. */
export interface SelectContext {
  beta: number;
  /** Seeds the random selector per prompt, so the random pick at N is reproducible. */
  key: string;
}

/** A selector's score of one candidate; the highest wins. */
type Score = (c: ScoredCandidate, ctx: SelectContext) => number;

/** The RLAIF-V reward: β × the mean per-token log-ratio of policy to reference. */
export function rlaifvReward(c: ScoredCandidate, beta: number): number {
  if (c.policy.tokens !== c.reference.tokens) {
    throw new Error(`the policy scored ${c.policy.tokens} answer tokens and the reference ${c.reference.tokens}: both must score the same tokens (same tokenizer and chat template)`);
  }
  return c.policy.tokens === 0 ? 0 : (beta / c.policy.tokens) * (c.policy.sum - c.reference.sum);
}

const SCORES: Record<Exclude<Selector, 'random'>, Score> = {
  reward: (c, ctx) => rlaifvReward(c, ctx.beta),
  // β · Σ (log π - log π_ref) without the 1/T: it grows with the answer's length, so where the per-token
  // ratio is mostly negative (as after DPO, which lowers likelihoods) it favours short answers.
  sum: (c, ctx) => ctx.beta * (c.policy.sum - c.reference.sum),
  // Lowest perplexity wins: exp(-mean log-prob), so the highest mean log-prob.
  policyPerplexity: (c) => meanLogProb(c.policy),
  referencePerplexity: (c) => meanLogProb(c.reference),
};

export const SELECTORS = ['reward', 'sum', 'policyPerplexity', 'referencePerplexity', 'random'] as const;
export type Selector = (typeof SELECTORS)[number];

/** The score a (non-random) selector gives one candidate; the highest is picked. */
export function selectorScore(selector: Exclude<Selector, 'random'>, c: ScoredCandidate, ctx: SelectContext): number {
  return SCORES[selector](c, ctx);
}

/**
 * The index of the candidate `selector` picks among the first `n`.
 * @example
 * pick('reward', candidates, 4, { beta: 0.1, key: 'q17' }) // the best of candidates 0..3 by the RLAIF-V reward
 */
export function pick(selector: Selector, candidates: readonly ScoredCandidate[], n: number, ctx: SelectContext): number {
  if (!Number.isInteger(n) || n < 1 || n > candidates.length) throw new RangeError(`best-of-${n} needs 1..${candidates.length} candidates`);
  if (selector === 'random') return new Rng(deriveSeed('bon-random', ctx.key, n)).int(n);
  const score = SCORES[selector];
  let best = 0;
  let bestScore = score(candidates[0]!, ctx);
  for (let i = 1; i < n; i++) {
    const s = score(candidates[i]!, ctx);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}

function meanLogProb(s: ScoredUnder): number {
  return s.tokens === 0 ? -Infinity : s.sum / s.tokens;
}
