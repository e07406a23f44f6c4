/** Records of the pair-building stage (docs/method.md §3). */
import type { PairOrigin } from '../../export/index.ts';
import type { PairJudgement } from '../../feedback/types.ts';

/** A candidate response with a score (`-n_rej`, docs/method.md §2.4). Extra fields (seed, claims, ...) ride along. */
export interface ScoredCandidate {
  id: string;
  text: string;
  score: number;
}

/** An ordered pair: `chosen` has the higher score. */
export interface CandidatePair<C extends ScoredCandidate = ScoredCandidate> {
  chosen: C;
  rejected: C;
}

/** A pair that survived every filter, with the instruction it belongs to. */
export interface PreferencePair<C extends ScoredCandidate = ScoredCandidate> extends CandidatePair<C> {
  instructionId: string;
}

/**
 * Why a candidate pair was dropped, in the order the filters run:
 * - `score-tie`: the scores differ by less than `diff` (with the default diff 1 and integer scores: equal);
 * - `sampled-out`: not among the at most `maxPairsPerInstruction` pairs drawn for its instruction;
 * - `identical-text`: chosen and rejected are equal after trimming (no preference signal);
 * - `length-balance`: the chosen answer is shorter than the rejected one by more than the selected ratio;
 * - `human-tie`: people's majority judged the two answers equally good (docs/method.md §3.4).
 */
export type DropReason = 'score-tie' | 'sampled-out' | 'identical-text' | 'length-balance' | 'human-tie';

/**
 * The fate of one unordered pair of scored candidates, one JSONL line of the data engine's
 * intermediate output. Unscored responses (no claims, verdict mismatch) form no pairs at all.
 */
export interface PairDecision {
  instructionId: string;
  /** The two candidates, in input order. */
  a: string;
  b: string;
  scoreA: number;
  scoreB: number;
  /** Ids of the higher- and lower-scored candidate; null for a `score-tie`. */
  chosen: string | null;
  rejected: string | null;
  /** Whitespace-split word counts used by length balancing; null for a `score-tie`. */
  chosenWords: number | null;
  rejectedWords: number | null;
  outcome: 'kept' | DropReason;
  /** Kept pairs: where the exported preference came from (`human-judgement`: exported reversed, `rejected` over `chosen`). */
  origin?: Exclude<PairOrigin, 'human-correction'>;
  /** People's majority judgement of the pair as `chosen` over `rejected`, where people judged it. */
  people?: { judgement: PairJudgement; votes: number; agreeing: number; who: string[] };
}
