/**
 * Stage 1: the instructions of a run, from the procedural world (ground truth known) or from an
 * instruction file (JSONL, JSON, parquet; rlaifv, official or RLAIF-V-Dataset records).
 * Images stay lazy: only a content hash is kept for cache keys, pixels are loaded per batch.
 *
 * An instruction is an image and a question, as in the official pipeline, which keys instructions
 * by image and question and drops exact repeats (`get_preference_pairs.py`, `filter_same_instruct`):
 * a file record whose image content and question equal an earlier record's is skipped as a repeat;
 * one image with two questions gives two instructions (docs/formats.md, "Instructions in").
 */
import { basename } from 'node:path';
import { isJpeg, isPng } from '../../image/formats.ts';
import type { RgbImage } from '../../image/rgb.ts';
import { readInstructions } from '../../inputs/index.ts';
import { sha256Hex } from '../../store/index.ts';
import { deriveSeed, Rng } from '../../util/rng.ts';
import {
  createWorld, describeInstruction, objectsInstruction, renderScene, whereInstruction, type Scene,
} from '../../world/index.ts';
import type { InputSettings } from './settings.ts';

export type InstructionKind = 'describe' | 'objects' | 'where' | 'file';

export interface Instruction {
  /**
   * Unique in the run; world instructions are named after their scene (`w0-train-5`), file
   * instructions keep their record's id, or get `<id>@<k>` (k = 2, 3, ..., the first not taken) when
   * an earlier instruction of the run took it (see `uniqueId`).
   */
  id: string;
  question: string;
  kind: InstructionKind;
  /** sha256 of the image (pixels for world scenes, encoded bytes for files): the image's part of every cache key. */
  imageKey: string;
  loadImage(): Promise<RgbImage>;
  /** What the dataset exporters store: pixels (encoded as PNG) or the file's PNG/JPEG bytes unchanged (other formats: pixels). */
  exportImage(): Promise<RgbImage | Uint8Array>;
  /** The world scene, when the instruction comes from the world: ground truth for the metrics. */
  scene?: Scene;
  /** `origin_dataset` of the exported pairs. */
  originDataset: string;
  /** `questionType` of the exported pairs (`origin_split.type`). */
  questionType?: string;
  /**
   * The image's own path, the `image_path` of the exported pairs: as the record gives it (a path or
   * URL); `<sha256 prefix>.png|jpg` for inline bytes without a path (the name the TRL images/
   * folder gives them); `<scene id>.png` for world scenes (the file `rlaifv world` writes).
   * Always set by this module; optional so that hand-made instructions (tests) may leave it out.
   */
  imagePath?: string;
  /** The record's other fields (file instructions; JSON-safe), carried into labeler.official.jsonl as its metainfos. */
  meta?: Record<string, unknown>;
}

/** Why a record gave no instruction: its image could not be read, or it repeats an earlier record's image and question. */
export interface SkippedRecord {
  id?: string;
  where: string;
  reason: string;
  kind: 'unreadable' | 'repeat';
}

export interface InstructionSet {
  instructions: Instruction[];
  /** Records whose image could not be read (skipped unless input.strict), and repeats. */
  skipped: SkippedRecord[];
  fromWorld: boolean;
}

const QUESTION_TYPES: Record<Exclude<InstructionKind, 'file'>, string> = {
  describe: 'detailed_description', objects: 'object_list', where: 'question_answering',
};

/**
 * The instructions `config.input` names, in a fixed order.
 * `await loadInstructions(parseDataEngineConfig({ input: { count: 5 } }).input)` -> 5 world describe prompts.
 */
export async function loadInstructions(input: InputSettings): Promise<InstructionSet> {
  const all: InstructionSet = { instructions: [], skipped: [], fromWorld: input.source === 'world' };
  for await (const chunk of instructionChunks(input, Number.MAX_SAFE_INTEGER)) {
    all.instructions.push(...chunk.instructions);
    all.skipped.push(...chunk.skipped);
  }
  return all;
}

/**
 * The same instructions, at most `size` at a time, so that a run over a large input holds one
 * chunk's images and records at once. A file is read as a stream; a skipped record is reported in
 * the chunk it was met in. `for await (const chunk of instructionChunks(input, 1000)) ...`
 */
export async function* instructionChunks(input: InputSettings, size: number): AsyncGenerator<InstructionSet> {
  if (!(size >= 1)) throw new Error(`instructionChunks: size must be at least 1, got ${size}`);
  if (input.source !== 'world') {
    yield* fileInstructionChunks(input, size);
    return;
  }
  for (let start = 0; start < input.count; start += size) {
    yield worldInstructions({ ...input, offset: input.offset + start, count: Math.min(size, input.count - start) });
  }
}

/** Scenes `offset .. offset+count-1` of the world split, one instruction each, its kind and wording drawn from the scene id. */
export function worldInstructions(input: InputSettings): InstructionSet {
  const world = createWorld({ worldSeed: input.worldSeed });
  const kinds = ['describe', 'objects', 'where'] as const;
  const weights = kinds.map((k) => input.kinds[k]);
  const instructions = Array.from({ length: input.count }, (_, i): Instruction => {
    const scene = world.scene(input.split, input.offset + i);
    const kind = kinds[new Rng(deriveSeed('instruction-kind', scene.id)).weighted(weights)]!;
    const rng = new Rng(deriveSeed('instruction-prompt', scene.id));
    const question = kind === 'describe' ? describeInstruction(rng)
      : kind === 'objects' ? objectsInstruction(rng)
      : whereInstruction(rng, rng.pick(scene.objects));
    const image = renderScene(scene);
    return {
      id: scene.id, question, kind, scene,
      imageKey: sha256Hex(image.data),
      loadImage: async () => image,
      exportImage: async () => image,
      originDataset: `rlaifv-world-${input.worldSeed}-${input.split}`,
      questionType: QUESTION_TYPES[kind],
      imagePath: `${scene.id}.png`,
    };
  });
  return { instructions, skipped: [], fromWorld: true };
}

/** Records `offset .. offset+count-1` of an instruction file, `size` at a time; unreadable images are skipped (or thrown with strict), and so are repeats. */
async function* fileInstructionChunks(input: InputSettings, size: number): AsyncGenerator<InstructionSet> {
  let chunk: InstructionSet = { instructions: [], skipped: [], fromWorld: false };
  // Over the whole run, not just a chunk: ids name candidates and pairs, and a repeat may be far from its first.
  const ids = new Set<string>();
  const firstAt = new Map<string, string>();
  let position = 0;
  const records = readInstructions(input.source, {
    strict: input.strict, limit: input.offset + input.count, ...(input.imageRoot !== undefined && { imageRoot: input.imageRoot }),
    fetchTimeoutMs: input.fetchTimeoutMs, maxImageBytes: input.maxImageBytes, maxImagePixels: input.maxImagePixels,
    allowRemote: input.allowRemote, ...(input.allowedRoots !== undefined && { allowedRoots: input.allowedRoots }),
  });
  for await (const r of records) {
    if (position++ < input.offset) continue;
    const where = `${r.location.file}:${r.location.n}`;
    if (!r.ok) {
      chunk.skipped.push({ ...(r.id !== undefined && { id: r.id }), where, reason: r.reason, kind: 'unreadable' });
      continue;
    }
    const bytes = await r.image.bytes();
    const imageKey = sha256Hex(bytes);
    const key = `${imageKey} ${r.question}`;
    const first = firstAt.get(key);
    if (first !== undefined) {
      chunk.skipped.push({ id: r.id, where, reason: `repeats the instruction at ${first} (same image and question)`, kind: 'repeat' });
      continue;
    }
    firstAt.set(key, where);
    const id = uniqueId(r.id, ids);
    const ref = r.image;
    // PNG and JPEG files are exported as they are; other formats (WebP, BMP, ...) as their pixels, then PNG.
    const asStored = isPng(bytes) || isJpeg(bytes);
    const metaType = r.meta['type'];
    const origin = r.meta['origin_dataset'] ?? r.meta['ds_name'];
    chunk.instructions.push({
      id, question: r.question, kind: 'file',
      imageKey,
      loadImage: () => ref.load(),
      exportImage: () => (asStored ? ref.bytes() : ref.load()),
      originDataset: typeof origin === 'string' && origin !== '' ? origin : basename(input.source),
      ...(typeof metaType === 'string' && { questionType: metaType }),
      imagePath: r.imagePath ?? `${imageKey.slice(0, 24)}.${isJpeg(bytes) ? 'jpg' : 'png'}`,
      meta: jsonSafe(r.meta),
    });
    if (chunk.instructions.length >= size) {
      yield chunk;
      chunk = { instructions: [], skipped: [], fromWorld: false };
    }
  }
  if (chunk.instructions.length > 0 || chunk.skipped.length > 0) yield chunk;
}

/**
 * `id` when the run has not used it yet, else `<id>@<k>` with the smallest k >= 2 not used: the
 * second record with id `x` (same id, another image or question) becomes `x@2`. Adds it to `used`.
 */
export function uniqueId(id: string, used: Set<string>): string {
  let unique = id;
  for (let k = 2; used.has(unique); k++) unique = `${id}@${k}`;
  used.add(unique);
  return unique;
}

/** The record's fields as JSON can hold them (parquet may give bigints and bytes): `{n: 3n}` -> `{n: 3}`. */
function jsonSafe(meta: Record<string, unknown>): Record<string, unknown> {
  const { image_path: _path, ...rest } = meta;
  return JSON.parse(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v))
    : v instanceof Uint8Array ? new TextDecoder().decode(v) : v))) as Record<string, unknown>;
}
