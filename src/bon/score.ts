/**
 * Scoring best-of-N candidates under a model (the aligned policy, or the reference it was trained
 * from): the summed log-probability of each answer's tokens, prompt tokens excluded, through the run
 * store so that a rerun scores nothing twice. Over HTTP this is vLLM's `prompt_logprobs` or
 * `rlaifv serve`'s `response_logprobs` (src/backend/http/scoring.ts); in-process the model's own.
 */
import type { ResponseScorer } from '../backend/types.ts';
import { imageDigest } from '../image/digest.ts';
import type { RgbImage } from '../image/rgb.ts';
import { cached, type RunStore } from '../store/index.ts';
import type { ScoredUnder } from './select.ts';

export interface CandidateToScore {
  image: RgbImage;
  prompt: string;
  response: string;
}

/**
 * Every candidate's `{ sum, tokens }` under `model`, in order.
 * @example
 * const underPolicy = await scoreUnder(policy, 'policy-aligned', candidates, { store, batchSize: 32 });
 */
export async function scoreUnder(model: ResponseScorer, modelId: string, candidates: readonly CandidateToScore[], o: { store: RunStore; batchSize?: number; progress?: (done: number, hits: number) => void }): Promise<ScoredUnder[]> {
  const keys = candidates.map((c) => ({ prompt: c.prompt, response: c.response, image: imageDigest(c.image) }));
  const byKey = new Map(keys.map((k, i) => [JSON.stringify(k), candidates[i]!]));
  const outcome = await cached(o.store, { stage: 'bon-score', model: modelId, settings: {} }, keys, async (missing) => {
    const scored = await model.logProbs(missing.map((k) => byKey.get(JSON.stringify(k))!));
    return scored.map((s) => ({ sum: s.sum, tokens: s.tokenLogProbs.length }));
  }, { batchSize: o.batchSize ?? 32, ...(o.progress && { onProgress: (p) => o.progress!(p.done, p.hits) }) });
  return outcome.results;
}
