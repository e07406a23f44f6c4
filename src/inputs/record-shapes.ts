/**
 * The three record shapes an instruction file may hold, validated with zod and normalised to
 * one: `{id, question, image, meta}` (plus `chosen`/`rejected` when the record is a pair).
 *
 * - rlaifv (ours):     `{id, image, question, meta?}`; other keys are kept in `meta`.
 * - official pipeline: `{ds_question_id, image_path, question, metainfos?}`; like the official
 *                      loader it also takes an inline `image` (base64) or `metainfos.image_path`.
 * - hf (openbmb/RLAIF-V-Dataset rows and the official data engine's input):
 *                      `{idx, image: {bytes, path}, question, ds_name?, origin_dataset?,
 *                        origin_split?, image_path?, chosen?, rejected?}`.
 * The shape is picked by its key field (`ds_question_id`, else `idx`, else `id`).
 */
import { z } from 'zod';
import { describe, ImageSpecError, imageSpecToSource, type BaseDirs, type ImageSource } from './image-spec.ts';
import { InputError, type RecordLocation } from './location.ts';
import { issueField } from '../util/settings.ts';

export type RecordFormat = 'rlaifv' | 'official' | 'hf';

export interface ParsedRecord {
  format: RecordFormat;
  id: string;
  question: string;
  image: ImageSource;
  meta: Record<string, unknown>;
  /** The image's path or URL as the record writes it (`image_path`, the `image` string or struct `path`); absent for inline bytes without a path. */
  imagePath?: string;
  /** Present when the record carries a preference pair (hf shape with chosen and rejected). */
  pair?: { chosen: string; rejected: string };
}

const SHAPES: Record<RecordFormat, string> = {
  rlaifv: '{id, image, question, meta?}',
  official: 'the official {ds_question_id, image_path, question, metainfos}',
  hf: 'the RLAIF-V-Dataset {idx, image: {bytes, path}, question, ...}',
};

// Parquet writers that omit the UTF8 annotation hand text back as bytes.
const asText = (v: unknown): unknown => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);

const text = (required: boolean) => z.preprocess(asText, z.string({
  error: (iss) => (iss.input === undefined ? 'is missing' : `must be a string, got ${describe(iss.input)}`),
}).refine((s) => !required || s.trim() !== '', 'is empty'));

const key = z.preprocess(asText, z.union([z.string().trim().min(1), z.number().int(), z.bigint()], {
  error: (iss) => (iss.input === undefined ? 'is missing' : `must be a non-empty string or an integer, got ${describe(iss.input)}`),
}).transform((v) => String(v)));

const object = z.record(z.string(), z.unknown(), {
  error: (iss) => `must be an object, got ${describe(iss.input)}`,
});

const Ours = z.object({ id: key, image: z.unknown(), question: text(true), meta: object.optional() });

const Official = z.object({
  ds_question_id: key,
  question: text(true),
  image_path: text(false).optional(),
  image: z.unknown().optional(),
  metainfos: object.optional(),
});

const Hf = z.object({
  idx: key,
  question: text(true),
  image: z.unknown().optional(),
  image_path: text(false).nullish(),
  ds_name: text(false).nullish(),
  origin_dataset: text(false).nullish(),
  origin_split: z.unknown().optional(),
  chosen: text(true).nullish(),
  rejected: text(true).nullish(),
});

/** Which shape a record has; `pickFormat({ds_question_id: 3})` → `'official'`. */
function pickFormat(record: Record<string, unknown>): RecordFormat {
  if ('ds_question_id' in record) return 'official';
  if ('idx' in record && !('id' in record)) return 'hf';
  return 'rlaifv';
}

/**
 * Validate and normalise one record; throws InputError naming the location, field and fix.
 * Relative image paths are tried against each of `baseDirs` in turn when the image is read.
 * `parseRecord({id: 1, image: 'a.png', question: 'Q?'}, loc, ['/data', process.cwd()])`.
 */
export function parseRecord(value: unknown, loc: RecordLocation, baseDirs: BaseDirs): ParsedRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`expected a record object like ${SHAPES.rlaifv}, got ${describe(value)}; fix the record`, loc);
  }
  const record = value as Record<string, unknown>;
  const format = pickFormat(record);
  if (format === 'official') return parseOfficial(record, loc, baseDirs);
  if (format === 'hf') return parseHf(record, loc, baseDirs);
  return parseOurs(record, loc, baseDirs);
}

function parseOurs(record: Record<string, unknown>, loc: RecordLocation, baseDirs: BaseDirs): ParsedRecord {
  const r = check(Ours, record, loc, 'rlaifv');
  const { id: _id, image: _image, question: _question, meta: _meta, ...extra } = record;
  return {
    format: 'rlaifv', id: r.id, question: r.question,
    image: image(r.image, 'image', loc, baseDirs, 'rlaifv'),
    meta: { ...extra, ...(r.meta ?? {}) },
    ...givenPath(r.image),
  };
}

function parseOfficial(record: Record<string, unknown>, loc: RecordLocation, baseDirs: BaseDirs): ParsedRecord {
  const r = check(Official, record, loc, 'official');
  const metainfos = r.metainfos ?? {};
  const { ds_question_id: _d, question: _q, image_path: _p, image: _i, metainfos: _m, ...extra } = record;
  // The official loader's order: inline image, then image_path, then metainfos.image_path.
  const [spec, field] = r.image !== undefined && r.image !== null && r.image !== '' ? [r.image, 'image']
    : r.image_path ? [r.image_path, 'image_path']
    : [metainfos['image_path'], 'metainfos.image_path'];
  if (spec === undefined) {
    throw new InputError(`field 'image_path' is missing; official records need image_path (or an inline base64 'image')`, loc, 'image_path');
  }
  return {
    format: 'official', id: r.ds_question_id, question: r.question,
    image: image(spec, field, loc, baseDirs, 'official'),
    meta: { ...extra, ...metainfos, ...(r.image_path ? { image_path: r.image_path } : {}) },
    ...givenPath(r.image_path || metainfos['image_path']),
  };
}

function parseHf(record: Record<string, unknown>, loc: RecordLocation, baseDirs: BaseDirs): ParsedRecord {
  const r = check(Hf, record, loc, 'hf');
  const spec = r.image ?? r.image_path;
  if (spec === undefined || spec === null) {
    throw new InputError(`field 'image' is missing; give the {bytes, path} struct or an image_path`, loc, 'image');
  }
  const hasChosen = r.chosen !== undefined && r.chosen !== null;
  const hasRejected = r.rejected !== undefined && r.rejected !== null;
  if (hasChosen !== hasRejected) {
    const missing = hasChosen ? 'rejected' : 'chosen';
    throw new InputError(`field '${missing}' is missing while '${missing === 'chosen' ? 'rejected' : 'chosen'}' is set; a pair needs both`, loc, missing);
  }
  const meta: Record<string, unknown> = {};
  for (const k of ['ds_name', 'origin_dataset', 'origin_split', 'image_path'] as const) {
    if (r[k] !== undefined && r[k] !== null) meta[k] = r[k];
  }
  return {
    format: 'hf', id: r.idx, question: r.question,
    image: image(spec, r.image === undefined || r.image === null ? 'image_path' : 'image', loc, baseDirs, 'hf'),
    meta,
    ...givenPath(r.image_path || r.image),
    ...(hasChosen ? { pair: { chosen: r.chosen!, rejected: r.rejected! } } : {}),
  };
}

/** `{imagePath}` when `spec` names the image by a path or URL (a string that is not base64 or a data URL, or a struct's `path`), else nothing. */
function givenPath(spec: unknown): { imagePath?: string } {
  const path = spec !== null && typeof spec === 'object' && !(spec instanceof Uint8Array) ? (spec as { path?: unknown }).path : spec;
  if (typeof path !== 'string' || path.trim() === '') return {};
  try {
    return imageSpecToSource(path, '/').kind === 'inline' ? {} : { imagePath: path.trim() };
  } catch {
    return {};
  }
}

function check<T extends z.ZodType>(schema: T, record: unknown, loc: RecordLocation, format: RecordFormat): z.output<T> {
  const r = schema.safeParse(record);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issueField(issue, '');
  throw new InputError(`field '${field}' ${issue.message}; records of this shape look like ${SHAPES[format]}: fix the record`, loc, field);
}

function image(spec: unknown, field: string, loc: RecordLocation, baseDirs: BaseDirs, format: RecordFormat): ImageSource {
  try {
    return imageSpecToSource(spec, baseDirs);
  } catch (err) {
    if (!(err instanceof ImageSpecError)) throw err;
    const full = err.field ? `${field}.${err.field}` : field;
    throw new InputError(`field '${full}' ${err.message} (shape ${SHAPES[format]})`, loc, full);
  }
}
