/** Settings of the outputs stage: which preference datasets a run writes. */
import { z } from 'zod';

/** The dataset formats a run can write; the outputs stage has one writer for each. */
const DATASET_FORMATS = ['parquet', 'trl', 'llama-factory'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const ExportSchema = z.strictObject({
  formats: z.array(z.enum(DATASET_FORMATS)).default(['parquet', 'trl'])
    .describe("datasets written: 'parquet' = pairs.parquet (RLAIF-V-Dataset schema), 'trl' = pairs.trl.jsonl + images/, 'llama-factory' = llama-factory/"),
  dsName: z.string().min(1).default('rlaifv').describe('ds_name column of the parquet export'),
}).describe('dataset exports; the intermediate JSONL records and summary.json are always written');
export type ExportSettings = z.infer<typeof ExportSchema>;
