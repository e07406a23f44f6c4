/**
 * Pairs as a LLaMA-Factory multimodal preference dataset (docs/method.md §7): sharegpt formatting with
 * OpenAI-style messages, `ranking: true`, one `<image>` marker per image in the user turn.
 *
 * `writeLlamaFactoryDataset('data', pairs)` writes:
 * ```
 * data/rlaifv_dpo.jsonl   {"messages":[{"role":"user","content":"<image>…"}],"chosen":{"role":"assistant","content":"…"},
 *                          "rejected":{"role":"assistant","content":"…"},"images":["images/3f….png"]}
 * data/images/            the images, paths relative to this folder (LLaMA-Factory's dataset_dir)
 * data/dataset_info.json  an entry "rlaifv_dpo" added to (or replacing the same name in) the file
 * ```
 * Then train with `dataset: rlaifv_dpo`, `dataset_dir: data`, `stage: dpo`. Pairs that carry an origin
 * (`PairRecord.origin`) add an `origin` field to each row, which LLaMA-Factory's converter drops
 * with every column that `dataset_info.json` does not map (docs/formats.md).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic.ts';
import { ImageFolder } from './image-folder.ts';
import { JsonlWriter } from './jsonl-writer.ts';
import { checkOriginPresence, checkPair, type PairOrigin, type PairRecord, type PairSource } from './pair-record.ts';

const LlamaFactoryExportOptionsSchema = z.object({
  datasetName: z.string().regex(/^[\w.-]+$/, 'use letters, digits, _ . - only').default('rlaifv_dpo')
    .describe('Entry name in dataset_info.json (the `dataset:` value in the training config)'),
  fileName: z.string().min(1).default('rlaifv_dpo.jsonl').describe('Dataset file inside the output folder'),
  imagesDir: z.string().min(1).default('images').describe('Image folder inside the output folder'),
}).strict();

export type LlamaFactoryExportOptions = z.input<typeof LlamaFactoryExportOptionsSchema>;

export interface LlamaFactoryRow {
  messages: Array<{ role: 'user'; content: string }>;
  chosen: { role: 'assistant'; content: string };
  rejected: { role: 'assistant'; content: string };
  images: string[];
  /** Where the preference came from (`PairRecord.origin`). */
  origin?: PairOrigin;
}

const IMAGE_MARKER = '<image>';

/** One pair as a row; stray `<image>` text in the question is removed so markers match images. */
function toLlamaFactoryRow(pair: PairRecord, imagePath: string): LlamaFactoryRow {
  const question = pair.question.split(IMAGE_MARKER).join('').trim();
  return {
    messages: [{ role: 'user', content: `${IMAGE_MARKER}${question}` }],
    chosen: { role: 'assistant', content: pair.chosen },
    rejected: { role: 'assistant', content: pair.rejected },
    images: [imagePath],
    ...(pair.origin !== undefined && { origin: pair.origin }),
  };
}

/** The dataset_info.json entry for a file written by writeLlamaFactoryDataset. */
function llamaFactoryDatasetInfo(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    ranking: true,
    columns: { messages: 'messages', chosen: 'chosen', rejected: 'rejected', images: 'images' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
  };
}

/** Write rows, images and the dataset_info.json entry; every file lands atomically. */
export async function writeLlamaFactoryDataset(dir: string, pairs: PairSource, options: LlamaFactoryExportOptions = {}): Promise<{ file: string; rows: number; images: number; datasetInfo: string }> {
  const opts = LlamaFactoryExportOptionsSchema.parse(options);
  const file = join(dir, opts.fileName);
  const infoPath = join(dir, 'dataset_info.json');
  const info = await readDatasetInfo(infoPath); // fail before writing anything if it is broken
  const images = new ImageFolder(dir, opts.imagesDir);
  const out = await JsonlWriter.open<LlamaFactoryRow>(file);
  let rows = 0;
  let withOrigin = false;
  try {
    for await (const pair of pairs) {
      checkPair(pair, rows);
      if (rows === 0) withOrigin = pair.origin !== undefined;
      checkOriginPresence(pair, rows, withOrigin);
      await out.write(toLlamaFactoryRow(pair, await images.add(pair, rows)));
      rows++;
    }
  } catch (err) {
    await out.discard();
    throw err;
  }
  await out.close();
  info[opts.datasetName] = llamaFactoryDatasetInfo(opts.fileName);
  await writeFileAtomic(infoPath, `${JSON.stringify(info, null, 2)}\n`);
  return { file, rows, images: images.count, datasetInfo: infoPath };
}

async function readDatasetInfo(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new Error(`${path}: not a JSON object, so the new entry cannot be added; fix or remove the file`);
}
