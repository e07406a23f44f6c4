/**
 * Preference pairs as parquet in exactly the schema of openbmb/RLAIF-V-Dataset (docs/method.md §7):
 * `ds_name`, `image` struct{`bytes` binary, `path` string}, `question`, `chosen`, `rejected`,
 * `origin_dataset`, `origin_split` (JSON text), `idx`, `image_path`; every column nullable, as
 * Hugging Face `datasets` writes them. The `huggingface` key-value metadata declares `image` an
 * Image feature, so `load_dataset('parquet', ...)` hands back PIL images like the published set.
 *
 * Pairs that carry reference log-probs (`PairRecord.reference`) add two DOUBLE columns after the
 * official ones, `ref_chosen_logps` and `ref_rejected_logps` (TRL's names for precomputed reference
 * log-probs). Pairs that carry an origin (`PairRecord.origin`) add a STRING column `origin` last (and
 * `origin_split.origin`). Without either the file is exactly the published schema.
 *
 * Rows are written a row group at a time (memory bounded by `rowGroupSize` images) to a temp
 * file that is renamed into place at the end.
 *
 * ```ts
 * const { rows } = await writeRlaifvParquet('out/train-00000.parquet', pairs, { dsName: 'rlaifv-iter1' });
 * ```
 */
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { z } from 'zod';
import { withAtomicTarget } from '../util/atomic.ts';
import {
  checkOriginPresence, checkPair, checkReferencePresence, imageBytes, originSplit, type PairOrigin, type PairRecord, type PairSource,
} from './pair-record.ts';

const RlaifvParquetOptionsSchema = z.object({
  dsName: z.string().default('rlaifv').describe('ds_name of pairs whose meta has no dsName'),
  originDataset: z.string().default('').describe('origin_dataset of pairs whose meta has no originDataset'),
  rowGroupSize: z.number().int().positive().default(256)
    .describe('Rows per row group; rows carry images, so small groups keep writer and readers lean'),
  codec: z.enum(['SNAPPY', 'UNCOMPRESSED']).default('SNAPPY')
    .describe('Page compression; snappy is what the published shards and most readers expect'),
}).strict();

export type RlaifvParquetOptions = z.input<typeof RlaifvParquetOptionsSchema>;

/** Column order of the published dataset. */
export const RLAIFV_COLUMNS = ['ds_name', 'image', 'question', 'chosen', 'rejected', 'origin_dataset', 'origin_split', 'idx', 'image_path'] as const;

// hyparquet-writer bundles its own hyparquet; take the schema type from the writer itself.
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

const text = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' });

/** The parquet schema: root, then columns in published order (`image` is a group of two). */
export const RLAIFV_SCHEMA: SchemaElement[] = [
  { name: 'schema', num_children: RLAIFV_COLUMNS.length },
  text('ds_name'),
  { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  text('path'),
  ...['question', 'chosen', 'rejected', 'origin_dataset', 'origin_split', 'idx', 'image_path'].map(text),
];

/** The reference log-prob columns, appended after the published ones when the pairs carry them. */
export const REFERENCE_COLUMNS = ['ref_chosen_logps', 'ref_rejected_logps'] as const;

const double = (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });

/** The pair's origin column, last when the pairs carry one. */
export const ORIGIN_COLUMN = 'origin';

/** Which optional columns a file has, decided by its first pair. */
interface FileColumns {
  withReference: boolean;
  withOrigin: boolean;
}

/** The column names of a file, in order: the published ones, then the reference columns, then `origin`. */
function fileColumns(c: FileColumns): string[] {
  return [...RLAIFV_COLUMNS, ...(c.withReference ? REFERENCE_COLUMNS : []), ...(c.withOrigin ? [ORIGIN_COLUMN] : [])];
}

/** The schema of a file: the published one, plus the reference columns and `origin` when the pairs carry them. */
function fileSchema(c: FileColumns): SchemaElement[] {
  if (!c.withReference && !c.withOrigin) return RLAIFV_SCHEMA;
  const extra = [...(c.withReference ? REFERENCE_COLUMNS.map(double) : []), ...(c.withOrigin ? [text(ORIGIN_COLUMN)] : [])];
  return [{ ...RLAIFV_SCHEMA[0]!, num_children: RLAIFV_COLUMNS.length + extra.length }, ...RLAIFV_SCHEMA.slice(1), ...extra];
}

const value = { dtype: 'string', _type: 'Value' };
/** `datasets` reads its Features back from this key (without it `image` is a plain struct). */
function hfFeatures(c: FileColumns): string {
  const reference = c.withReference ? { ref_chosen_logps: { dtype: 'float64', _type: 'Value' }, ref_rejected_logps: { dtype: 'float64', _type: 'Value' } } : {};
  const origin = c.withOrigin ? { [ORIGIN_COLUMN]: value } : {};
  return JSON.stringify({
    info: {
      features: {
        ds_name: value, image: { _type: 'Image' }, question: value, chosen: value, rejected: value,
        origin_dataset: value, origin_split: value, idx: value, image_path: value, ...reference, ...origin,
      },
    },
  });
}

interface Row {
  ds_name: string;
  image: { bytes: Uint8Array; path: string };
  question: string;
  chosen: string;
  rejected: string;
  origin_dataset: string;
  origin_split: string;
  idx: string;
  image_path: string;
  ref_chosen_logps?: number;
  ref_rejected_logps?: number;
  origin?: PairOrigin;
}

/** One pair as a row of the published schema. */
function toRlaifvRow(pair: PairRecord, options: RlaifvParquetOptions = {}, position = 0): Row {
  const opts = RlaifvParquetOptionsSchema.parse(options);
  checkPair(pair, position);
  const { bytes, ext } = imageBytes(pair, position);
  const imagePath = pair.meta.imagePath ?? `${pair.id}.${ext}`;
  return {
    ds_name: pair.meta.dsName ?? opts.dsName,
    image: { bytes, path: imagePath },
    question: pair.question,
    chosen: pair.chosen,
    rejected: pair.rejected,
    origin_dataset: pair.meta.originDataset ?? opts.originDataset,
    origin_split: originSplit(pair.meta, pair.origin),
    idx: pair.id,
    image_path: imagePath,
    ...(pair.reference && { ref_chosen_logps: pair.reference.chosen, ref_rejected_logps: pair.reference.rejected }),
    ...(pair.origin !== undefined && { origin: pair.origin }),
  };
}

/** Write all pairs to `path` (atomically); resolves to the number of rows written. */
export async function writeRlaifvParquet(path: string, pairs: PairSource, options: RlaifvParquetOptions = {}): Promise<{ path: string; rows: number }> {
  const opts = RlaifvParquetOptionsSchema.parse(options);
  const rows = await withAtomicTarget(path, async (tmp) => {
    // The schema is written first, so the first pair decides whether the optional columns exist.
    let writer: ParquetWriter | undefined;
    let has: FileColumns = { withReference: false, withOrigin: false };
    let columns: readonly string[] = RLAIFV_COLUMNS;
    const open = (first: PairRecord | undefined): ParquetWriter => {
      has = { withReference: first?.reference !== undefined, withOrigin: first?.origin !== undefined };
      columns = fileColumns(has);
      return new ParquetWriter({
        writer: fileWriter(tmp),
        schema: fileSchema(has),
        codec: opts.codec,
        kvMetadata: [{ key: 'huggingface', value: hfFeatures(has) }],
        createdBy: 'rlaifv',
      });
    };
    let group: Row[] = [];
    let count = 0;
    const flush = async (): Promise<void> => {
      if (group.length === 0) return;
      await writer!.write({
        columnData: columns.map((name) => ({ name, data: group.map((r) => r[name as keyof Row]) })),
        rowGroupSize: group.length,
      });
      group = [];
    };
    for await (const pair of pairs) {
      writer ??= open(pair);
      checkReferencePresence(pair, count, has.withReference);
      checkOriginPresence(pair, count, has.withOrigin);
      group.push(toRlaifvRow(pair, opts, count++));
      if (group.length >= opts.rowGroupSize) await flush();
    }
    writer ??= open(undefined);
    await flush();
    await writer.finish();
    return count;
  });
  return { path, rows };
}
