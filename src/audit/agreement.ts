/**
 * How the labeler's verdicts compare with a person's (the paper's human-agreement check of its
 * divide-and-conquer feedback), and which claims are worth a person's look. Pure functions.
 */
import type { Agreement, HumanAnswer } from './types.ts';

/** One question of an instruction as the labeler answered it (the same for every candidate that asks it). */
export interface QuestionVerdict {
  key: string;
  labelerAccepted: boolean;
  /** The scene's exact truth in world runs; null or absent when unknown. */
  truth?: boolean | null;
}

/**
 * `agreement([{ key: 'a', labelerAccepted: true }], new Map([['a', 'no']]))`
 *   -> `{ judged: 1, agree: 0, rate: 0, falseAccepts: 1, falseRejects: 0 }`
 */
export function agreement(questions: Iterable<QuestionVerdict>, human: ReadonlyMap<string, HumanAnswer>, fromWorld = false): Agreement {
  let judged = 0, agree = 0, falseAccepts = 0, falseRejects = 0, checked = 0, truthAgree = 0;
  for (const q of questions) {
    const answer = human.get(q.key);
    if (answer === undefined) continue;
    const humanAccepts = answer === 'yes';
    judged++;
    if (q.labelerAccepted === humanAccepts) agree++;
    else if (q.labelerAccepted) falseAccepts++;
    else falseRejects++;
    if (typeof q.truth === 'boolean') {
      checked++;
      if (q.truth === humanAccepts) truthAgree++;
    }
  }
  return {
    judged, agree, rate: judged === 0 ? null : agree / judged, falseAccepts, falseRejects,
    ...(fromWorld && { humanMatchesTruth: { checked, agree: truthAgree } }),
  };
}

/**
 * A claim is disputed when the labeler's verdict differs from the person's, or, with no person's
 * answer, from the exact truth (world runs): where a person's look is most worth it.
 * `disputed(true, 'no', undefined) -> true`; `disputed(true, undefined, false) -> true`; `disputed(true, undefined, null) -> false`
 */
export function disputed(labelerAccepted: boolean, human: HumanAnswer | undefined, truth: boolean | null | undefined): boolean {
  if (human !== undefined) return labelerAccepted !== (human === 'yes');
  return typeof truth === 'boolean' && truth !== labelerAccepted;
}
