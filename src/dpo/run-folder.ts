/**
 * The output folder of one DPO round, which makes training resumable after a kill:
 *
 *   state.json          settings, what the round trains on, finished checkpoints and their scores
 *   reference.jsonl     reference log-probs computed here (ref_logps.jsonl format), unless a run store or given values are used
 *   ckpt-0/             the starting policy M_i (when settings.includeReference)
 *   ckpt-<step>/        model.safetensors, config.json, vocab.json, trainer.json (step, history),
 *                       optimizer.safetensors (only in the newest checkpoint while training)
 *
 * A checkpoint is finished once state.json lists it (after validation); a folder that is not
 * listed is the leftover of a kill and is rewritten.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveCheckpoint, type AdamW, type EmbeddedModel } from '../model/index.ts';
import type { CheckpointInfo } from '../model/checkpoint.ts';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors.ts';
import type { DpoSettings } from './settings.ts';
import { FileError } from '../util/errors.ts';

export interface CheckpointRecord {
  /** Folder of the checkpoint (a loadable model: `loadCheckpoint(dir)`). */
  dir: string;
  /** Optimizer updates done; 0 is the starting policy. */
  step: number;
  /** Epochs done, fractional: 0.25 after the first quarter. */
  epoch: number;
  /** Validation score, lower is better; NaN when there was no validation. */
  score: number;
}

export interface StepRecord {
  step: number;
  epoch: number;
  lr: number;
  gradNorm: number;
  loss: number;
  'rewards/chosen': number;
  'rewards/rejected': number;
  'rewards/margins': number;
  'rewards/accuracies': number;
}

export interface RoundState {
  version: 1;
  settings: DpoSettings;
  /** Content hash of the pairs and fingerprint of the starting policy: a resume must train the same round. */
  pairs: string;
  policy: string;
  /** Content hash of the reference log-probs trained against (absent in folders written before it was kept). */
  reference?: string;
  totalSteps: number;
  /** Checkpoint folders are stored relative to the round folder, so it can be moved. */
  checkpoints: Array<Omit<CheckpointRecord, 'dir'> & { name: string }>;
  done: boolean;
}

export const checkpointName = (step: number): string => `ckpt-${step}`;

export function readState(outDir: string): RoundState | undefined {
  const path = join(outDir, 'state.json');
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as RoundState;
    for (const c of state.checkpoints) c.score = c.score ?? Number.NaN; // JSON wrote NaN as null
    return state;
  } catch (err) {
    throw new FileError(`${path}: not valid JSON (${(err as Error).message}); delete ${outDir} to restart this round`);
  }
}

export function writeState(outDir: string, state: RoundState): void {
  atomicWrite(join(outDir, 'state.json'), JSON.stringify(state, null, 1) + '\n');
}

/**
 * Save weights (and optimizer state, when given) into `outDir/ckpt-<step>`, built in a temporary
 * folder and renamed into place, so a kill never leaves a checkpoint that looks complete.
 */
export async function saveRoundCheckpoint(
  model: EmbeddedModel, optimizer: AdamW | undefined, outDir: string, step: number, info: CheckpointInfo, history: readonly StepRecord[],
): Promise<string> {
  const dir = join(outDir, checkpointName(step));
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  await saveCheckpoint(model, tmp, info);
  if (optimizer) {
    const { step: optimizerStep, tensors } = await optimizer.state();
    writeFileSync(join(tmp, 'optimizer.safetensors'), encodeSafetensors(tensors));
    writeFileSync(join(tmp, 'trainer.json'), JSON.stringify({ step, optimizerStep, history }) + '\n');
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** Optimizer moments and history of a checkpoint saved with an optimizer. */
export function readTrainerState(dir: string): { step: number; optimizerStep: number; history: StepRecord[]; tensors: Map<string, { shape: number[]; data: Float32Array }> } {
  const trainer = join(dir, 'trainer.json');
  const optimizer = join(dir, 'optimizer.safetensors');
  if (!existsSync(trainer) || !existsSync(optimizer)) {
    throw new FileError(`${dir}: trainer.json or optimizer.safetensors is missing, so training cannot resume from it; delete the round folder to restart`);
  }
  const t = JSON.parse(readFileSync(trainer, 'utf8'));
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(optimizer)), optimizer);
  return { step: t.step, optimizerStep: t.optimizerStep, history: t.history, tensors };
}

/** The per-step history saved with a trained checkpoint. */
export function readHistory(dir: string): StepRecord[] {
  const path = join(dir, 'trainer.json');
  if (!existsSync(path)) throw new FileError(`${path}: missing; this checkpoint was not saved by the DPO trainer`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { history: StepRecord[] }).history;
}

/** Drop the optimizer state of a checkpoint that is no longer the newest (it is 2x the weights). */
export function dropOptimizerState(dir: string): void {
  rmSync(join(dir, 'optimizer.safetensors'), { force: true });
}

/** Where `publishModel` builds the output before moving it into place; a leftover of a kill. */
export const STAGING_DIR = '.staging';

/**
 * Write the trained model (and `extra` files, e.g. trainer_state.json) into `outDir`, which may
 * already hold other things (the round folder, the run lock). Everything is built in
 * `outDir/.staging/`, then moved in file by file with `model.safetensors` last: a folder that has
 * `model.safetensors` is finished, and a kill at any moment before leaves none (a rerun redoes it).
 */
export async function publishModel(model: EmbeddedModel, outDir: string, info: CheckpointInfo, extra: Record<string, string> = {}): Promise<void> {
  const staging = join(outDir, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  await saveCheckpoint(model, staging, info);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(staging, name), text);
  const files = readdirSync(staging).sort((a, b) => Number(a === 'model.safetensors') - Number(b === 'model.safetensors'));
  for (const f of files) renameSync(join(staging, f), join(outDir, f));
  rmSync(staging, { recursive: true, force: true });
}

function atomicWrite(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
