/**
 * Why the RLAIF-V reward divides by the answer's length (docs/method.md §5): the unnormalised sum
 * Σ_t [log π - log π_ref] is T times the mean per-token log-ratio, so when that ratio is negative on
 * average (DPO lowers the likelihood of what the reference writes) a longer candidate scores lower
 * for its length alone. How strongly that steers the sum's pick is measured here, per prompt, as the
 * correlation between a candidate's token count and each selector's score.
 */
import { selectorScore, type ScoredCandidate, type SelectContext } from './select.ts';

export interface LengthBias {
  /** (Σ log π - Σ log π_ref) / Σ T over every candidate: on average the sum moves by β times this per extra token. */
  meanTokenLogRatio: number;
  /** Mean within-prompt standard deviation of the candidates' token counts. */
  lengthSd: number;
  /**
   * Mean over prompts of the Pearson correlation between a candidate's token count and its score
   * (prompts whose candidates all have one length or one score left out; null if that is all of them). Negative: prefers shorter.
   */
  lengthCorrelation: { reward: number | null; sum: number | null };
}

/**
 * The length bias of the reward and of the unnormalised sum over every prompt's candidates.
 * @example
 * lengthBias(scored, 0.1).lengthCorrelation.sum // -0.4: the sum leans towards the shorter candidates
 */
export function lengthBias(scored: readonly (readonly ScoredCandidate[])[], beta: number): LengthBias {
  const all = scored.flat();
  const tokens = all.reduce((n, c) => n + c.policy.tokens, 0);
  const ratio = all.reduce((sum, c) => sum + c.policy.sum - c.reference.sum, 0);
  // The key seeds only the random selector, which is not measured here.
  const ctx: SelectContext = { beta, key: '' };
  const correlationOf = (selector: 'reward' | 'sum') => {
    const perPrompt = scored
      .map((cs) => pearson(cs.map((c) => c.policy.tokens), cs.map((c) => selectorScore(selector, c, ctx))))
      .filter((r): r is number => r !== null);
    return perPrompt.length === 0 ? null : mean(perPrompt);
  };
  return {
    meanTokenLogRatio: tokens === 0 ? 0 : ratio / tokens,
    lengthSd: mean(scored.map((cs) => standardDeviation(cs.map((c) => c.policy.tokens)))),
    lengthCorrelation: { reward: correlationOf('reward'), sum: correlationOf('sum') },
  };
}

/** Pearson's r, or null where either side does not vary. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function standardDeviation(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
