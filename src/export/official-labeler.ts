/**
 * Labeler records exactly as the official RLAIF-V autocheck stage writes them
 * (`minicpm-llama3-v-25/minicpmv_autocheck.py`, docs/method.md §7), so that the official pair stage
 * (`utils/pair_construction.py`, `utils/get_preference_pairs.py`) consumes our verdicts:
 *
 * ```
 * {question_id, ds_question_id, raw_question, answer, scores: {yes, Yes, no, No},
 *  metainfos: {question_id, ds_question_id, image_path,
 *              metainfos: {ds_question_id, image_path, metainfos,
 *                          origin_question, origin_answer, origin_fact, origin_changed_fact,
 *                          origin_all_facts, origin_changed_all_facts}},
 *  model_path}
 * ```
 *
 * The nesting is the official chain's: the autocheck stage writes the question record it read, minus
 * `question` (its `metainfos` level 1); that record's `metainfos` is the generation record's metainfo
 * (the input record `{ds_question_id, image_path, question, metainfos}` minus `question`) plus the
 * `origin_*` fields the divide-and-conquer stage adds (`utils/llama3_8b_inference.py`,
 * `construct_question_yesno`). The pair stage groups by `metainfos.ds_question_id` and
 * `metainfos.metainfos.origin_question`, and looks each verdict up by `raw_question`.
 *
 * `question_id` names the judged response (candidate), `ds_question_id` its instruction, and
 * `raw_question` the polar question asked about one claim with the suffix " Please answer yes or
 * no." that the labeler saw. The official rule accepts a claim when `yes + Yes > no + No`.
 *
 * Our backends report only the sums (`YesNoResult`: yes = P(yes)+P(Yes), no = P(no)+P(No)).
 * Those are written as `{yes: sum_yes, Yes: 0, no: sum_no, No: 0}`: the split between the two
 * spellings is unknown, and putting each sum on the lowercase token keeps both sums, and so
 * the official verdict, exactly equal to ours. Reading sums the two spellings back. `answer` (the
 * token the official labeler generated) is our verdict, `yes` or `no`.
 */
import { z } from 'zod';
import { YES_NO_SUFFIX, type YesNoResult } from '../backend/types.ts';
import { issueField } from '../util/settings.ts';

const probability = z.number().finite().min(0).max(1.000001);
const id = z.union([z.string(), z.number()]);

/** What reading needs; everything else the official records carry is let through. */
const OfficialLabelerRecordSchema = z.object({
  question_id: id,
  ds_question_id: id.optional(),
  raw_question: z.string(),
  scores: z.object({ yes: probability, Yes: probability, no: probability, No: probability }),
  metainfos: z.object({ ds_question_id: id.optional() }).passthrough().optional(),
}).passthrough();

/** The four token probabilities when a backend knows them separately. */
export interface FourWayScores {
  yes: number;
  Yes: number;
  no: number;
  No: number;
}

/** The divide-and-conquer stage's record of one claim (`construct_question_yesno`): level 2 of the nesting. */
export interface OfficialClaimMeta {
  ds_question_id: string | number;
  image_path: string;
  /** The input record's own `metainfos` (for us: the instruction record's other fields; `{}` for world scenes). */
  metainfos: Record<string, unknown>;
  origin_question: string;
  origin_answer: string;
  origin_fact: string;
  origin_changed_fact: string;
  origin_all_facts: string[];
  origin_changed_all_facts: string[];
}

/** A line of labeler.official.jsonl, key for key and in the official key order. */
export interface OfficialLabelerRecord {
  question_id: string | number;
  ds_question_id: string | number;
  raw_question: string;
  answer: string;
  scores: FourWayScores;
  /** The question record the autocheck stage read, minus `question`. */
  metainfos: { question_id: string | number; ds_question_id: string | number; image_path: string; metainfos: OfficialClaimMeta };
  model_path: string;
}

export interface LabelerVerdict {
  /** The judged response (candidate) id. */
  questionId: string | number;
  /** The instruction id. */
  dsQuestionId: string | number;
  /** The polar question about one claim, without the "Please answer yes or no." suffix. */
  question: string;
  result: YesNoResult | FourWayScores;
  /** The labeler's reply; default `yes` when the verdict accepts, else `no`. */
  answer?: string;
  /** The labeler (`model_path`). */
  model: string;
  /** The instruction: its question, its image's path and its record's other fields. */
  instruction: { question: string; imagePath: string; meta: Record<string, unknown> };
  /** The judged response's text, the claim, and all of the response's claims and questions (in order). */
  response: string;
  claim: string;
  allClaims: readonly string[];
  allQuestions: readonly string[];
}

/**
 * `toOfficialLabelerRecord({questionId: 'c1', dsQuestionId: 'i1', question: 'Is there a dog?', result: {yes: 0.9, no: 0.1}, ...})`
 * → `{question_id: 'c1', ds_question_id: 'i1', raw_question: 'Is there a dog? Please answer yes or no.', answer: 'yes',
 *    scores: {yes: 0.9, Yes: 0, no: 0.1, No: 0}, metainfos: {...}, model_path: ...}`.
 */
export function toOfficialLabelerRecord(v: LabelerVerdict): OfficialLabelerRecord {
  const r = v.result;
  const scores = 'Yes' in r ? { yes: r.yes, Yes: r.Yes, no: r.no, No: r.No } : { yes: r.yes, Yes: 0, no: r.no, No: 0 };
  const accepted = scores.yes + scores.Yes > scores.no + scores.No;
  const image_path = v.instruction.imagePath;
  return {
    question_id: v.questionId,
    ds_question_id: v.dsQuestionId,
    raw_question: `${v.question}${YES_NO_SUFFIX}`,
    answer: v.answer ?? (accepted ? 'yes' : 'no'),
    scores,
    metainfos: {
      question_id: v.questionId,
      ds_question_id: v.dsQuestionId,
      image_path,
      metainfos: {
        ds_question_id: v.dsQuestionId,
        image_path,
        metainfos: v.instruction.meta,
        origin_question: v.instruction.question,
        origin_answer: v.response,
        origin_fact: v.claim,
        origin_changed_fact: v.question,
        origin_all_facts: [...v.allClaims],
        origin_changed_all_facts: [...v.allQuestions],
      },
    },
    model_path: v.model,
  };
}

/**
 * Validate an official record and sum its spellings: `{..., result: {yes: yes+Yes, no: no+No}}`.
 * `question` drops the " Please answer yes or no." suffix; `dsQuestionId` is read where the
 * official pair stage reads it (`metainfos.ds_question_id`, else the top level).
 */
export function fromOfficialLabelerRecord(value: unknown, where = 'labeler record'): { questionId: string | number; dsQuestionId: string | number; question: string; result: YesNoResult } {
  const r = OfficialLabelerRecordSchema.safeParse(value);
  const shape = 'official labeler records look like {question_id, ds_question_id, raw_question, scores: {yes, Yes, no, No}, metainfos}';
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${where}: field '${issueField(issue, '')}' ${issue.message}; ${shape}`);
  }
  const dsQuestionId = r.data.metainfos?.ds_question_id ?? r.data.ds_question_id;
  if (dsQuestionId === undefined) throw new Error(`${where}: field 'ds_question_id' is missing (nor in metainfos); ${shape}`);
  const s = r.data.scores;
  const raw = r.data.raw_question;
  return {
    questionId: r.data.question_id,
    dsQuestionId,
    question: raw.endsWith(YES_NO_SUFFIX) ? raw.slice(0, -YES_NO_SUFFIX.length) : raw,
    result: { yes: s.yes + s.Yes, no: s.no + s.No },
  };
}
