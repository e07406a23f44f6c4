/**
 * What best-of-N costs per answer: the tokens sampled and scored, and the model time spent sampling
 * and scoring. The time is kept in the run's store as the calls are made, so a resumed run adds to
 * it and a replay from the store adds nothing (it made no call).
 */
import type { ResponseScorer, Sampler } from '../backend/types.ts';
import type { RunStore } from '../store/index.ts';

const COST_RUN = 'bon-cost';
type Phase = 'samplingMs' | 'scoringMs';

export interface BonCostPoint {
  n: number;
  /** Tokens sampled for one answer at this N (N candidates), as the scorer counts a response's tokens. */
  sampledTokens: number;
  /** Tokens scored for one answer: every candidate once under the policy and once under the reference. */
  scoredTokens: number;
}

export interface BonCost {
  /** Mean tokens of a candidate. */
  meanCandidateTokens: number;
  perAnswer: BonCostPoint[];
  /** Model time of every call this run made (summed over resumes), in seconds. */
  seconds: { sampling: number; scoring: number };
  /** scoring / (sampling + scoring); null before any call was timed (a run replayed from an older store). */
  scoringShare: number | null;
}

/** `sampler` whose `generate` time is added to the run's sampling time. */
export function timedSampler(sampler: Sampler, store: RunStore): Sampler {
  return { name: sampler.name, generate: (batch, o) => timed(store, 'samplingMs', () => sampler.generate(batch, o)) };
}

/** `scorer` whose `logProbs` time is added to the run's scoring time. */
export function timedScorer(scorer: ResponseScorer, store: RunStore): ResponseScorer {
  return { name: scorer.name, logProbs: (batch) => timed(store, 'scoringMs', () => scorer.logProbs(batch)) };
}

/**
 * The cost table of a run whose candidates have `candidateTokens` tokens each (N = the largest sampled).
 * `bonCost([[3, 5], [4, 4]], [1, 2], store)` -> mean 4 tokens; at N=2 8 sampled and 16 scored per answer.
 */
export function bonCost(candidateTokens: readonly (readonly number[])[], ns: readonly number[], store: RunStore): BonCost {
  const all = candidateTokens.flat();
  const mean = all.length === 0 ? 0 : all.reduce((a, b) => a + b, 0) / all.length;
  const sampling = spentMs(store, 'samplingMs') / 1000;
  const scoring = spentMs(store, 'scoringMs') / 1000;
  return {
    meanCandidateTokens: mean,
    perAnswer: [...ns].sort((a, b) => a - b).map((n) => ({ n, sampledTokens: n * mean, scoredTokens: 2 * n * mean })),
    seconds: { sampling, scoring },
    scoringShare: sampling + scoring === 0 ? null : scoring / (sampling + scoring),
  };
}

function spentMs(store: RunStore, phase: Phase): number {
  return store.metrics(COST_RUN, phase).reduce((sum, p) => sum + p.value, 0);
}

async function timed<T>(store: RunStore, phase: Phase, call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await call();
  store.appendMetric(COST_RUN, store.metrics(COST_RUN, phase).length, phase, performance.now() - t0);
  return out;
}
