/**
 * Object HalBench's scores (`compute_chair`, BENCHMARKS.md §1.4): CHAIRs over all answers and over
 * the answers that mention a COCO object (the papers' "Resp."), CHAIRi over mentions (the papers'
 * "Ment."), and recall of the ground-truth classes.
 */
import type { ObjhalMention } from './mention.ts';

export interface ObjhalScoreInput {
  imageId: number;
  answer: string;
  /** Every mention the extractor found, repeats included as the extractor counts them. */
  mentions: readonly ObjhalMention[];
  /** The image's ground-truth classes (instances ∪ caption-parsed). */
  groundTruth: ReadonlySet<string>;
  /** The judge's reply never parsed: the answer counts as mentioning nothing, and is counted. */
  unparsed?: boolean;
}

export interface ScoredMention extends ObjhalMention {
  hallucinated: boolean;
  why: string;
}

/** One answer's line of items.jsonl. */
export interface ObjhalItemScore {
  imageId: number;
  mentions: ScoredMention[];
  /** CHAIRs of this answer: any mention outside the ground truth. */
  hallucinated: boolean;
  /** At least one COCO mention: the answer is in CHAIRs_refine's denominator. */
  mentioning: boolean;
  /** Hallucinated mentions / mentions; null without mentions. */
  chairI: number | null;
  /** Distinct ground-truth classes the answer names (recall's numerator). */
  recalled: string[];
  groundTruth: string[];
  unparsed: boolean;
}

export interface ObjhalMetrics {
  /** Hallucinated answers / all answers. */
  chairS: number | null;
  /** Hallucinated answers / answers with >= 1 mention: the official "Response Hall" (Resp.). */
  chairSMentioning: number | null;
  /** Hallucinated mentions / mentions: the official "Object Hall" (Ment.). */
  chairI: number | null;
  /** Σ distinct recalled classes / Σ ground-truth classes, over every answer. */
  recall: number | null;
  n: number;
  mentioningAnswers: number;
  hallucinatedAnswers: number;
  mentions: number;
  hallucinatedMentions: number;
  recalledObjects: number;
  groundTruthObjects: number;
  /** Mean of `answer.trim().split(' ').length`, the official `avg_word_len` (single spaces, as upstream). */
  avgWords: number | null;
  /** Answers whose judge reply never parsed (scored as mentioning nothing). */
  unparsed: number;
}

export interface ObjhalScore {
  metrics: ObjhalMetrics;
  items: ObjhalItemScore[];
}

/** `ratio(1, 4)` -> 0.25; an empty denominator gives null instead of upstream's ZeroDivisionError. */
const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Scores one answer against its image's ground truth. */
export function scoreObjhalItem(x: ObjhalScoreInput): ObjhalItemScore {
  const mentions = x.mentions.map((m): ScoredMention => {
    const hallucinated = !x.groundTruth.has(m.cls);
    const why = hallucinated
      ? `"${m.word}" is class "${m.cls}", not among the ground-truth classes of image ${x.imageId}`
      : `"${m.word}" is class "${m.cls}", in the ground truth`;
    return { ...m, hallucinated, why };
  });
  const hallucinatedCount = mentions.filter((m) => m.hallucinated).length;
  return {
    imageId: x.imageId,
    mentions,
    hallucinated: hallucinatedCount > 0,
    mentioning: mentions.length > 0,
    chairI: ratio(hallucinatedCount, mentions.length),
    recalled: [...new Set(mentions.filter((m) => !m.hallucinated).map((m) => m.cls))],
    groundTruth: [...x.groundTruth].sort(),
    unparsed: x.unparsed ?? false,
  };
}

/**
 * The official counts. `scoreObjhal([{ imageId: 1, answer: 'A dog and a cat.', mentions: [dog, cat],
 * groundTruth: new Set(['dog']) }])` -> chairS 1, chairSMentioning 1, chairI 0.5, recall 1.
 */
export function scoreObjhal(inputs: readonly ObjhalScoreInput[]): ObjhalScore {
  const items = inputs.map(scoreObjhalItem);
  const sum = (f: (it: ObjhalItemScore, k: number) => number) => items.reduce((a, it, k) => a + f(it, k), 0);
  const hallucinatedAnswers = sum((it) => (it.hallucinated ? 1 : 0));
  const mentioningAnswers = sum((it) => (it.mentioning ? 1 : 0));
  const mentions = sum((it) => it.mentions.length);
  const hallucinatedMentions = sum((it) => it.mentions.filter((m) => m.hallucinated).length);
  const recalledObjects = sum((it) => it.recalled.length);
  const groundTruthObjects = sum((it) => it.groundTruth.length);
  const words = sum((_, k) => inputs[k]!.answer.trim().split(' ').length);
  return {
    items,
    metrics: {
      chairS: ratio(hallucinatedAnswers, items.length),
      chairSMentioning: ratio(hallucinatedAnswers, mentioningAnswers),
      chairI: ratio(hallucinatedMentions, mentions),
      recall: ratio(recalledObjects, groundTruthObjects),
      n: items.length,
      mentioningAnswers,
      hallucinatedAnswers,
      mentions,
      hallucinatedMentions,
      recalledObjects,
      groundTruthObjects,
      avgWords: ratio(words, items.length),
      unparsed: sum((it) => (it.unparsed ? 1 : 0)),
    },
  };
}
