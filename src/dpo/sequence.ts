/**
 * From per-token log-probs to one number per response: summed over the response tokens (docs/method.md §4,
 * the official recipe) or averaged (some DPO variants; it removes the pull towards short answers
 * that a summed log-prob has, at the cost of a smaller signal per pair).
 */
import { tf } from '../tensor/tf.ts';

export type LogProbReduction = 'sum' | 'mean';

/** Scored tokens per row of a (B, T) mask: `tokenCounts(mask, B, T)` -> [5, 7, ...]. */
export function tokenCounts(targetMask: Float32Array, B: number, T: number): number[] {
  if (targetMask.length !== B * T) throw new Error(`tokenCounts: mask has ${targetMask.length} entries, expected B*T = ${B}*${T}`);
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = 0; t < T; t++) n += targetMask[b * T + t]!;
    out.push(n);
  }
  return out;
}

/**
 * (B, T) token log-probs, zero where not scored -> (B,) sequence log-probs.
 * `sequenceLogProbs(model.tokenLogProbs(sb), tokenCounts(sb.targetMask, sb.B, sb.T), 'sum')`
 */
export function sequenceLogProbs(tokenLogProbs: tf.Tensor2D, counts: readonly number[], reduction: LogProbReduction): tf.Tensor1D {
  const summed = tokenLogProbs.sum(1) as tf.Tensor1D; // (B,)
  if (reduction === 'sum') return summed;
  return summed.div(tf.tensor1d(counts.map((n) => Math.max(1, n))));
}

/** The same reduction on a stored sum: `reduceNumber(-12, 4, 'mean')` -> -3. */
export function reduceNumber(sum: number, count: number, reduction: LogProbReduction): number {
  return reduction === 'sum' ? sum : sum / Math.max(1, count);
}
