/**
 * Labeler records in the official RLAIF-V pipeline's shape (docs/method.md §7), so its pair-building
 * scripts can consume our verdicts and we can consume theirs:
 * `{question_id, ds_question_id, raw_question, scores: {yes, Yes, no, No}}`.
 *
 * `question_id` names the judged response (candidate), `ds_question_id` its instruction, and
 * `raw_question` the polar question asked about one claim. The official rule accepts a claim
 * when `yes + Yes > no + No`.
 *
 * Our backends report only the sums (`YesNoResult`: yes = P(yes)+P(Yes), no = P(no)+P(No)).
 * Those are written as `{yes: sum_yes, Yes: 0, no: sum_no, No: 0}`: the split between the two
 * spellings is unknown, and putting each sum on the lowercase token keeps both sums, and so
 * the official verdict, exactly equal to ours. Reading sums the two spellings back.
 */
import { z } from 'zod';
import type { YesNoResult } from '../backend/types.ts';
import { JsonlWriter } from './jsonl-writer.ts';
import { issueField } from '../util/settings.ts';

const probability = z.number().finite().min(0).max(1.000001);

const OfficialLabelerRecordSchema = z.object({
  question_id: z.union([z.string(), z.number()]),
  ds_question_id: z.union([z.string(), z.number()]),
  raw_question: z.string(),
  scores: z.object({ yes: probability, Yes: probability, no: probability, No: probability }),
  answer: z.string().optional(),
  metainfos: z.record(z.string(), z.unknown()).optional(),
}).passthrough();

export type OfficialLabelerRecord = z.output<typeof OfficialLabelerRecordSchema>;

/** The four token probabilities when a backend knows them separately. */
export interface FourWayScores {
  yes: number;
  Yes: number;
  no: number;
  No: number;
}

export interface LabelerVerdict {
  /** The judged response (candidate) id. */
  questionId: string | number;
  /** The instruction id. */
  dsQuestionId: string | number;
  /** The polar question about one claim, without the "Please answer yes or no." suffix. */
  question: string;
  result: YesNoResult | FourWayScores;
  /** Optional extras the official scripts carry along. */
  answer?: string;
  metainfos?: Record<string, unknown>;
}

/**
 * `toOfficialLabelerRecord({questionId: 'c1', dsQuestionId: 'i1', question: 'Is there a dog?', result: {yes: 0.9, no: 0.1}})`
 * → `{question_id: 'c1', ds_question_id: 'i1', raw_question: 'Is there a dog?', scores: {yes: 0.9, Yes: 0, no: 0.1, No: 0}}`.
 */
export function toOfficialLabelerRecord(v: LabelerVerdict): OfficialLabelerRecord {
  const r = v.result;
  const scores = 'Yes' in r ? { yes: r.yes, Yes: r.Yes, no: r.no, No: r.No } : { yes: r.yes, Yes: 0, no: r.no, No: 0 };
  return {
    question_id: v.questionId,
    ds_question_id: v.dsQuestionId,
    raw_question: v.question,
    scores,
    ...(v.answer !== undefined ? { answer: v.answer } : {}),
    ...(v.metainfos !== undefined ? { metainfos: v.metainfos } : {}),
  };
}

/** Validate an official record and sum its spellings: `{..., result: {yes: yes+Yes, no: no+No}}`. */
export function fromOfficialLabelerRecord(value: unknown, where = 'labeler record'): { questionId: string | number; dsQuestionId: string | number; question: string; result: YesNoResult } {
  const r = OfficialLabelerRecordSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${where}: field '${issueField(issue, '')}' ${issue.message}; official labeler records look like {question_id, ds_question_id, raw_question, scores: {yes, Yes, no, No}}`);
  }
  const s = r.data.scores;
  return {
    questionId: r.data.question_id,
    dsQuestionId: r.data.ds_question_id,
    question: r.data.raw_question,
    result: { yes: s.yes + s.Yes, no: s.no + s.No },
  };
}

/** Write verdicts as official labeler records (JSONL, atomic at the end); returns the count. */
