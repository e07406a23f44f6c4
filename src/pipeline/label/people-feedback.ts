/**
 * What people said about a run that trains the next round, read once when `generate` starts on the
 * folder: the majority verdict per claim question (the label stage), the standing corrections and
 * the majority judgement per kept pair (the pair stage). From `DIR/feedback.sqlite` (the feedback
 * site's store, opened read-only) when it exists, else from `DIR/audit.jsonl` (one person, verdicts
 * only), else nothing.
 */
import { FeedbackStore, FEEDBACK_FILE, pairKey } from '../../feedback/store.ts';
import type { Correction, MajorityPairJudgement, MajorityVerdict, PairJudgement } from '../../feedback/types.ts';
import { humanKey, readHumanVerdicts, type HumanAnswer } from './human-verdicts.ts';

/** A pair judgement of people's majority, with who gave it. */
export type JudgementInForce = MajorityPairJudgement & { who: string[] };

export interface PeopleFeedback {
  /** Where it came from; null when the run folder has neither file. */
  source: typeof FEEDBACK_FILE | 'audit.jsonl' | null;
  /** The answer in force per `humanKey(instructionId, question)`: the majority's; ties are left out, so the labeler's verdict stands. */
  verdicts: Map<string, HumanAnswer>;
  /** Standing corrections, in the order they were given. */
  corrections: Correction[];
  /** Majority judgements of pairs; ties between judgements are left out. */
  pairJudgements: JudgementInForce[];
}

/** What the reader needs of the store (`FeedbackStore` has it; a test may pass its own). */
export interface FeedbackViews {
  majorityVerdicts(): MajorityVerdict[];
  corrections(): Correction[];
  majorityPairJudgements(): MajorityPairJudgement[];
  pairJudgements(): Map<string, Map<string, PairJudgement>>;
}

export const NO_PEOPLE_FEEDBACK: PeopleFeedback = { source: null, verdicts: new Map(), corrections: [], pairJudgements: [] };

/**
 * The feedback in force in a run folder.
 * `readPeopleFeedback('runs/gen').verdicts.get(humanKey('w0-train-3', 'Is there a red circle?'))` -> 'no'
 */
export function readPeopleFeedback(runDir: string): PeopleFeedback {
  const store = FeedbackStore.openIfExists(runDir);
  if (!store) {
    const verdicts = readHumanVerdicts(runDir);
    return verdicts.size === 0 ? NO_PEOPLE_FEEDBACK : { ...NO_PEOPLE_FEEDBACK, source: 'audit.jsonl', verdicts };
  }
  try {
    return peopleFeedbackFrom(store);
  } finally {
    store.close();
  }
}

/** The verdicts in force alone: people's majority per claim question, or the single person's `audit.jsonl`. */
export function readPeopleVerdicts(runDir: string): Map<string, HumanAnswer> {
  return readPeopleFeedback(runDir).verdicts;
}

/** The feedback in force from the store's views. */
export function peopleFeedbackFrom(views: FeedbackViews): PeopleFeedback {
  const verdicts = new Map(views.majorityVerdicts().map((v) => [humanKey(v.instructionId, v.question), v.answer] as const));
  const byPerson = views.pairJudgements();
  const pairJudgements = views.majorityPairJudgements().map((m) => {
    const key = pairKey(m.instructionId, m.chosen, m.rejected);
    const who = [...byPerson].filter(([, judged]) => judged.get(key) === m.judgement).map(([person]) => person).sort();
    return { ...m, who };
  });
  return { source: FEEDBACK_FILE, verdicts, corrections: views.corrections(), pairJudgements };
}
