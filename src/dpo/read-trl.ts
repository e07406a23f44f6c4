/**
 * Read preference pairs back from a TRL vision DPO dataset (what `writeTrlDataset` and the data
 * engine write, docs/method.md §7): a folder with `train.jsonl` + `images/`, or a `.jsonl` file whose image
 * paths are relative to its own folder. `prompt`, `chosen` and `rejected` may be conversational
 * (`[{role, content: [{type:'text', text}]}]`) or plain strings, as TRL accepts both. A row may
 * name its pair (`id`) and carry TRL's precomputed reference columns (`ref_chosen_logps`,
 * `ref_rejected_logps`, summed log π_ref), on every row or on none.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RgbImage } from '../image/rgb.ts';
import { decodeImage } from '../image/codec.ts';
import { imageSpecToSource } from '../inputs/image-spec.ts';
import { readJsonl } from '../util/jsonl.ts';
import type { DpoPair } from './reference.ts';
import { FileError } from '../util/errors.ts';

/** The dataset file of a folder or file argument: `trlDatasetFile('out/trl')` -> `'out/trl/train.jsonl'`. */
function trlDatasetFile(path: string): string {
  if (!existsSync(path)) throw new FileError(`pairs '${path}' do not exist; pass a TRL dataset folder (train.jsonl + images/) or a .jsonl file`);
  if (!statSync(path).isDirectory()) return path;
  if (existsSync(join(path, 'train.jsonl'))) return join(path, 'train.jsonl');
  const jsonl = readdirSync(path).filter((f) => f.endsWith('.jsonl'));
  if (jsonl.length === 1) return join(path, jsonl[0]!);
  throw new FileError(`${path}: no train.jsonl${jsonl.length ? ` and several .jsonl files (${jsonl.join(', ')})` : ''}; pass the dataset file itself`);
}

/**
 * Every pair of a TRL dataset, images decoded (each distinct image file once, within the default
 * pixel limit). `const pairs = await readTrlPairs('runs/iter-1/trl'); pairs[0].chosen`
 */
export async function readTrlPairs(path: string): Promise<DpoPair[]> {
  return (await readTrlDataset(path)).pairs;
}

/** A TRL dataset read back: its file, its pairs, and the reference log-probs its rows carry. */
export interface TrlDataset {
  file: string;
  pairs: DpoPair[];
  /** Summed log π_ref per pair, in pair order, when the rows have TRL's `ref_*_logps` columns. */
  reference?: Array<{ chosen: number; rejected: number }>;
}

/** `const { pairs, reference } = await readTrlDataset('runs/r1/pairs.trl.jsonl')` */
export async function readTrlDataset(path: string): Promise<TrlDataset> {
  const file = trlDatasetFile(path);
  const baseDir = dirname(file);
  const images = new Map<string, RgbImage>();
  const pairs: DpoPair[] = [];
  const reference: Array<{ chosen: number; rejected: number }> = [];
  let withReference: boolean | undefined;
  for (const { value: row, line } of readJsonl<Record<string, unknown>>(file)) {
    const where = `${file}:${line}`;
    const has = row['ref_chosen_logps'] !== undefined || row['ref_rejected_logps'] !== undefined;
    withReference ??= has;
    if (has !== withReference) {
      throw new FileError(`${where}: ${has ? 'has' : 'lacks'} the reference columns ref_chosen_logps/ref_rejected_logps that the first row ${has ? 'lacks' : 'has'}; give them on every row or on none`);
    }
    if (has) reference.push({ chosen: logp(row['ref_chosen_logps'], `${where}: field 'ref_chosen_logps'`), rejected: logp(row['ref_rejected_logps'], `${where}: field 'ref_rejected_logps'`) });
    const id = row['id'];
    if (id !== undefined && (typeof id !== 'string' || id === '')) throw new FileError(`${where}: field 'id' must be a non-empty string when present, got ${JSON.stringify(id)}`);
    const list = row['images'] ?? (row['image'] !== undefined ? [row['image']] : undefined);
    if (!Array.isArray(list) || list.length !== 1) {
      throw new FileError(`${where}: field 'images' must list exactly one image (got ${Array.isArray(list) ? list.length : typeof list}); the embedded models see one image per prompt`);
    }
    pairs.push({
      ...(id !== undefined && { id }),
      image: await loadImage(list[0], baseDir, images, `${where}: field 'images[0]'`),
      prompt: text(row['prompt'], `${where}: field 'prompt'`),
      chosen: text(row['chosen'], `${where}: field 'chosen'`),
      rejected: text(row['rejected'], `${where}: field 'rejected'`),
    });
  }
  return { file, pairs, ...(withReference && { reference }) };
}

function logp(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FileError(`${where} must be a finite number (a summed log-prob), got ${JSON.stringify(value)}`);
  return value;
}

async function loadImage(spec: unknown, baseDir: string, cache: Map<string, RgbImage>, where: string): Promise<RgbImage> {
  let source;
  try {
    source = imageSpecToSource(spec, baseDir);
  } catch (err) {
    throw new FileError(`${where} ${(err as Error).message}`);
  }
  if (source.kind === 'http') throw new FileError(`${where} is a URL (${source.url}); download the images and point the dataset at local files`);
  if (source.kind === 'inline') return decodeImage(source.bytes, where);
  const hit = cache.get(source.path);
  if (hit) return hit;
  if (!existsSync(source.path)) throw new FileError(`${where}: image file ${source.path} does not exist (paths are relative to the dataset file's folder)`);
  const image = await decodeImage(new Uint8Array(readFileSync(source.path)), source.path);
  cache.set(source.path, image);
  return image;
}

/** The text of a plain string or of a conversation's text parts (joined by newlines). */
function text(value: unknown, where: string): string {
  if (typeof value === 'string') return nonEmpty(value, where);
  if (!Array.isArray(value)) throw new FileError(`${where} must be a string or a list of messages, got ${value === null ? 'null' : typeof value}`);
  const parts: string[] = [];
  value.forEach((msg, m) => {
    const content = (msg as { content?: unknown } | null)?.content;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if ((part as { type?: unknown })?.type === 'text' && typeof (part as { text?: unknown }).text === 'string') parts.push((part as { text: string }).text);
      }
    } else throw new FileError(`${where}[${m}].content must be a string or a list of parts`);
  });
  return nonEmpty(parts.join('\n'), where);
}

function nonEmpty(s: string, where: string): string {
  if (s.trim() === '') throw new FileError(`${where} has no text`);
  return s;
}
