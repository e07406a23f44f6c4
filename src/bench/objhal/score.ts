/**
 * Object HalBench end to end for one set of answers: extract mentions with the chosen extractor,
 * score them against the ground truth, and build the items.jsonl records.
 */
import type { ChatModel } from '../../backend/types.ts';
import { extractWithLlm, judgeInfo, type ObjhalJudgeInfo, type ObjhalJudgeSettings } from './llm.ts';
import type { ObjhalMention } from './mention.ts';
import { scoreObjhal, type ObjhalItemScore, type ObjhalMetrics } from './metrics.ts';
import type { ObjhalNlp, ObjhalTaggingNlp } from './nlp.ts';
import { cleanAnswer } from './questions.ts';
import { parseByRules } from './rules.ts';
import type { ObjhalVocabulary } from './vocabulary.ts';

export const OBJHAL_EXTRACTORS = ['rules', 'llm'] as const;
export type ObjhalExtractorName = (typeof OBJHAL_EXTRACTORS)[number];

export type ObjhalExtractor =
  | { name: 'rules'; nlp: ObjhalNlp }
  | { name: 'llm'; nlp: ObjhalTaggingNlp; chat: ChatModel; settings: ObjhalJudgeSettings };

export interface ObjhalAnswer {
  imageId: number;
  question: string;
  /** The model's raw answer; `Assistant:` is removed and it is trimmed, as upstream does. */
  answer: string;
}

/** One line of items.jsonl: the answer, what was extracted, what counted as hallucinated and why. */
export interface ObjhalItemRecord extends ObjhalItemScore {
  question: string;
  answer: string;
  extractor: ObjhalExtractorName;
  /** `rules`: the lemmas after two-word phrases merged; `llm`: the strings kept from the judge's list. */
  extracted: string[];
  /** `llm` only: what the judge did. */
  judge?: { status: 'parsed' | 'short' | 'unparsed'; objects: string[]; replies: string[]; error?: string };
}

export interface ObjhalRun {
  metrics: ObjhalMetrics;
  items: ObjhalItemRecord[];
  extractor: ObjhalExtractorName;
  /** `llm` only: the judge and its settings, part of the metric. */
  judge?: ObjhalJudgeInfo;
}

/**
 * Scores answers against per-image ground truth (`cocoGroundTruth`). An image with no ground-truth
 * entry scores as an empty set, so each of its mentions counts as hallucinated.
 */
export async function scoreObjhalAnswers(
  answers: readonly ObjhalAnswer[], groundTruth: ReadonlyMap<number, ReadonlySet<string>>, vocab: ObjhalVocabulary, extractor: ObjhalExtractor,
): Promise<ObjhalRun> {
  const cleaned = answers.map((a) => ({ ...a, answer: cleanAnswer(a.answer) }));
  const found: Array<{ mentions: ObjhalMention[]; extracted: string[]; judge?: ObjhalItemRecord['judge'] }> = extractor.name === 'rules'
    ? cleaned.map((a) => {
      const p = parseByRules(a.answer, vocab, extractor.nlp);
      return { mentions: p.mentions, extracted: p.words };
    })
    : (await extractWithLlm(extractor.chat, cleaned, vocab, extractor.nlp, extractor.settings)).map((x) => ({
      mentions: x.mentions,
      extracted: x.objects,
      judge: { status: x.status, objects: x.judgeObjects, replies: x.replies, ...(x.error !== undefined ? { error: x.error } : {}) },
    }));
  const { metrics, items } = scoreObjhal(cleaned.map((a, i) => ({
    imageId: a.imageId,
    answer: a.answer,
    mentions: found[i]!.mentions,
    groundTruth: groundTruth.get(a.imageId) ?? new Set<string>(),
    unparsed: found[i]!.judge?.status === 'unparsed',
  })));
  return {
    metrics,
    extractor: extractor.name,
    ...(extractor.name === 'llm' ? { judge: judgeInfo(extractor.chat, extractor.settings) } : {}),
    items: items.map((it, i) => ({
      ...it,
      question: cleaned[i]!.question,
      answer: cleaned[i]!.answer,
      extractor: extractor.name,
      extracted: found[i]!.extracted,
      ...(found[i]!.judge ? { judge: found[i]!.judge } : {}),
    })),
  };
}
