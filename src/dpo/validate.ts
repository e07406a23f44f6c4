/**
 * Validation scores for checkpoint selection (lower is better; docs/method.md §4 keeps the best of the
 * checkpoints saved every 1/4 epoch):
 *   - held-out pairs: mean DPO loss on pairs not trained on (ln 2 for M_i itself), and
 *   - the world benchmark: CHAIRi, mention-level object hallucination on validation scenes.
 */
import type { EmbeddedModel } from '../model/index.ts';
import { evaluateWorld, type WorldEvalResult } from '../eval/world-bench.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import { dpoLossNumbers } from './loss.ts';
import { referenceLogProbs, type DpoPair, type ReferenceLogProbs, type ReferenceOptions } from './reference.ts';
import { reduceNumber } from './sequence.ts';
import type { DpoSettings } from './settings.ts';

/** Split off `fraction` of the pairs (at least one when there are 2 or more), seeded. */
export function holdOut<T>(pairs: readonly T[], fraction: number, seed: number): { train: T[]; val: T[] } {
  const nVal = fraction <= 0 || pairs.length < 2 ? 0 : Math.min(pairs.length - 1, Math.max(1, Math.round(fraction * pairs.length)));
  const order = new Rng(deriveSeed(seed, 'dpo-holdout')).shuffle([...pairs.keys()]);
  const val = new Set(order.slice(0, nVal));
  return { train: pairs.filter((_, i) => !val.has(i)), val: pairs.filter((_, i) => val.has(i)) };
}

/**
 * A validator scoring a model by its mean DPO loss on held-out pairs. The reference log-probs
 * are computed now, with `reference` (M_i), so create it before training starts.
 * `const validate = await heldOutPairsValidator(policy, valPairs, settings, { batchSize: 32 });`
 */
export async function heldOutPairsValidator(
  reference: EmbeddedModel, pairs: readonly DpoPair[], s: Pick<DpoSettings, 'beta' | 'logProbs'>, storage: ReferenceOptions,
): Promise<(model: EmbeddedModel) => Promise<number>> {
  return pairsLossValidator(pairs, await referenceLogProbs(reference, pairs, storage), s);
}

/**
 * The same validator with the held-out pairs' reference log-probs given (read from a file or the
 * dataset's columns): `pairsLossValidator(valPairs, valRef, settings)`.
 */
export function pairsLossValidator(
  pairs: readonly DpoPair[], ref: readonly ReferenceLogProbs[], s: Pick<DpoSettings, 'beta' | 'logProbs'>,
): (model: EmbeddedModel) => Promise<number> {
  if (ref.length !== pairs.length) throw new Error(`pairsLossValidator: ${ref.length} reference entries for ${pairs.length} pairs`);
  return async (model) => {
    const lp = await model.logProbs(pairs.flatMap((p) => [
      { image: p.image, prompt: p.prompt, response: p.chosen },
      { image: p.image, prompt: p.prompt, response: p.rejected },
    ]));
    const red = (i: number) => reduceNumber(lp[i]!.sum, lp[i]!.tokenLogProbs.length, s.logProbs);
    return dpoLossNumbers(
      pairs.map((_, i) => red(2 * i)), pairs.map((_, i) => red(2 * i + 1)),
      ref.map((r) => reduceNumber(r.chosen, r.chosenTokens, s.logProbs)), ref.map((r) => reduceNumber(r.rejected, r.rejectedTokens, s.logProbs)),
      s.beta,
    ).metrics.loss;
  };
}

/** Which validation scenes a checkpoint is scored on: `limit` scenes of the val split from `offset` on. */
export interface ValidationScenes {
  worldSeed: number;
  offset: number;
  limit: number;
}

/** Greedy descriptions of the validation scenes (no yes/no questions: validation reads only CHAIRi and coverage). */
export function validationEval(model: EmbeddedModel, v: ValidationScenes): Promise<WorldEvalResult> {
  return evaluateWorld(model, { split: 'val', offset: v.offset, limit: v.limit, worldSeed: v.worldSeed, questionsPerScene: 0, placeQuestionsPerScene: 0 });
}

/**
 * A validator scoring a model by CHAIRi on `scenes` validation scenes of the world (greedy
 * descriptions). CHAIRi alone rewards saying less; `report` receives coverage to watch for that.
 */
export function worldValidator(scenes: number, worldSeed = 0, report?: (line: string) => void): (model: EmbeddedModel) => Promise<number> {
  return async (model) => {
    const r = await validationEval(model, { worldSeed, offset: 0, limit: scenes });
    report?.(`world val: CHAIRi ${r.chairI.toFixed(4)} CHAIRs ${r.chairS.toFixed(4)} coverage ${r.coverage.toFixed(4)}`);
    return r.chairI;
  };
}

/**
 * Validation score of a checkpoint (lower is better): CHAIRi on validation scenes, plus a penalty
 * when coverage falls more than 5% below the reference's (the base policy M_0, or the round's
 * starting policy), so that no checkpoint wins by describing less. Used by `rlaifv align` in
 * process and by `rlaifv dpo --validate world`, so both pick the same checkpoint.
 */
export function coverageGuardedValidator(
  scenes: ValidationScenes, coverageWeight: number, reference: { coverage: number },
  report?: (line: string) => void,
): (model: EmbeddedModel) => Promise<number> {
  return async (model) => {
    const r = await validationEval(model, scenes);
    const lost = Math.max(0, 0.95 * reference.coverage - r.coverage);
    const score = r.chairI + coverageWeight * lost;
    report?.(`  validation: CHAIRi ${r.chairI.toFixed(3)} coverage ${r.coverage.toFixed(3)} -> score ${score.toFixed(3)}`);
    return score;
  };
}
