/**
 * Ground-truth quality of the feedback, measurable when the instructions come from the world:
 * how often the labeler's verdict on a claim is right, and how often a pair's chosen answer
 * really hallucinates fewer objects than its rejected one.
 */
import { accepts, type YesNoResult } from '../../backend/types.ts';
import { claimTruth, questionTruth, analyseResponse, splitClaims, type Scene } from '../../world/index.ts';

/**
 * The truth of one checked claim: the question's exact answer, else the claim's; undefined when
 * neither can be parsed (e.g. a sentence outside the world's grammar).
 * `checkedClaimTruth(scene, 'There is a star.', 'Is there a star?')` -> whether the scene has a star
 */
export function checkedClaimTruth(scene: Scene, claim: string, question: string): boolean | undefined {
  return questionTruth(scene, question) ?? claimTruth(scene, claim);
}

export interface ClaimAccuracy {
  /** Verdicts equal to the truth / claims with a known truth; null when no claim has one. */
  accuracy: number | null;
  /** Claims with a known truth (the denominator). */
  judged: number;
  correct: number;
}

/** Accuracy of verdicts against truths (undefined truths skipped): `claimAccuracy([{ result: { yes: 1, no: 0 }, truth: true }])` -> 1. */
export function claimAccuracy(items: ReadonlyArray<{ result: YesNoResult; truth: boolean | undefined }>): ClaimAccuracy {
  let judged = 0;
  let correct = 0;
  for (const { result, truth } of items) {
    if (truth === undefined) continue;
    judged++;
    if (accepts(result) === truth) correct++;
  }
  return { accuracy: judged === 0 ? null : correct / judged, judged, correct };
}

export interface PairPrecision {
  /** Pairs whose chosen answer has strictly fewer hallucinated objects / pairs; null without pairs. */
  precision: number | null;
  pairs: number;
  correct: number;
  /** Pairs where both answers hallucinate equally many objects (neither right nor wrong by this measure). */
  ties: number;
  /** correct / (pairs - ties): precision on the pairs that differ in hallucinated objects; null without any. */
  decisive: number | null;
  /**
   * Pairs whose chosen answer has strictly fewer false claims (sentences false in the scene) than
   * the rejected one / pairs: agreement with what perfect feedback would choose. Object hallucination
   * is only one kind of false claim; a wrong colour or place is another, so perfect feedback can
   * tie or even lose on hallucinated objects.
   */
  truthAgreement: number | null;
}

/** Sentences of a response that are false in the scene (unparsed ones are not counted). */
export function falseClaims(scene: Scene, text: string): number {
  return splitClaims(text).filter((c) => claimTruth(scene, c) === false).length;
}

/**
 * `pairPrecision([{ scene, chosen: 'There is a circle.', rejected: 'There is a star.' }])` -> 1 when the scene has a circle and no star.
 */
export function pairPrecision(pairs: ReadonlyArray<{ scene: Scene; chosen: string; rejected: string }>): PairPrecision {
  return summarisePairOutcomes(pairs.map((p) => pairOutcome(p.scene, p.chosen, p.rejected)));
}

/** How one pair fares against the scene's truth; what `pairPrecision` counts. */
export interface PairOutcome {
  /** The chosen answer hallucinates fewer objects (1), as many (0) or more (-1) than the rejected one. */
  hallucination: 1 | 0 | -1;
  /** The chosen answer has strictly fewer false claims. */
  fewerFalseClaims: boolean;
}

/** `pairOutcome(scene, 'There is a red circle.', 'There is a cat.')` -> `{ hallucination: 1, ... }` when only the cat is absent. */
export function pairOutcome(scene: Scene, chosen: string, rejected: string): PairOutcome {
  const c = analyseResponse(scene, chosen).hallucinated.length;
  const r = analyseResponse(scene, rejected).hallucinated.length;
  return { hallucination: c < r ? 1 : c === r ? 0 : -1, fewerFalseClaims: falseClaims(scene, chosen) < falseClaims(scene, rejected) };
}

/** `pairPrecision` from outcomes computed earlier (a streaming run keeps only these per pair). */
export function summarisePairOutcomes(outcomes: readonly PairOutcome[]): PairPrecision {
  let correct = 0;
  let ties = 0;
  let agree = 0;
  for (const o of outcomes) {
    if (o.hallucination === 1) correct++;
    else if (o.hallucination === 0) ties++;
    if (o.fewerFalseClaims) agree++;
  }
  const n = outcomes.length;
  return {
    precision: n === 0 ? null : correct / n, pairs: n, correct, ties,
    decisive: n - ties === 0 ? null : correct / (n - ties),
    truthAgreement: n === 0 ? null : agree / n,
  };
}
