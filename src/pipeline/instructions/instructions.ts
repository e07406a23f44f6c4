/**
 * Stage 1: the instructions of a run, from the procedural world (ground truth known) or from an
 * instruction file (JSONL, JSON, parquet; rlaifv, official or RLAIF-V-Dataset records).
 * Images stay lazy: only a content hash is kept for cache keys, pixels are loaded per batch.
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
  /** Unique in the run; world instructions are named after their scene (`w0-train-5`). */
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
}

export interface InstructionSet {
  instructions: Instruction[];
  /** Records whose image could not be read (skipped unless input.strict). */
  skipped: Array<{ id?: string; where: string; reason: string }>;
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
    };
  });
  return { instructions, skipped: [], fromWorld: true };
}

/** Records `offset .. offset+count-1` of an instruction file, `size` at a time; unreadable images are skipped (or thrown with strict). */
async function* fileInstructionChunks(input: InputSettings, size: number): AsyncGenerator<InstructionSet> {
  let chunk: InstructionSet = { instructions: [], skipped: [], fromWorld: false };
  // Ids must be unique over the whole file, not just a chunk: they name candidates and pairs.
  const seen = new Map<string, string>();
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
      chunk.skipped.push({ ...(r.id !== undefined && { id: r.id }), where, reason: r.reason });
      continue;
    }
    const before = seen.get(r.id);
    if (before) throw new Error(`${where}: instruction id '${r.id}' was already used at ${before}; ids must be unique within a run (they name candidates and pairs)`);
    seen.set(r.id, where);
    const bytes = await r.image.bytes();
    const ref = r.image;
    // PNG and JPEG files are exported as they are; other formats (WebP, BMP, ...) as their pixels, then PNG.
    const asStored = isPng(bytes) || isJpeg(bytes);
    const metaType = r.meta['type'];
    const origin = r.meta['origin_dataset'] ?? r.meta['ds_name'];
    chunk.instructions.push({
      id: r.id, question: r.question, kind: 'file',
      imageKey: sha256Hex(bytes),
      loadImage: () => ref.load(),
      exportImage: () => (asStored ? ref.bytes() : ref.load()),
      originDataset: typeof origin === 'string' && origin !== '' ? origin : basename(input.source),
      ...(typeof metaType === 'string' && { questionType: metaType }),
    });
    if (chunk.instructions.length >= size) {
      yield chunk;
      chunk = { instructions: [], skipped: [], fromWorld: false };
    }
  }
  if (chunk.instructions.length > 0 || chunk.skipped.length > 0) yield chunk;
}
