/**
 * Scoring a model's MMHal-Bench answers: each answer rated by a judge, the official rating rule and
 * metrics applied, every judgement kept for the report.
 */
import { mmhalMetrics, type MmhalMetrics } from './metrics.ts';
import type { LlmJudgeSettings, MmhalJudge } from './judge.ts';
import { MMHAL_MAX_RATING, parseMmhalRating, unparsedReason } from './parse.ts';
import type { MmhalItem, MmhalQuestionType } from './template.ts';

export interface MmhalRecord {
  index: number;
  questionType: MmhalQuestionType;
  question: string;
  /** The answer as the judge saw it (after `officialAnswerText`). */
  answer: string;
  judgeText: string;
  /** The rating counted: the judge's, or 0 when its text held no single rating. */
  rating: number;
  parsed: boolean;
}

export interface UnparsedRating {
  index: number;
  question: string;
  judgeText: string;
  /** `no 'rating: d' ...` or `several ratings (2, 5)`. */
  reason: string;
}

export interface MmhalResult extends MmhalMetrics {
  /** The judge's id (the chat model's id for the LLM judge): part of the metric. */
  judge: string;
  /** The LLM judge's decoding and message layout; absent for other judges. */
  judgeSettings?: LlmJudgeSettings;
  /** Judge texts without exactly one rating, each counted as 0 (a hallucination). */
  unparsedRatings: UnparsedRating[];
  records: MmhalRecord[];
}

export interface ScoreMmhalInput {
  /** The questions (a prefix of the template or all 96), each with its template index. */
  items: readonly MmhalItem[];
  /** `answers[i]` answers `items[i]`. */
  answers: readonly string[];
  judge: MmhalJudge;
  /** Questions rated at once (default 4). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * What RLAIF-V's scorer does to an answer before judging (merge_template_answer in
 * eval/eval_gpt_mmhal.py): every `Assistant:` removed, then surrounding whitespace.
 * `officialAnswerText(' Assistant: A cat. ')` -> `'A cat.'`
 */
export function officialAnswerText(raw: string): string {
  return raw.replaceAll('Assistant:', '').trim();
}

/**
 * Rate every answer and compute the metrics. A judge text without a single rating is scored 0 and
 * listed in `unparsedRatings`; a judge that throws stops the run with its error (which names the question).
 * @example
 * const items = readMmhalTemplate();
 * const r = await scoreMmhal({ items, answers, judge: llmMmhalJudge(chat) });
 * console.log(r.score.toFixed(2), (100 * r.hallucinationRate).toFixed(1));
 */
export async function scoreMmhal(input: ScoreMmhalInput): Promise<MmhalResult> {
  const { items, answers, judge } = input;
  if (answers.length !== items.length) throw new Error(`scoreMmhal: ${answers.length} answers for ${items.length} questions`);
  if (items.length === 0) throw new Error('scoreMmhal: no questions');
  const records: MmhalRecord[] = new Array(items.length);
  let done = 0;
  await forEachLimited(items.length, input.concurrency ?? 4, async (i) => {
    const item = items[i]!;
    const answer = officialAnswerText(answers[i]!);
    const { text, rating } = await judge.rate(item, answer);
    checkRating(rating, judge.id, item.index);
    records[i] = {
      index: item.index, questionType: item.questionType, question: item.question, answer,
      judgeText: text, rating: rating ?? 0, parsed: rating !== null,
    };
    input.onProgress?.(++done, items.length);
  });
  const unparsedRatings = records.filter((r) => !r.parsed).map((r) => ({
    index: r.index, question: r.question, judgeText: r.judgeText, reason: unparsedReason(parseMmhalRating(r.judgeText).matches),
  }));
  return { ...mmhalMetrics(records), judge: judge.id, ...(judge.settings && { judgeSettings: judge.settings }), unparsedRatings, records };
}

/** A judge that returns a rating outside 0..6 is a bug in that judge, not something the user did. */
function checkRating(rating: number | null, judgeId: string, index: number): void {
  if (rating === null) return;
  if (!Number.isInteger(rating) || rating < 0 || rating > MMHAL_MAX_RATING) {
    throw new Error(`judge '${judgeId}' rated question ${index} ${rating}; a rating is an integer 0..${MMHAL_MAX_RATING} or null`);
  }
}

/** Run `work(0..n-1)` with at most `limit` in flight; the first rejection rejects the whole and stops new work. */
async function forEachLimited(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < n && !failed) {
      try {
        await work(next++);
      } catch (err) {
        failed = true; // the other workers stop taking questions: the run is lost anyway
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, n)) }, worker));
}
