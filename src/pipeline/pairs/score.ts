/**
 * Response scores (docs/method.md §2.4): `-n_rej`, minus the number of claims the labeler rejected. A claim's
 * verdict is the label stage's (`claimAccepted`: a person's answer, else the labeler's yes > no).
 */
import { claimAccepted, type Judgement } from '../label/verdict.ts';

export type UnscoredReason = 'no-claims' | 'verdict-mismatch' | 'duplicate-questions';

export type ResponseScore = { score: number } | { score: undefined; reason: UnscoredReason };

/** Verdicts from the labeler's yes/no probabilities (or a person's answer): `verdictsFromYesNo([{ yes: 0.6, no: 0.4 }]) -> [true]`. */
export function verdictsFromYesNo(results: readonly Judgement[]): boolean[] {
  return results.map(claimAccepted);
}

/**
 * Score of one response from its verdicts (one per non-empty claim, in claim order; `undefined` when
 * no verdicts could be produced, e.g. the convert step returned the wrong number of questions).
 * - `claimCount === 0` -> `no-claims`: nothing was checked, so the response is never paired;
 * - `verdicts` missing or `verdicts.length !== claimCount` -> `verdict-mismatch`: not paired;
 * - `questions` given (the official rule, `pairs.duplicateQuestions: 'drop'`) and two of them equal
 *   -> `duplicate-questions`: not paired. The official pair stage looks each verdict up by its
 *   question text, so two claims asked as one question leave fewer verdicts than facts there;
 * - otherwise `-(number of false verdicts)`.
 *
 * `scoreResponse([true, false, false], 3) -> { score: -2 }`; `scoreResponse([], 0) -> { score: undefined, reason: 'no-claims' }`;
 * `scoreResponse([true, false], 2, ['Is it red?', 'Is it red?']) -> { score: undefined, reason: 'duplicate-questions' }`
 */
export function scoreResponse(verdicts: readonly boolean[] | undefined, claimCount: number, questions?: readonly string[]): ResponseScore {
  if (!Number.isInteger(claimCount) || claimCount < 0) {
    throw new Error(`scoreResponse: claimCount must be a non-negative integer (the number of non-empty claims), got ${claimCount}`);
  }
  if (claimCount === 0) return { score: undefined, reason: 'no-claims' };
  if (verdicts === undefined || verdicts.length !== claimCount) return { score: undefined, reason: 'verdict-mismatch' };
  if (questions !== undefined && new Set(questions).size !== questions.length) return { score: undefined, reason: 'duplicate-questions' };
  const rejected = verdicts.filter((v) => !v).length;
  return { score: 0 - rejected }; // `0 - n`, not `-n`: no negative zero in records and deepEqual
}
