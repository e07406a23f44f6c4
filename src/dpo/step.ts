/**
 * One DPO optimisation step on an embedded model, as TRL's concatenated forward: chosen and
 * rejected answers of a batch go through the model as one batch of 2B rows, their token
 * log-probs are reduced per row, and `dpoLoss` compares them with the stored reference.
 */
import { tf } from '../tensor/tf.ts';
import { trainStep, type AdamW, type EmbeddedModel } from '../model/index.ts';
import { dpoLoss, dpoMetrics, type DpoMetrics } from './loss.ts';
import type { DpoPair, ReferenceLogProbs } from './reference.ts';
import { reduceNumber, sequenceLogProbs, tokenCounts } from './sequence.ts';
import type { DpoSettings } from './settings.ts';

export interface DpoStepResult extends DpoMetrics {
  gradNorm: number;
}

/**
 * Update `policy` once on `pairs` (with their reference log-probs) at learning rate `lr`.
 * `dpoStep(policy, opt, 1e-4, batch, batchRefs, settings)['rewards/margins']`
 */
export function dpoStep(
  policy: EmbeddedModel, optimizer: AdamW, lr: number, pairs: readonly DpoPair[], refs: readonly ReferenceLogProbs[],
  s: Pick<DpoSettings, 'beta' | 'sftWeight' | 'logProbs'>,
): DpoStepResult {
  const B = pairs.length;
  if (refs.length !== B) throw new Error(`dpoStep: ${B} pairs but ${refs.length} reference rows`);
  const sb = policy.scoredBatch([
    ...pairs.map((p) => ({ image: p.image, prompt: p.prompt, response: p.chosen })),
    ...pairs.map((p) => ({ image: p.image, prompt: p.prompt, response: p.rejected })),
  ]);
  const counts = tokenCounts(sb.targetMask, sb.B, sb.T); // (2B)
  refs.forEach((r, i) => {
    // The reference was scored by the same tokenizer and batch builder, so the token sets agree;
    // a mismatch means the stored reference belongs to another model or other pairs.
    if (r.chosenTokens !== counts[i] || r.rejectedTokens !== counts[B + i]) {
      throw new Error(`dpoStep: pair ${i}: the reference scored ${r.chosenTokens}/${r.rejectedTokens} tokens (chosen/rejected) but the policy scores `
        + `${counts[i]}/${counts[B + i]}; the stored reference log-probs come from another model or tokenizer: delete them and restart the round`);
    }
  });
  const refChosen = refs.map((r) => reduceNumber(r.chosen, r.chosenTokens, s.logProbs));
  const refRejected = refs.map((r) => reduceNumber(r.rejected, r.rejectedTokens, s.logProbs));

  let kept: tf.Tensor[] = [];
  const { loss, gradNorm } = trainStep(policy.net.params, optimizer, lr, () => {
    const seq = sequenceLogProbs(policy.tokenLogProbs(sb), counts, s.logProbs); // (2B,)
    const out = dpoLoss(
      seq.slice(0, B), seq.slice(B, B), tf.tensor1d(refChosen), tf.tensor1d(refRejected), s.beta,
      { sftWeight: s.sftWeight, ...(s.logProbs === 'sum' && { chosenTokens: counts.slice(0, B) }) },
    );
    kept = [tf.keep(out.losses), tf.keep(out.chosenRewards), tf.keep(out.rejectedRewards)];
    return out.losses.mean() as tf.Scalar;
  });
  const [losses, chosen, rejected] = kept.map((t) => t.dataSync());
  tf.dispose(kept);
  const metrics = dpoMetrics(losses!, chosen!, rejected!);
  return { ...metrics, loss, gradNorm };
}
