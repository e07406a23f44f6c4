/**
 * The preference pair every exporter takes: one instruction, its image, the chosen and the
 * rejected answer, and where they came from. Exporters validate pairs as they write them.
 */
import { z } from 'zod';
import type { ChangedSpan } from '../feedback/types.ts';
import type { RgbImage } from '../image/rgb.ts';
import { encodePng, isJpeg, isPng } from '../image/codec.ts';
import { issueField } from '../util/settings.ts';

/**
 * Where a pair's preference came from: `ai` the labeler's scores alone; `ai+human-agree` the
 * labeler's pair, which people's majority judged right; `human-judgement` the labeler's pair
 * reversed, because people's majority judged it wrong; `human-correction` a person's corrected
 * answer preferred over the candidate it corrects.
 */
export const PAIR_ORIGINS = ['ai', 'ai+human-agree', 'human-judgement', 'human-correction'] as const;
export type PairOrigin = (typeof PAIR_ORIGINS)[number];

/** What people said about a pair, for `origin_split.people`: who (person ids, never names), and a correction's changed spans. */
export interface PairPeople {
  /** Ids of the people behind the pair (the correction's authors, or the majority of a judgement). */
  who: string[];
  /** A judgement: how many people judged the pair, and how many of them gave the majority's judgement. */
  votes?: number;
  agreeing?: number;
  /** A correction: `rejected[from]` became `chosen[to]` (character offsets). */
  spans?: ChangedSpan[];
}

export interface PairMeta {
  /** The policy that sampled both answers (deconfounded: same model, same settings, docs/method.md §1). */
  generator: string;
  /** The labeler MLLM that checked the claims (docs/method.md §2.3). */
  labeler: string;
  /** e.g. 'detailed_description' or 'question_answering'. */
  questionType?: string;
  /** Scores are -n_rejected_claims (docs/method.md §2.4). */
  chosenScore?: number;
  rejectedScore?: number;
  /** Sampling seeds of the two candidates. */
  seeds?: { chosen: number; rejected: number };
  /** The instruction the pair answers (several pairs may share one). */
  instructionId?: string;
  /** `ds_name` column; default from the exporter options. */
  dsName?: string;
  /** `origin_dataset` column: where the image/question came from. */
  originDataset?: string;
  /** `image_path` column and the image struct's `path`; default `<id>.png`. */
  imagePath?: string;
  /** What people said about the pair (`origin_split.people`); absent for pairs nobody judged. */
  people?: PairPeople;
  /** Anything else worth keeping; merged into `origin_split`. */
  extra?: Record<string, unknown>;
}

export interface PairRecord {
  /** Unique per pair; the `idx` column. */
  id: string;
  /** Decoded pixels (encoded as PNG on export) or PNG/JPEG bytes (written unchanged). */
  image: RgbImage | Uint8Array;
  question: string;
  chosen: string;
  rejected: string;
  meta: PairMeta;
  /**
   * Summed log π_ref of the chosen and the rejected answer (the round's starting model), when they
   * were computed with the data: exporters then add TRL's `ref_chosen_logps` / `ref_rejected_logps`
   * columns, so a trainer needs no second model. Give them for every pair of a file or for none.
   */
  reference?: { chosen: number; rejected: number };
  /**
   * Where the preference came from; every exporter then adds an `origin` column (and
   * `origin_split.origin`). Give it for every pair of a file or for none.
   */
  origin?: PairOrigin;
}

const nonEmpty = z.string({ error: (iss) => (iss.input === undefined ? 'is missing' : 'must be a string') }).min(1, 'is empty');

const PairMetaSchema = z.object({
  generator: nonEmpty,
  labeler: nonEmpty,
  questionType: z.string().optional(),
  chosenScore: z.number().finite().optional(),
  rejectedScore: z.number().finite().optional(),
  seeds: z.object({ chosen: z.number().int(), rejected: z.number().int() }).optional(),
  instructionId: z.string().optional(),
  dsName: z.string().optional(),
  originDataset: z.string().optional(),
  imagePath: z.string().min(1).optional(),
  people: z.object({
    who: z.array(z.string()),
    votes: z.number().int().nonnegative().optional(),
    agreeing: z.number().int().nonnegative().optional(),
    spans: z.array(z.object({ from: z.tuple([z.number().int(), z.number().int()]), to: z.tuple([z.number().int(), z.number().int()]) })).optional(),
  }).strict().optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
}).strict();

const PairSchema = z.object({
  id: nonEmpty,
  image: z.unknown(),
  question: nonEmpty,
  chosen: nonEmpty,
  rejected: nonEmpty,
  meta: PairMetaSchema,
  reference: z.object({ chosen: z.number().finite(), rejected: z.number().finite() }).optional(), // a ReferenceLogProbs (with token counts) will do
  origin: z.enum(PAIR_ORIGINS).optional(),
}).strict();

/** Throws naming the pair (position and id), the field and the fix. */
export function checkPair(pair: PairRecord, position: number): void {
  const r = PairSchema.safeParse(pair);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issueField(issue, '(record)');
    throw new Error(`pair ${position} (id ${JSON.stringify((pair as { id?: unknown }).id)}): field '${field}' ${issue.message}; fix the PairRecord before export`);
  }
  imageBytes(pair, position);
}

/** The encoded image of a pair and its file extension: RGB is encoded as PNG, bytes pass through. */
export function imageBytes(pair: PairRecord, position = 0): { bytes: Uint8Array; ext: 'png' | 'jpg' } {
  const image = pair.image;
  if (image instanceof Uint8Array) {
    if (isPng(image)) return { bytes: image, ext: 'png' };
    if (isJpeg(image)) return { bytes: image, ext: 'jpg' };
    throw new Error(`pair ${position} (id ${JSON.stringify(pair.id)}): field 'image' holds bytes that are neither PNG nor JPEG; pass an RgbImage or PNG/JPEG bytes`);
  }
  if (image && typeof image === 'object' && image.data instanceof Uint8Array) return { bytes: encodePng(image), ext: 'png' };
  throw new Error(`pair ${position} (id ${JSON.stringify(pair.id)}): field 'image' must be an RgbImage or PNG/JPEG bytes`);
}

/**
 * The `origin_split` JSON of the published dataset: generator as `model`, labeler as
 * `feedback_model`, question type as `type` (the keys the published rows use), then our extras
 * (the pair's `origin` and what `people` said about it among them).
 * `originSplit({generator: 'g', labeler: 'l'})` → `'{"model":"g","feedback_model":"l"}'`.
 */
export function originSplit(meta: PairMeta, origin?: PairOrigin): string {
  const out: Record<string, unknown> = {
    model: meta.generator,
    feedback_model: meta.labeler,
    type: meta.questionType,
    chosen_score: meta.chosenScore,
    rejected_score: meta.rejectedScore,
    seeds: meta.seeds,
    instruction_id: meta.instructionId,
    origin,
    people: meta.people,
    ...meta.extra,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return JSON.stringify(out);
}

/**
 * Whether every pair of a file carries reference log-probs: decided by the first pair, so a file
 * never holds the columns for some rows only. Throws naming the pair that breaks the rule.
 */
export function checkReferencePresence(pair: PairRecord, position: number, withReference: boolean): void {
  if ((pair.reference !== undefined) === withReference) return;
  throw new Error(`pair ${position} (id ${JSON.stringify(pair.id)}): ${withReference ? 'has no' : 'has'} field 'reference' where pair 0 ${withReference ? 'has one' : 'has none'}; give reference log-probs for every pair of a file or for none`);
}

/** Whether every pair of a file carries an origin, decided by the first pair as for `checkReferencePresence`. */
export function checkOriginPresence(pair: PairRecord, position: number, withOrigin: boolean): void {
  if ((pair.origin !== undefined) === withOrigin) return;
  throw new Error(`pair ${position} (id ${JSON.stringify(pair.id)}): ${withOrigin ? 'has no' : 'has'} field 'origin' where pair 0 ${withOrigin ? 'has one' : 'has none'}; give an origin for every pair of a file or for none`);
}

/** Pairs from an array, a generator or an async stream, one at a time. */
export type PairSource = Iterable<PairRecord> | AsyncIterable<PairRecord>;
