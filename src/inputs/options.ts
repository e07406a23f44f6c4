/** Settings of the instruction readers: default and description together, unknown keys rejected. */
import { z } from 'zod';

export const InputFormatSchema = z.enum(['auto', 'jsonl', 'json', 'parquet'])
  .describe("File format; 'auto' goes by the extension (.jsonl/.ndjson, .json, .parquet)");

export const ReadOptionsSchema = z.object({
  strict: z.boolean().default(false)
    .describe('Throw on the first unreadable image instead of yielding a failed record and going on'),
  limit: z.number().int().positive().optional()
    .describe('Stop after this many records (failed ones included); default: all'),
  checkImages: z.boolean().default(true)
    .describe('Decode every image while reading so broken ones are reported up front; false defers errors to image.load()'),
  imageRoot: z.string().optional()
    .describe("Folder that relative image paths resolve against; default: the input file's folder"),
  fetchTimeoutMs: z.number().int().positive().default(30_000)
    .describe('Give up on an http(s) image after this many milliseconds'),
  concurrency: z.number().int().min(1).max(64).default(4)
    .describe('Images checked in parallel while reading (records still come out in file order)'),
  format: InputFormatSchema.default('auto'),
}).strict();

export type ReadOptions = z.input<typeof ReadOptionsSchema>;
export type ResolvedReadOptions = z.output<typeof ReadOptionsSchema>;
