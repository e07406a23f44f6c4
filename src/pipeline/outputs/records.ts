/**
 * The intermediate records of a run, one JSONL line each, built from the stage results in a fixed
 * order (instruction, then candidate, then claim) so that a resumed run writes the same bytes.
 */
import { claimAccepted, type Judgement } from '../label/verdict.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import type { LabelerVerdict } from '../../export/index.ts';
import type { Conversion } from '../questions/parse.ts';
import type { Division } from '../divide/stage.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import type { Instruction } from '../instructions/instructions.ts';
import { checkedClaimTruth } from './feedback-quality.ts';
import type { CandidateScore } from '../pairs/stage.ts';
import type { UnscoredReason } from '../pairs/score.ts';

/** Everything the model stages produced for a chunk of instructions, candidates flattened in instruction order. */
export interface RunData {
  instructions: Instruction[];
  /** Per instruction, its n candidates. */
  candidates: CandidateRecord[][];
  /** The same candidates flattened; the arrays below are parallel to it. */
  flat: CandidateRecord[];
  divisions: Division[];
  conversions: Conversion[];
  /** The labeler's answers, with a person's where `DIR/audit.jsonl` has one (`rlaifv audit`). */
  labels: Array<Judgement[] | undefined>;
  scores: CandidateScore[];
}

/** A line of candidates.jsonl: the candidate with its prompt, seed, model, settings and score. */
export interface CandidateLine extends CandidateRecord {
  prompt: string;
  /** `-n_rejected`, null when never paired (see `unscored`). */
  score: number | null;
  unscored: UnscoredReason | null;
  claims: number;
  accepted: number | null;
}

/** A line of claims.jsonl: the non-empty claims of one candidate and their questions. */
export interface ClaimLine {
  candidateId: string;
  instructionId: string;
  claims: string[];
  /** `questions[i]` asks about `claims[i]` when `conversion` is 'ok'. */
  questions: string[];
  conversion: 'ok' | 'count-mismatch';
  detail?: string;
  divideRaw?: string;
  convertRaw?: string;
}

/** A line of verdicts.jsonl: one claim checked by the labeler. */
export interface VerdictLine {
  candidateId: string;
  instructionId: string;
  claimIndex: number;
  claim: string;
  question: string;
  /** P(yes)+P(Yes) and P(no)+P(No). */
  yes: number;
  no: number;
  /** The verdict the score counts: the person's where there is one, else the labeler's (yes > no). */
  accepted: boolean;
  /** A person's answer from `DIR/audit.jsonl`, which overrides the labeler's. */
  human?: 'yes' | 'no';
  /** The claim's exact truth when the instruction comes from the world (null when it cannot be parsed); absent otherwise. */
  truth?: boolean | null;
}

export function candidateLines(data: RunData): CandidateLine[] {
  const prompt = new Map(data.instructions.map((i) => [i.id, i.question]));
  return data.flat.map((c, i) => {
    const s = data.scores[i]!;
    return {
      ...c, prompt: prompt.get(c.instructionId)!, score: s.score ?? null, unscored: s.reason ?? null, claims: s.claims, accepted: s.accepted ?? null,
    };
  });
}

export function claimLines(data: RunData): ClaimLine[] {
  return data.flat.map((c, i) => {
    const d = data.divisions[i]!;
    const conv = data.conversions[i]!;
    return {
      candidateId: c.id, instructionId: c.instructionId, claims: nonEmptyClaims(d.claims), questions: conv.questions,
      conversion: conv.ok ? 'ok' : conv.reason,
      ...(!conv.ok && { detail: conv.detail }),
      ...(d.raw !== undefined && { divideRaw: d.raw }),
      ...(conv.raw !== undefined && { convertRaw: conv.raw }),
    };
  });
}

export function verdictLines(data: RunData): VerdictLine[] {
  const scene = new Map(data.instructions.map((i) => [i.id, i.scene]));
  return data.flat.flatMap((c, i) => {
    const results = data.labels[i];
    if (!results) return [];
    const claims = nonEmptyClaims(data.divisions[i]!.claims);
    const questions = data.conversions[i]!.questions;
    const s = scene.get(c.instructionId);
    return results.map((r, k): VerdictLine => ({
      candidateId: c.id, instructionId: c.instructionId, claimIndex: k, claim: claims[k]!, question: questions[k]!,
      yes: r.yes, no: r.no, accepted: claimAccepted(r), ...(r.human !== undefined && { human: r.human }),
      ...(s && { truth: checkedClaimTruth(s, claims[k]!, questions[k]!) ?? null }),
    }));
  });
}

/**
 * The verdicts as the official pipeline's labeler records (`labeler.official.jsonl`), one per
 * verdict line, in the same order; `model` is the labeler's id (`model_path`).
 */
export function officialVerdicts(data: RunData, verdicts: readonly VerdictLine[], model: string): LabelerVerdict[] {
  const instructions = new Map(data.instructions.map((i) => [i.id, i]));
  const candidates = new Map(data.flat.map((c, i) => [c.id, { c, claims: nonEmptyClaims(data.divisions[i]!.claims), questions: data.conversions[i]!.questions }]));
  // A person's answer is certain: the official scorer downstream then counts the same verdict as our pairs.
  const result = (v: VerdictLine) => (v.human === undefined ? { yes: v.yes, no: v.no } : { yes: v.human === 'yes' ? 1 : 0, no: v.human === 'no' ? 1 : 0 });
  return verdicts.map((v) => {
    const ins = instructions.get(v.instructionId)!;
    const { c, claims, questions } = candidates.get(v.candidateId)!;
    return {
      questionId: v.candidateId, dsQuestionId: v.instructionId, question: v.question, result: result(v), model,
      instruction: { question: ins.question, imagePath: ins.imagePath ?? `${ins.id}.png`, meta: ins.meta ?? {} },
      response: c.text, claim: v.claim, allClaims: claims, allQuestions: questions,
    };
  });
}
