/**
 * AMBER's yes/no questions: mapping a free-form answer to the literal "Yes"/"No" upstream compares
 * with, the per-answer counters, and accuracy/precision/recall/F1 with upstream's rounding.
 * "No" is the positive class (the model rejects a hallucinated premise).
 */
import type { DiscriminativeAnnotation, DiscriminativeType } from './data.ts';
import { pythonRound1 } from './python-round.ts';

/**
 * How a free-form answer becomes "Yes"/"No" (upstream specifies none: it demands exactly "Yes"
 * or "No"). `first-word` (ours, the default): the first run of letters, case-folded, must be `yes`
 * or `no` ("Yes.", "no, there is none" map; "There is no dog" does not). `exact`: upstream's literal
 * string equality. Anything unmapped is wrong and never counts as a "No".
 */
export type AnswerMapping = 'first-word' | 'exact';
export const ANSWER_MAPPINGS: readonly AnswerMapping[] = ['first-word', 'exact'];

export function mapYesNo(answer: string, mapping: AnswerMapping = 'first-word'): 'Yes' | 'No' | null {
  if (mapping === 'exact') return answer === 'Yes' || answer === 'No' ? answer : null;
  const first = /\p{L}+/u.exec(answer)?.[0]?.toLowerCase();
  if (first === 'yes') return 'Yes';
  if (first === 'no') return 'No';
  return null;
}

export interface DiscriminativeItemRecord {
  id: number;
  kind: DiscriminativeType;
  answer: string;
  /** The answer as upstream would compare it; null when the mapping found neither yes nor no. */
  mapped: 'Yes' | 'No' | null;
  truth: 'yes' | 'no';
  correct: boolean;
}

/** Upstream's counter prefix per question type (relation covers both relation types). */
export function counterPrefix(type: DiscriminativeType): 'ha_' | 'as_' | 'an_' | 'aa_' | 'asso_' {
  switch (type) {
    case 'discriminative-hallucination': return 'ha_';
    case 'discriminative-attribute-state': return 'as_';
    case 'discriminative-attribute-number': return 'an_';
    case 'discriminative-attribute-action': return 'aa_';
    default: return 'asso_';
  }
}

export function scoreDiscriminativeAnswer(annotation: DiscriminativeAnnotation, answer: string, mapping: AnswerMapping): DiscriminativeItemRecord {
  const mapped = mapYesNo(answer, mapping);
  const correct = (annotation.truth === 'yes' && mapped === 'Yes') || (annotation.truth === 'no' && mapped === 'No');
  return { id: annotation.id, kind: annotation.type, answer, mapped, truth: annotation.truth, correct };
}

/** Adds one answer to the overall and per-type counters, as upstream does. */
export function addDiscriminativeCounts(counters: Record<string, number>, item: DiscriminativeItemRecord): void {
  const p = counterPrefix(item.kind);
  const bump = (suffix: string) => {
    counters[suffix]! += 1;
    counters[p + suffix]! += 1;
  };
  bump('qa_correct_num');
  if (item.correct) bump('qa_correct_score');
  if (item.truth === 'no') {
    bump('qa_no_num');
    if (item.mapped === 'No') bump('qa_no_score');
  }
  if (item.mapped === 'No') {
    bump('qa_ans_no_num');
    if (item.truth === 'no') bump('qa_ans_no_score');
  }
}

export interface YesNoMetrics {
  /** Percent, one decimal, as upstream prints them. */
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Metrics from counters whose names start with one of `prefixes` (summed in that order, as the
 * attribute dimension pools state + number + action, seeds included). F1 is computed from the
 * ROUNDED precision and recall, with `epsilon` added to the denominator: 0.0001 everywhere but
 * existence, where upstream writes 0.001.
 */
export function yesNoMetrics(counters: Record<string, number>, prefixes: readonly string[], epsilon = 0.0001): YesNoMetrics {
  const sum = (suffix: string) => prefixes.map((p) => counters[p + suffix]!).reduce((a, b) => a + b);
  const accuracy = pythonRound1((sum('qa_correct_score') / sum('qa_correct_num')) * 100);
  const precision = pythonRound1((sum('qa_ans_no_score') / sum('qa_ans_no_num')) * 100);
  const recall = pythonRound1((sum('qa_no_score') / sum('qa_no_num')) * 100);
  const f1 = pythonRound1(((2 * (precision / 100) * (recall / 100)) / (precision / 100 + recall / 100 + epsilon)) * 100);
  return { accuracy, precision, recall, f1 };
}
