/** Evaluation entries of metrics.json, and the checkpoint validator of each round. */
import type { EmbeddedModel } from '../model/index.ts';
import type { Sampler, YesNoJudge } from '../backend/types.ts';
import { evaluateWorld, type WorldEvalResult } from '../eval/world-bench.ts';
import type { ValidationScenes } from '../dpo/validate.ts';
import type { RoundMetrics } from '../report/index.ts';

/** The figures of `r` as round `round`'s entry of metrics.json, the model named `model`. */
function toRoundEval(round: number, model: string, r: WorldEvalResult): RoundMetrics {
  return {
    round, model, chairI: r.chairI, chairS: r.chairS, coverage: r.coverage, attributeErrorRate: r.attributeErrorRate,
    yesNoAccuracy: r.yesNoAccuracy, yesNoF1: r.yesNoF1, meanMentions: r.meanMentions,
  };
}

/** `model` evaluated on the first `limit` test scenes of world `worldSeed`, as round `round`'s entry under the name `name`. */
export async function evaluateOnTest(model: Sampler & YesNoJudge, round: number, name: string, limit: number, worldSeed: number): Promise<RoundMetrics> {
  return toRoundEval(round, name, await evaluateWorld(model, { split: 'test', limit, worldSeed }));
}

/** `validationScenes(2, 120, 'per-round')` -> scenes 120..239; with 'shared' every round gets 0..119. */
export function validationScenes(round: number, limit: number, slices: 'per-round' | 'shared', worldSeed: number): ValidationScenes {
  return { worldSeed, limit, offset: slices === 'per-round' ? (round - 1) * limit : 0 };
}

/** The checkpoint validator of each round lives with the DPO trainer, so `rlaifv dpo --validate world` scores the same way. */
export { coverageGuardedValidator } from '../dpo/validate.ts';
