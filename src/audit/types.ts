/**
 * What the audit server sends the audit page: a `generate` folder's instructions, candidates and
 * claim verdicts, with the person's own verdicts beside the labeler's. The page and the server
 * agree on these shapes only.
 */

import type { PairJudgement, YesNo } from '../feedback/types.ts';
import type { HumanAnswer } from '../pipeline/label/human-verdicts.ts';

/** A person's answer to a claim's yes/no question; `null` clears an earlier one. */
export type { HumanAnswer };

/** How well the labeler agrees with the person on the questions the person answered (96.7% in the paper, docs/method.md §6). */
export interface Agreement {
  /** Distinct (instruction, question) pairs a person answered. */
  judged: number;
  /** Of those, how many the labeler answered the same way. */
  agree: number;
  /** agree / judged; null before the first answer. */
  rate: number | null;
  /** The labeler said yes where the person said no: a hallucination let through. */
  falseAccepts: number;
  /** The labeler said no where the person said yes: a true claim held against the answer. */
  falseRejects: number;
  /** World runs only: how many of the person's answers match the scene's exact truth (a check on the person). */
  humanMatchesTruth?: { checked: number; agree: number };
}

/** `GET /api/run` */
export interface AuditRunInfo {
  /** The run folder as given on the command line. */
  dir: string;
  instructions: number;
  candidates: number;
  claims: number;
  pairs: number;
  /** Instructions come from the procedural world, so every claim also has its exact truth. */
  fromWorld: boolean;
  agreement: Agreement;
  /** Where the person's answers are stored (`DIR/audit.jsonl`). */
  auditFile: string;
}

/** A line of `GET /api/instructions`: one instruction, in run order. */
export interface AuditInstructionRow {
  id: string;
  question: string;
  candidates: number;
  claims: number;
  /** Claims the final verdict rejects (the labeler's, or the person's where there is one). */
  rejected: number;
  /** Kept preference pairs built from this instruction's candidates. */
  pairs: number;
  /** Questions of this instruction the person answered. */
  judged: number;
  /** Claims where the labeler disagrees with the person, or (world runs, no person's answer) with the truth. */
  disputed: number;
}

export interface AuditClaim {
  index: number;
  claim: string;
  question: string;
  /** The labeler's P(yes)+P(Yes) and P(no)+P(No). */
  yes: number;
  no: number;
  /** The labeler's verdict (yes > no). */
  labelerAccepted: boolean;
  /** The person's answer, when there is one. */
  human?: HumanAnswer;
  /** The exact truth in world runs (null when the claim cannot be parsed); absent for file instructions. */
  truth?: boolean | null;
}

export interface AuditCandidate {
  id: string;
  index: number;
  text: string;
  /** `-n_rejected` as the run scored it; null when never scored. */
  score: number | null;
  /** The roles this candidate plays in the run's kept pairs. */
  chosenIn: number;
  rejectedIn: number;
  claims: AuditClaim[];
}

/** `GET /api/instructions/:id` (id URL-encoded) */
export interface AuditInstruction {
  id: string;
  question: string;
  /** URL of the image as PNG (`/image/:id`), or null when it cannot be loaded (the message says why). */
  image: string | null;
  imageError?: string;
  candidates: AuditCandidate[];
  pairs: Array<{ chosen: string; rejected: string; scoreChosen: number; scoreRejected: number }>;
}

/** `POST /api/verdict` body; answers `{ agreement }` (the run's new totals). */
export interface VerdictRequest {
  instructionId: string;
  question: string;
  answer: HumanAnswer | null;
}

/** A person's own feedback on one instruction (`GET /api/instructions/<id>`'s `mine`). */
export interface MyFeedback {
  /** By question (trimmed). */
  verdicts: Record<string, YesNo>;
  /** By candidate id. */
  ratings: Record<string, number>;
  /** By candidate id; `''` for the comment on the instruction. */
  comments: Record<string, string>;
  corrections: Record<string, string>;
  /** By `chosen + '\u0000' + rejected`. */
  pairs: Record<string, PairJudgement>;
  flag: { badImage: boolean; badQuestion: boolean };
  done: boolean;
}
