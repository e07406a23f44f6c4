/**
 * MMHal-Bench's question file (the 96-record `response_template.json`, vendored in
 * data/benchmarks/mmhal/): read, validated record by record, kept in file order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../../settings.ts';
import { FileError } from '../../util/errors.ts';
import { issueField } from '../../util/settings.ts';

/** The vendored question file. */
export const MMHAL_TEMPLATE_FILE = join(PACKAGE_ROOT, 'data', 'benchmarks', 'mmhal', 'response_template.json');

/** MMHal-Bench's size: the official scorer asserts 96 records. */
export const MMHAL_QUESTION_COUNT = 96;

/**
 * Question types in the order the official scorer assigns them: record i has type `[i % 8]`
 * (eval/eval_gpt_mmhal.py, "assuming order of 96 questions is not changed").
 */
export const MMHAL_QUESTION_TYPES = [
  'attribute', 'adversarial', 'comparison', 'counting', 'relation', 'environment', 'holistic', 'other',
] as const;
export type MmhalQuestionType = (typeof MMHAL_QUESTION_TYPES)[number];

/** One question; `index` is its position in the file, which decides its type for the per-type scores. */
export interface MmhalItem {
  index: number;
  questionType: MmhalQuestionType;
  questionTopic: string;
  /** OpenImages image id. */
  imageId: string;
  /** Flickr URL the image was taken from; its last path segment is the image's file name. */
  imageSrc: string;
  /** OpenImages labels, shown to the judge joined with ', '. */
  imageContent: string[];
  question: string;
  /** The human reference answer the judge compares with. */
  gtAnswer: string;
}

const nonEmpty = z.string().refine((s) => s.trim() !== '', 'must not be empty');

const RecordSchema = z.object({
  question_type: z.enum(MMHAL_QUESTION_TYPES),
  question_topic: z.string(),
  image_id: nonEmpty,
  image_src: nonEmpty,
  image_content: z.array(z.string()),
  question: nonEmpty,
  gt_answer: z.string(),
  model_answer: z.string().optional(),
});

/** The type the official scorer gives the record at `index`. */
export function questionTypeAt(index: number): MmhalQuestionType {
  return MMHAL_QUESTION_TYPES[index % MMHAL_QUESTION_TYPES.length]!;
}

/**
 * Validate the parsed JSON of a template file. `file` only names the source in errors. A record
 * whose `question_type` is not the type its position gives means the file was reordered, which
 * would silently mix the per-type scores, so it is an error too.
 */
export function parseMmhalTemplate(json: unknown, file: string): MmhalItem[] {
  if (!Array.isArray(json)) throw new FileError(`${file}: expected a JSON array of MMHal-Bench records, got ${json === null ? 'null' : typeof json}`);
  if (json.length !== MMHAL_QUESTION_COUNT) {
    throw new FileError(`${file}: MMHal-Bench has ${MMHAL_QUESTION_COUNT} records, the file has ${json.length}; use the benchmark's response_template.json unchanged`);
  }
  return json.map((raw, index) => {
    const r = RecordSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issueField(issue, '');
      throw new FileError(`${file}: record ${index}: ${field ? `field '${field}': ` : ''}${issue.message}`);
    }
    const expected = questionTypeAt(index);
    if (r.data.question_type !== expected) {
      throw new FileError(`${file}: record ${index}: question_type '${r.data.question_type}' but position ${index} (i % 8 = ${index % 8}) is '${expected}'; the records must stay in the official order`);
    }
    return {
      index,
      questionType: expected,
      questionTopic: r.data.question_topic,
      imageId: r.data.image_id,
      imageSrc: r.data.image_src,
      imageContent: r.data.image_content,
      question: r.data.question,
      gtAnswer: r.data.gt_answer,
    };
  });
}

/** The 96 questions, from the vendored file unless `file` is given: `readMmhalTemplate()[0].question`. */
export function readMmhalTemplate(file: string = MMHAL_TEMPLATE_FILE): MmhalItem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FileError(`${file}: cannot read the MMHal-Bench template (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseMmhalTemplate(json, file);
}
