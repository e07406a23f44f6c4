/**
 * Losses on sequence log-probabilities. Each takes the (B, T) token log-probs that
 * EmbeddedModel.tokenLogProbs returns (zero where not scored) and the scored-token mask.
 */
import { tf } from '../tensor/tf.ts';

/**
 * How the tokens of a batch are weighted:
 * - 'token': every scored token counts the same (a 40-token caption outweighs a one-word answer 40:1);
 * - 'example': each example's tokens are averaged first, so every example counts the same.
 * With 'token', the one-token yes/no answers are ~5% of the labeler's loss although they are 60%
 * of its examples. Measured: 'example' did not speed up yes/no learning (50% after 600 steps
 * from scratch either way; 72.1% vs 72.6% after 500 more steps on the shipped labeler), because
 * the answer depends on the question and the image jointly, never on either alone, and that
 * plateau is not a matter of loss weight.
 */
export type LossWeighting = 'token' | 'example';

/** Supervised fine-tuning: mean negative log-likelihood per scored token, or per example. */
export function sftLoss(tokenLogProbs: tf.Tensor2D, targetMask: Float32Array, weighting: LossWeighting = 'token'): tf.Scalar {
  if (weighting === 'token') {
    let count = 0;
    for (const m of targetMask) count += m;
    return tokenLogProbs.sum().neg().div(Math.max(1, count)) as tf.Scalar;
  }
  return tokenLogProbs.mul(exampleWeights(targetMask, tokenLogProbs.shape[0], tokenLogProbs.shape[1])).sum().neg() as tf.Scalar;
}

/** (B, T) weights: 1 / (scored tokens of the row * rows with any scored token) on scored tokens. */
export function exampleWeights(targetMask: Float32Array, B: number, T: number): tf.Tensor2D {
  const w = new Float32Array(B * T);
  const counts = Array.from({ length: B }, (_, b) => targetMask.subarray(b * T, (b + 1) * T).reduce((a, v) => a + v, 0));
  const rows = counts.filter((c) => c > 0).length;
  counts.forEach((c, b) => {
    if (c === 0) return;
    for (let t = 0; t < T; t++) w[b * T + t] = targetMask[b * T + t]! / (c * rows);
  });
  return tf.tensor2d(w, [B, T]);
}
