/**
 * The two models a best-of-N server uses besides the one it serves (the aligned policy): the
 * reference π_ref, which scores every candidate, and the sampler, which draws them (by default the
 * reference itself, as in the paper). Each is micro-batched as the served model is, so concurrent
 * requests share its calls; a model given as both sampler and reference has one queue per kind of
 * call and one gate over them.
 */
import type {
  Candidate, GenerateOptions, GenerateRequest, ResponseScorer, Sampler, ScoreRequest, SequenceLogProbs,
} from '../backend/types.ts';
import type { ServeExtensions } from './extensions.ts';
import { Gate, MicroBatcher } from './micro-batcher.ts';

/** What `createApp` takes, beside the policy (its `backend`), when `bestOf` is set. */
export type BestOfModelsInput =
  | { reference: ResponseScorer & ServeExtensions; sampler: Sampler & ServeExtensions }
  /** The reference samples too. */
  | { reference: ResponseScorer & Sampler & ServeExtensions; sampler?: undefined };

/** The batched models a best-of request calls. */
export interface BestOfModels {
  reference: ResponseScorer;
  sampler: Sampler;
  /** The sampler's own `promptFit` and token count, for the context check and `usage`. */
  samplerExtensions: ServeExtensions;
}

/**
 * Example: `batchBestOfModels({ reference }, { maxBatch: 32, batchWindowMs: 5 })` -> the reference
 * samples and scores, one call at a time, concurrent requests merged.
 */
export function batchBestOfModels(input: BestOfModelsInput, o: { maxBatch: number; batchWindowMs: number }): BestOfModels {
  const sampler: Sampler & ServeExtensions = input.sampler === undefined ? input.reference : input.sampler;
  // One gate per model: an embedded model computes on the one thread, a server batches by itself.
  const referenceGate = new Gate(1);
  const samplerGate = sampler === input.reference ? referenceGate : new Gate(1);
  return {
    reference: batchedScorer(input.reference, new MicroBatcher(o.maxBatch, o.batchWindowMs, referenceGate)),
    sampler: batchedSampler(sampler, new MicroBatcher(o.maxBatch, o.batchWindowMs, samplerGate)),
    samplerExtensions: sampler,
  };
}

function batchedScorer(inner: ResponseScorer, batcher: MicroBatcher<ScoreRequest, SequenceLogProbs>): ResponseScorer {
  return {
    get name() { return inner.name; },
    logProbs: (batch) => batcher.submit('logProbs', batch, (items) => inner.logProbs(items)),
  };
}

/** As BatchingBackend.generate: only calls with the same decoding settings merge, each request keeping its seed. */
function batchedSampler(inner: Sampler, batcher: MicroBatcher<GenerateRequest, Candidate[]>): Sampler {
  return {
    get name() { return inner.name; },
    generate: (batch: GenerateRequest[], options: GenerateOptions) => {
      const { n, temperature, topP, maxTokens } = options;
      const seeded = batch.map((r) => ({ ...r, seed: r.seed ?? options.seed }));
      return batcher.submit(JSON.stringify([n, temperature, topP, maxTokens]), seeded, (items) => inner.generate(items, options));
    },
  };
}
