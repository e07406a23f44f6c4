/**
 * Losses on sequence log-probabilities. Each takes the (B, T) token log-probs that
 * EmbeddedModel.tokenLogProbs returns (zero where not scored) and the scored-token mask.
 */
import { tf } from '../engine/tf.ts';

/** Supervised fine-tuning: mean negative log-likelihood per scored token. */
export function sftLoss(tokenLogProbs: tf.Tensor2D, targetMask: Float32Array): tf.Scalar {
  let count = 0;
  for (const m of targetMask) count += m;
  return tokenLogProbs.sum().neg().div(Math.max(1, count)) as tf.Scalar;
}
