/**
 * Stage 6: response scores (docs/method.md §2.4), `-n_rejected_claims`, and stage 7: preference pairs
 * (docs/method.md §3), per instruction. Both are pure functions of cached results, so they are recomputed on every run
 * rather than stored: a resumed run gets exactly the same numbers.
 */
import type { YesNoResult } from '../../backend/types.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import { samplePreferencePairs, type SampledPair } from './decide.ts';
import type { PairDecision } from './types.ts';
import { scoreResponse, verdictsFromYesNo, type UnscoredReason } from './score.ts';
import type { PairSettings } from './settings.ts';
import type { Division } from '../divide/stage.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import type { Instruction } from '../instructions/instructions.ts';

export interface CandidateScore {
  /** `-n_rejected`; undefined for a response that is never paired. */
  score: number | undefined;
  reason?: UnscoredReason;
  /** Non-empty claims of the response. */
  claims: number;
  /** Claims the labeler accepted (undefined when the response has no verdicts). */
  accepted?: number;
}

/**
 * Scores of a chunk's candidates, parallel to `divisions`; `questions[i]` are candidate i's yes/no
 * questions, checked for repeats when `duplicateQuestions` is 'drop' (see `scoreResponse`).
 * `scoreCandidates([{ claims: ['A.', 'B.'] }], [['Is A?', 'Is B?']], [[{ yes: 0.9, no: 0.1 }, { yes: 0.2, no: 0.8 }]], 'drop')`
 *   -> `[{ score: -1, claims: 2, accepted: 1 }]`
 */
export function scoreCandidates(
  divisions: readonly Division[], questions: ReadonlyArray<readonly string[]>, labels: ReadonlyArray<YesNoResult[] | undefined>,
  duplicateQuestions: PairSettings['duplicateQuestions'],
): CandidateScore[] {
  return divisions.map((d, i) => {
    const claims = nonEmptyClaims(d.claims).length;
    const verdicts = labels[i] === undefined ? undefined : verdictsFromYesNo(labels[i]!);
    const s = scoreResponse(verdicts, claims, duplicateQuestions === 'drop' ? questions[i] : undefined);
    const accepted = verdicts?.filter(Boolean).length;
    return s.score === undefined
      ? { score: undefined, reason: s.reason, claims, ...(accepted !== undefined && { accepted }) }
      : { score: s.score, claims, ...(accepted !== undefined && { accepted }) };
  });
}

/** A candidate as pair building sees it. */
export type PairingCandidate = CandidateRecord & { score: number | undefined };

/**
 * The per-instruction part of pair building for a chunk: every pair of scored candidates differing
 * by at least `diff`, at most `maxPairsPerInstruction` sampled (the run-wide filters come at the end).
 */
export function samplePairs(
  instructions: readonly Instruction[], candidates: readonly CandidateRecord[][], scores: readonly CandidateScore[][], settings: PairSettings,
): { sampled: Array<SampledPair<PairingCandidate>>; decisions: PairDecision[] } {
  return samplePreferencePairs(instructions.map((ins, k) => ({
    instructionId: ins.id,
    responses: candidates[k]!.map((c, j) => ({ ...c, score: scores[k]![j]!.score })),
  })), settings);
}
