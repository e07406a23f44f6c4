/** Settings of the instruction readers: default and description together, unknown keys rejected. */
import { z } from 'zod';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../image/limits.ts';

export const InputFormatSchema = z.enum(['auto', 'jsonl', 'json', 'parquet'])
  .describe("File format; 'auto' goes by the extension (.jsonl/.ndjson, .json, .parquet)");

/** 64 MiB: a 16-megapixel image is at most ~48 MB even stored uncompressed. */
export const DEFAULT_MAX_IMAGE_BYTES = 64 * 2 ** 20;

/**
 * The image fields, shared with the data engine's `input` settings (src/pipeline/instructions/settings.ts)
 * so that each default is written once.
 */
export const ImageReadFields = {
  imageRoot: z.string().optional()
    .describe("Folder a relative image path is tried against after the input file's folder and before the working directory"),
  fetchTimeoutMs: z.number().int().positive().default(30_000)
    .describe('Give up on an http(s) image whose download has not finished after this many milliseconds'),
  maxImageBytes: z.number().int().positive().default(DEFAULT_MAX_IMAGE_BYTES)
    .describe('Largest image file or download, in bytes; a download is aborted once it passes this (64 MiB)'),
  maxImagePixels: z.number().int().positive().default(DEFAULT_MAX_IMAGE_PIXELS)
    .describe('Largest image, in pixels (width x height, read from the header before decoding); 16,777,216 = 4096x4096'),
  allowRemote: z.boolean().default(true)
    .describe('Fetch http(s) image URLs; false refuses them (for input files you do not trust)'),
  allowedRoots: z.array(z.string().min(1)).min(1, 'needs at least one folder; leave it out to allow images anywhere').optional()
    .describe('Folders every local image file must lie in, symlinks resolved (for input files you do not trust); default: anywhere'),
};

export const ReadOptionsSchema = z.object({
  strict: z.boolean().default(false)
    .describe('Throw on the first unreadable image instead of yielding a failed record and going on'),
  limit: z.number().int().positive().optional()
    .describe('Stop after this many records (failed ones included); default: all'),
  checkImages: z.boolean().default(true)
    .describe('Decode every image while reading so broken ones are reported up front; false defers errors to image.load()'),
  ...ImageReadFields,
  concurrency: z.number().int().min(1).max(64).default(4)
    .describe('Images checked in parallel while reading (records still come out in file order)'),
  format: InputFormatSchema.default('auto'),
}).strict();

export type ReadOptions = z.input<typeof ReadOptionsSchema>;
export type ResolvedReadOptions = z.output<typeof ReadOptionsSchema>;
