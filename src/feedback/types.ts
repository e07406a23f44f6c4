/**
 * People's feedback on a `generate` run, as the feedback site records it: who said what about
 * which instruction, candidate, claim or pair, and when. One append-only log of events per run
 * folder (`DIR/feedback.sqlite`); nothing is overwritten, and for each person and target the last
 * event wins. The audit site writes it, the label and pair stages read the people's majority and
 * their corrections from it, and `rlaifv audit export` writes it as JSONL for other tools.
 *
 * This module holds the shapes only; `./store.ts` keeps them, `./agreement.ts` measures them.
 */

export type Role = 'annotator' | 'admin';

export interface Person {
  /** Opaque, stable id (`p1`, `p2`, ...); never a name, which people may share. */
  id: string;
  name: string;
  role: Role;
  /** ISO times. */
  createdAt: string;
  revokedAt: string | null;
}

/** A person's answer to a claim's yes/no question (one per instruction and question, as the labeler's). */
export type YesNo = 'yes' | 'no';

export type PairJudgement = 'agree' | 'disagree' | 'tie';

/** A word-level change of a correction: `original[from[0], from[1])` became `corrected[to[0], to[1])` (character offsets). */
export interface ChangedSpan {
  from: [number, number];
  to: [number, number];
}

/**
 * What a person can say. `null` (or an empty comment) withdraws the person's earlier event on the
 * same target. Targets: a verdict is keyed by (instructionId, question), a rating, comment and
 * correction by (instructionId, candidateId) (a comment with `candidateId: null` is on the
 * instruction), a pair judgement by (instructionId, chosen, rejected), a flag by instructionId.
 */
export type FeedbackEvent =
  | { kind: 'verdict'; instructionId: string; question: string; answer: YesNo | null }
  | { kind: 'rating'; instructionId: string; candidateId: string; rating: 1 | 2 | 3 | 4 | 5 | null }
  | { kind: 'comment'; instructionId: string; candidateId: string | null; text: string }
  /** `original` is the candidate's text as the page showed it; the store computes `spans`. */
  | { kind: 'correction'; instructionId: string; candidateId: string; original: string; text: string | null }
  | { kind: 'pair'; instructionId: string; chosen: string; rejected: string; judgement: PairJudgement | null }
  | { kind: 'flag'; instructionId: string; badImage: boolean; badQuestion: boolean }
  /** The person is done with the instruction: it leaves their queue and counts toward its coverage. */
  | { kind: 'done'; instructionId: string }
  /** Admin only (the server checks the role): the campaign's settings from now on. */
  | { kind: 'settings'; guidelines: string; perItem: number; disputedFirst: boolean };

export type FeedbackKind = FeedbackEvent['kind'];

/** An event as stored: its place in the log, who gave it and when. */
export type RecordedEvent = FeedbackEvent & {
  /** 1, 2, ... in the order the store committed them. */
  seq: number;
  personId: string;
  /** ISO time. */
  at: string;
  /** Corrections only: the changed spans between `original` and `text`. */
  spans?: ChangedSpan[];
};

/** The campaign as an admin set it last (defaults before any settings event). */
export interface CampaignSettings {
  /** Markdown-free plain text shown on every page. */
  guidelines: string;
  /** How many people should finish each instruction before it leaves everyone's queue (>= 1). */
  perItem: number;
  /** Queue disputed instructions first. */
  disputedFirst: boolean;
}

export const DEFAULT_SETTINGS: CampaignSettings = { guidelines: '', perItem: 1, disputedFirst: true };

/** Size limits on every text a person sends (characters); the store refuses larger ones. */
export const LIMITS = {
  name: 80,
  question: 1_000,
  id: 200,
  comment: 4_000,
  correction: 8_000,
  guidelines: 20_000,
  maxPerItem: 50,
} as const;

/** The people's majority on a claim's question; ties are left out (the labeler's verdict stands). */
export interface MajorityVerdict {
  instructionId: string;
  question: string;
  answer: YesNo;
  /** How many people answered, and how many said `answer`. */
  votes: number;
  agreeing: number;
}

/** A person's standing correction of a candidate: the corrected text is preferred over the original. */
export interface Correction {
  personId: string;
  instructionId: string;
  candidateId: string;
  original: string;
  text: string;
  spans: ChangedSpan[];
  at: string;
}

/** The people's majority judgement of a kept pair; ties between judgements are left out. */
export interface MajorityPairJudgement {
  instructionId: string;
  chosen: string;
  rejected: string;
  judgement: PairJudgement;
  votes: number;
  agreeing: number;
}
