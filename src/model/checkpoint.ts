/**
 * Checkpoints: a folder with `model.safetensors` (weights), `config.json` (the model config plus
 * free-form training info) and `vocab.json` (the tokenizer's words, in id order).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.ts';
import { basename, join, resolve } from 'node:path';
import { tf } from '../tensor/tf.ts';
import { ModelConfigSchema, shapes, type ModelConfig } from './config.ts';
import { EmbeddedModel } from './infer.ts';
import { decodeSafetensors, encodeSafetensors, type Dtype, type NamedArray } from './safetensors.ts';
import { SPECIALS, Tokenizer } from './tokenizer.ts';
import { parameterShapes, toParams, VisionLanguageModel } from './vlm.ts';
import { RlaifvError } from '../util/errors.ts';
import { issueField } from '../util/settings.ts';

export class CheckpointError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export interface CheckpointInfo {
  /** Anything worth keeping beside the weights: seeds, settings, metrics, parent checkpoint. */
  [key: string]: unknown;
}

/** Write a checkpoint atomically per file (temp file + rename), so a kill never leaves half a file. */
export async function saveCheckpoint(model: EmbeddedModel, dir: string, info: CheckpointInfo = {}, dtype: Dtype = 'F32'): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, NamedArray>();
  for (const [name, v] of model.net.params) tensors.set(name, { shape: v.shape, data: (await v.data()) as Float32Array });
  await writeFileAtomic(join(dir, 'model.safetensors'), encodeSafetensors(tensors, dtype, { format: 'rlaifv' }));
  await writeFileAtomic(join(dir, 'vocab.json'), JSON.stringify(model.tokenizer.words, null, 0) + '\n');
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify({ model: model.cfg, info }, null, 2) + '\n');
}

function readCheckpointInfo(dir: string): { model: ModelConfig; info: CheckpointInfo } {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) throw new CheckpointError(`${path}: missing; is '${dir}' a checkpoint folder (model.safetensors, config.json, vocab.json)?`);
  let raw: { model?: unknown; info?: CheckpointInfo };
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CheckpointError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelConfigSchema.safeParse(raw.model);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckpointError(`${path}: field 'model.${issueField(issue, '')}': ${issue.message}`);
  }
  try {
    shapes(parsed.data);
  } catch (err) {
    throw new CheckpointError(`${path}: ${(err as Error).message}; this config cannot describe a model`);
  }
  return { model: parsed.data, info: raw.info ?? {} };
}

/** Load a checkpoint folder; every problem is a CheckpointError naming the file and the fix. */
export function loadCheckpoint(dir: string, name = basename(resolve(dir))): EmbeddedModel {
  if (!existsSync(dir)) throw new CheckpointError(`checkpoint folder '${dir}' does not exist`);
  const { model: cfg } = readCheckpointInfo(dir);
  const vocabPath = join(dir, 'vocab.json');
  if (!existsSync(vocabPath)) throw new CheckpointError(`${vocabPath}: missing`);
  let words: unknown;
  try {
    words = JSON.parse(readFileSync(vocabPath, 'utf8'));
  } catch (err) {
    throw new CheckpointError(`${vocabPath}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) throw new CheckpointError(`${vocabPath}: expected a JSON array of words`);
  if (SPECIALS.some((s, i) => words[i] !== s)) throw new CheckpointError(`${vocabPath}: must start with the special tokens ${SPECIALS.join(' ')}`);
  const tokenizer = new Tokenizer(words as string[]);
  if (tokenizer.size !== cfg.vocabSize) {
    throw new CheckpointError(`${vocabPath} has ${tokenizer.size} words but config.json says vocabSize ${cfg.vocabSize}: the files come from different checkpoints`);
  }
  const weightsPath = join(dir, 'model.safetensors');
  if (!existsSync(weightsPath)) throw new CheckpointError(`${weightsPath}: missing`);
  let decoded;
  try {
    decoded = decodeSafetensors(new Uint8Array(readFileSync(weightsPath)), weightsPath);
  } catch (err) {
    throw new CheckpointError((err as Error).message);
  }
  const tensors = new Map<string, tf.Tensor>();
  for (const [pname, shape] of parameterShapes(cfg)) {
    const t = decoded.tensors.get(pname);
    if (!t) throw new CheckpointError(`${weightsPath}: tensor '${pname}' is missing (config.json does not match these weights)`);
    if (t.shape.join('x') !== shape.join('x')) {
      throw new CheckpointError(`${weightsPath}: tensor '${pname}' has shape [${t.shape}] but config.json needs [${shape}]`);
    }
    tensors.set(pname, tf.tensor(t.data, shape));
  }
  return new EmbeddedModel(name, new VisionLanguageModel(cfg, toParams(tensors)), tokenizer);
}
