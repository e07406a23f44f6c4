/**
 * The DPO sigmoid loss (docs/method.md §4), laid out as TRL's `dpo_loss`: sequence log-probabilities in,
 * per-example losses and implicit rewards out. Pure: no model, no optimizer.
 *
 *   delta  = (log π(y_w) - log π_ref(y_w)) - (log π(y_l) - log π_ref(y_l))
 *   loss   = -log σ(β·delta) = softplus(-β·delta)
 *   reward = β·(log π(y) - log π_ref(y))          (rewards/chosen, rewards/rejected)
 *
 * The inputs are sequence log-probs reduced however the caller chose (summed over response
 * tokens, the paper's default, or averaged: see `sequenceLogProbs`).
 */
import { tf } from '../tensor/tf.ts';

export interface DpoLossOptions {
  /** Weight of the SFT term on the chosen answer (the paper: 0 by default). */
  sftWeight?: number;
  /**
   * Scored tokens of each chosen answer, (B,). Given when the inputs are *summed* log-probs, so
   * the SFT term is a mean NLL per token; leave it out when the inputs are already averaged.
   */
  chosenTokens?: readonly number[];
}

export type DpoLossOutput = {
  /** Per-example loss, (B,): the DPO term plus the weighted SFT term. */
  losses: tf.Tensor1D;
  /** β·(log π(y_w) - log π_ref(y_w)), (B,). */
  chosenRewards: tf.Tensor1D;
  /** β·(log π(y_l) - log π_ref(y_l)), (B,). */
  rejectedRewards: tf.Tensor1D;
};

/** The step metrics under TRL's names, each a batch mean. */
export interface DpoMetrics {
  loss: number;
  'rewards/chosen': number;
  'rewards/rejected': number;
  'rewards/margins': number;
  /** Share of examples whose chosen reward is strictly above the rejected one. */
  'rewards/accuracies': number;
}

/**
 * -log σ(x), stable for any x, with the exact gradient -σ(-x) everywhere. A hand-built softplus
 * from relu/abs has gradient 0 at x = 0 (both kinks), which is exactly where every DPO run
 * starts (π = π_ref), so the gradient is given explicitly.
 */
const negLogSigmoid = tf.customGrad(((x: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x]);
  // softplus(-x) = max(-x, 0) + log1p(exp(-|x|)): no exp of a large positive number.
  const value = tf.relu(tf.neg(x)).add(tf.log1p(tf.exp(tf.neg(tf.abs(x))))) as tf.Tensor1D;
  return { value, gradFunc: (dy: tf.Tensor1D, saved: tf.Tensor[]) => tf.mul(dy, tf.neg(tf.sigmoid(tf.neg(saved[0]!)))) };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor1D) => tf.Tensor1D;

/**
 * DPO sigmoid loss on (B,) sequence log-probs.
 *
 * ```ts
 * const { losses } = dpoLoss(piC, piR, refC, refR, 0.1); // π = π_ref gives ln 2 per example
 * const loss = losses.mean();
 * ```
 */
export function dpoLoss(
  policyChosen: tf.Tensor1D, policyRejected: tf.Tensor1D, refChosen: tf.Tensor1D, refRejected: tf.Tensor1D,
  beta: number, options: DpoLossOptions = {},
): DpoLossOutput {
  const B = policyChosen.shape[0];
  for (const [name, t] of [['policyRejected', policyRejected], ['refChosen', refChosen], ['refRejected', refRejected]] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== B) throw new Error(`dpoLoss: ${name} has shape [${t.shape}], expected [${B}] like policyChosen`);
  }
  if (!(beta > 0)) throw new Error(`dpoLoss: beta must be > 0, got ${beta}`);
  const sftWeight = options.sftWeight ?? 0;
  return tf.tidy(() => {
    const chosenRatio = policyChosen.sub(refChosen); // (B,)
    const rejectedRatio = policyRejected.sub(refRejected); // (B,)
    let losses = negLogSigmoid(chosenRatio.sub(rejectedRatio).mul(beta) as tf.Tensor1D);
    if (sftWeight !== 0) {
      let nll = policyChosen.neg();
      if (options.chosenTokens) {
        if (options.chosenTokens.length !== B) throw new Error(`dpoLoss: chosenTokens has ${options.chosenTokens.length} entries for a batch of ${B}`);
        nll = nll.div(tf.tensor1d(options.chosenTokens.map((n) => Math.max(1, n))));
      }
      losses = losses.add(nll.mul(sftWeight));
    }
    // Rewards are only reported: gradients flow from the loss alone (trainStep differentiates its scalar).
    return { losses, chosenRewards: chosenRatio.mul(beta) as tf.Tensor1D, rejectedRewards: rejectedRatio.mul(beta) as tf.Tensor1D };
  });
}

/**
 * The same loss on plain numbers, for tests, reports and reward checks without tensors.
 * `dpoLossNumbers([-3], [-3], [-3], [-3], 0.1).metrics.loss` -> ln 2 ≈ 0.6931.
 */
export function dpoLossNumbers(
  policyChosen: readonly number[], policyRejected: readonly number[], refChosen: readonly number[], refRejected: readonly number[],
  beta: number, options: DpoLossOptions = {},
): { losses: number[]; chosenRewards: number[]; rejectedRewards: number[]; metrics: DpoMetrics } {
  const B = policyChosen.length;
  if (policyRejected.length !== B || refChosen.length !== B || refRejected.length !== B) {
    throw new Error(`dpoLossNumbers: lengths differ (${B}, ${policyRejected.length}, ${refChosen.length}, ${refRejected.length})`);
  }
  const sftWeight = options.sftWeight ?? 0;
  const chosenRewards = policyChosen.map((p, i) => beta * (p - refChosen[i]!));
  const rejectedRewards = policyRejected.map((p, i) => beta * (p - refRejected[i]!));
  const losses = chosenRewards.map((c, i) => {
    const sft = sftWeight === 0 ? 0 : (sftWeight * -policyChosen[i]!) / Math.max(1, options.chosenTokens?.[i] ?? 1);
    return negLogSigmoidNumber(c - rejectedRewards[i]!) + sft;
  });
  return { losses, chosenRewards, rejectedRewards, metrics: dpoMetrics(losses, chosenRewards, rejectedRewards) };
}

/** Batch means under TRL's metric names. */
export function dpoMetrics(losses: ArrayLike<number>, chosenRewards: ArrayLike<number>, rejectedRewards: ArrayLike<number>): DpoMetrics {
  const n = Math.max(1, losses.length);
  let loss = 0; let chosen = 0; let rejected = 0; let correct = 0;
  for (let i = 0; i < losses.length; i++) {
    loss += losses[i]!;
    chosen += chosenRewards[i]!;
    rejected += rejectedRewards[i]!;
    if (chosenRewards[i]! > rejectedRewards[i]!) correct += 1;
  }
  return {
    loss: loss / n,
    'rewards/chosen': chosen / n,
    'rewards/rejected': rejected / n,
    'rewards/margins': (chosen - rejected) / n,
    'rewards/accuracies': correct / n,
  };
}

/** -log σ(x) on a number, stable for large |x|. */
export function negLogSigmoidNumber(x: number): number {
  return Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
