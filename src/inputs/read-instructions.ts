/**
 * Instruction records from JSONL, JSON or parquet files, in file order, each validated and its
 * image checked. Records whose image cannot be read come out as FailedRecord (or throw, with
 * `strict: true`); anything wrong with the file or a record's fields always throws InputError.
 *
 * ```ts
 * for await (const r of readInstructions('data/instructions.jsonl', { limit: 100 })) {
 *   if (!r.ok) { log.warn(r.reason); continue; }
 *   const image = await r.image.load();
 * }
 * ```
 */
import { dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import { allowedRootsOf, imageRef, type ImageLoadOptions, type ImageRef } from './image-ref.ts';
import { InputError, type FailedRecord, type RecordLocation } from './location.ts';
import { InputFormatSchema, ReadOptionsSchema, type ReadOptions, type ResolvedReadOptions } from './options.ts';
import { parseRecord, type ParsedRecord, type RecordFormat } from './record-shapes.ts';
import { jsonRows, countJsonRows } from './sources/json.ts';
import { jsonlRows, countJsonlRows, type RawRow } from './sources/jsonl.ts';
import { parquetRows, countParquetRows } from './sources/parquet.ts';
import { issueField } from '../util/settings.ts';

export interface InstructionRecord {
  ok: true;
  id: string;
  question: string;
  /** Loaded on demand: `await record.image.load()`. */
  image: ImageRef;
  meta: Record<string, unknown>;
  /** The image's path or URL as the record gives it (see ParsedRecord.imagePath). */
  imagePath?: string;
  /** The shape the record was read as. */
  format: RecordFormat;
  location: RecordLocation;
}

/** One record's outcome before it is shaped for the caller. */
export interface ReadRecord {
  parsed: ParsedRecord;
  instruction: InstructionRecord;
}

type FileFormat = 'jsonl' | 'json' | 'parquet';

/** Every record of `path` as InstructionRecord or FailedRecord. */
export async function* readInstructions(path: string, options: ReadOptions = {}): AsyncGenerator<InstructionRecord | FailedRecord> {
  for await (const r of readRecords(path, options)) yield 'instruction' in r ? r.instruction : r;
}

/**
 * How many records `readInstructions(path, options)` will yield, for progress totals; cheap for
 * parquet (footer only), a streamed line count for JSONL. `countRecords('a.jsonl', {limit: 10})`.
 */
export async function countRecords(path: string, options: Pick<ReadOptions, 'format' | 'limit'> = {}): Promise<number> {
  const format = fileFormat(path, InputFormatSchema.parse(options.format ?? 'auto'));
  const n = format === 'jsonl' ? await countJsonlRows(path) : format === 'json' ? await countJsonRows(path) : await countParquetRows(path);
  return options.limit === undefined ? n : Math.min(n, options.limit);
}

type Step = { kind: 'ok'; value: ReadRecord } | { kind: 'failed'; value: FailedRecord } | { kind: 'error'; error: unknown };

/**
 * The shared engine of the readers: parse each row, check its image (`concurrency` at a time,
 * results still in file order), apply strict and limit.
 */
export async function* readRecords(path: string, options: ReadOptions = {}): AsyncGenerator<ReadRecord | FailedRecord> {
  const opts = parseOptions(options);
  const file = resolve(path);
  // A relative image path is tried against the input file's folder, imageRoot, then the working directory.
  const baseDirs = [dirname(file), ...(opts.imageRoot ? [resolve(opts.imageRoot)] : []), process.cwd()];
  const load: ImageLoadOptions = {
    fetchTimeoutMs: opts.fetchTimeoutMs, maxImageBytes: opts.maxImageBytes, maxImagePixels: opts.maxImagePixels,
    allowRemote: opts.allowRemote, allowedRoots: await allowedRootsOf(opts.allowedRoots),
  };
  const rows = rowSource(file, fileFormat(file, opts.format));
  const queue: Promise<Step>[] = [];
  let taken = 0;
  const emit = async function* (step: Step): AsyncGenerator<ReadRecord | FailedRecord> {
    if (step.kind === 'error') throw step.error;
    if (step.kind === 'failed' && opts.strict) {
      throw new InputError(`${step.value.reason} (strict mode; set strict: false to skip records with unreadable images)`, step.value.location, 'image');
    }
    yield step.value;
  };
  for await (const row of rows) {
    if (opts.limit !== undefined && taken >= opts.limit) break;
    taken++;
    queue.push(readOne(row, baseDirs, load, opts.checkImages));
    if (queue.length >= opts.concurrency) yield* emit(await queue.shift()!);
  }
  while (queue.length > 0) yield* emit(await queue.shift()!);
}

async function readOne(row: RawRow, baseDirs: string[], load: ImageLoadOptions, checkImages: boolean): Promise<Step> {
  let parsed: ParsedRecord;
  try {
    parsed = parseRecord(row.value, row.location, baseDirs);
  } catch (error) {
    return { kind: 'error', error };
  }
  const image = imageRef(parsed.image, load);
  if (checkImages) {
    try {
      await image.load();
    } catch (err) {
      return { kind: 'failed', value: { ok: false, id: parsed.id, location: row.location, reason: (err as Error).message } };
    }
  }
  const instruction: InstructionRecord = {
    ok: true, id: parsed.id, question: parsed.question, image, meta: parsed.meta, format: parsed.format, location: row.location,
    ...(parsed.imagePath !== undefined && { imagePath: parsed.imagePath }),
  };
  return { kind: 'ok', value: { parsed, instruction } };
}

function parseOptions(options: ReadOptions): ResolvedReadOptions {
  const r = ReadOptionsSchema.safeParse(options);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new InputError(`read option '${issueField(issue)}': ${issue.message}`);
}

function fileFormat(file: string, format: z.output<typeof InputFormatSchema>): FileFormat {
  if (format !== 'auto') return format;
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new InputError(`cannot tell the format of ${file} from its extension '${ext}'; name it .jsonl, .json or .parquet, or pass format`);
}

function rowSource(file: string, format: FileFormat): AsyncGenerator<RawRow> {
  if (format === 'jsonl') return jsonlRows(file);
  if (format === 'json') return jsonRows(file);
  return parquetRows(file);
}

