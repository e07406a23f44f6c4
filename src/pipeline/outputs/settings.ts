/** Settings of the outputs stage: which preference datasets a run writes. */
import { z } from 'zod';

export const ExportSchema = z.strictObject({
  formats: z.array(z.enum(['parquet', 'trl', 'llama-factory'])).default(['parquet', 'trl'])
    .describe("datasets written: 'parquet' = pairs.parquet (RLAIF-V-Dataset schema), 'trl' = pairs.trl.jsonl + images/, 'llama-factory' = llama-factory/"),
  dsName: z.string().min(1).default('rlaifv').describe('ds_name column of the parquet export'),
}).describe('dataset exports; the intermediate JSONL records and summary.json are always written');
export type ExportSettings = z.infer<typeof ExportSchema>;
