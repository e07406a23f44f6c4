/**
 * DPO training of one round (docs/method.md §4): M_{i+1} from M_i with π_ref = M_i. Reference log-probs
 * first (once), then shuffled epochs of AdamW steps under a warm-up + cosine schedule, a
 * checkpoint every 1/checkpointsPerEpoch epoch, each validated; the best one wins.
 *
 * Resumable: rerun with the same outDir after a kill and training continues from the last
 * finished checkpoint with its optimizer state; finished checkpoints are neither retrained nor
 * revalidated, and the stored reference log-probs are reused.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { AdamW, type EmbeddedModel } from '../model/index.ts';
import { canonicalJson, sha256Hex, type RunStore } from '../store/index.ts';
import { dpoPlan, stepLr, stepPairs, type DpoPlan } from './plan.ts';
import { referenceLogProbs, type DpoPair, type ReferenceLogProbs } from './reference.ts';
import {
  checkpointName, dropOptimizerState, readHistory, readState, readTrainerState, saveRoundCheckpoint, writeState,
  type CheckpointRecord, type RoundState, type StepRecord,
} from './run-folder.ts';
import { parseDpoSettings, type DpoSettings, type DpoSettingsInput } from './settings.ts';
import { dpoStep } from './step.ts';
import { assignWeights, weightsFingerprint } from '../model/weights.ts';
import { FileError } from '../util/errors.ts';

export interface TrainDpoOptions {
  /** M_i. Trained in place; on return it holds the best checkpoint's weights (M_{i+1}). */
  policy: EmbeddedModel;
  pairs: readonly DpoPair[];
  settings?: DpoSettingsInput;
  /** The round folder (checkpoints, state, reference log-probs); rerun with it to resume. */
  outDir: string;
  /**
   * log π_ref of every pair, in pair order, computed before (through a serving engine, or read from
   * ref_logps.jsonl); then the policy is not asked for them. They must be M_i's: training is then
   * the same as with the ones computed here.
   */
  reference?: readonly ReferenceLogProbs[];
  /** Run store for reference log-probs and per-step metrics. Without it, reference.jsonl in outDir. */
  store?: RunStore;
  /** Metrics series name in the store, e.g. 'dpo/iter-1'. Default 'dpo'. */
  runName?: string;
  /** Validation score of the model as it is now; lower is better. Called after each checkpoint. */
  validate?: (model: EmbeddedModel, at: { step: number; epoch: number }) => Promise<number>;
  progress?: (line: string) => void;
}

export interface DpoResult {
  /** The checkpoint with the lowest validation score (the first on ties); the last one without `validate`. */
  best: CheckpointRecord;
  checkpoints: CheckpointRecord[];
  /** One record per optimizer step, including steps done before a resume. */
  history: StepRecord[];
  plan: DpoPlan;
  reference: ReferenceLogProbs[];
}

/**
 * Train `policy` on `pairs` with DPO; returns the best checkpoint and the per-step metrics.
 *
 * ```ts
 * const policy = loadCheckpoint('runs/iter-0/model');
 * const { best } = await trainDpo({ policy, pairs, outDir: 'runs/iter-1/dpo', store,
 *   validate: async (m) => (await evaluateWorld(m, { split: 'val', limit: 50 })).chairI });
 * // policy now holds best.dir's weights: M_{i+1}
 * ```
 */
export async function trainDpo(o: TrainDpoOptions): Promise<DpoResult> {
  await initEngine();
  const s = parseDpoSettings(o.settings ?? {});
  const { policy, pairs, outDir } = o;
  const runName = o.runName ?? 'dpo';
  const say = o.progress ?? (() => {});
  mkdirSync(outDir, { recursive: true });
  const plan = dpoPlan(pairs.length, s);

  const policyId = await weightsFingerprint(policy);
  const pairsId = sha256Hex(canonicalJson(pairs, 'pairs'));
  let state = readState(outDir);
  if (state) checkSameRound(state, s, pairsId, policyId, outDir);
  state ??= { version: 1, settings: s, pairs: pairsId, policy: policyId, totalSteps: plan.totalSteps, checkpoints: [], done: false };

  // Before any step: the policy is still M_i, the only moment the reference can be computed.
  if (o.reference && o.reference.length !== pairs.length) {
    throw new FileError(`the reference log-probs given cover ${o.reference.length} pairs, the round trains on ${pairs.length}; give one entry per pair, in pair order`);
  }
  const reference = o.reference ? [...o.reference] : await referenceLogProbs(policy, pairs, {
    batchSize: s.referenceBatchSize, modelId: `weights:${policyId}`,
    ...(o.store ? { store: o.store } : { file: join(outDir, 'reference.jsonl') }),
    progress: (d, t) => say(`reference log-probs ${d}/${t}`),
  });
  const referenceId = sha256Hex(canonicalJson(reference, 'reference'));
  if (state.reference !== undefined && state.reference !== referenceId) {
    throw new FileError(`${outDir}/state.json: this round was started with other reference log-probs; pass the same ones to resume, or delete ${outDir} to start over`);
  }
  state.reference = referenceId;

  const records = (): CheckpointRecord[] => state!.checkpoints.map(({ name, ...c }) => ({ ...c, dir: join(outDir, name) }));
  if (state.done) {
    const result = finish(policy, records(), plan, reference);
    say(`DPO round already finished; best checkpoint ${result.best.dir}`);
    return result;
  }

  if (s.includeReference && !state.checkpoints.some((c) => c.step === 0)) {
    await saveRoundCheckpoint(policy, undefined, outDir, 0, { dpo: { step: 0, reference: true } }, []);
    const score = o.validate ? await o.validate(policy, { step: 0, epoch: 0 }) : Number.NaN;
    state.checkpoints.push({ name: checkpointName(0), step: 0, epoch: 0, score });
    writeState(outDir, state);
    say(`checkpoint ${checkpointName(0)} (the starting policy)${o.validate ? `: validation ${score.toFixed(4)}` : ''}`);
  }

  const optimizer = new AdamW(policy.net.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: s.weightDecay, clipNorm: s.clipNorm });
  let start = 0;
  let history: StepRecord[] = [];
  const last = state.checkpoints.filter((c) => c.step > 0).at(-1);
  if (last) {
    const dir = join(outDir, last.name);
    const t = readTrainerState(dir);
    assignWeights(policy, dir);
    optimizer.restore(t.optimizerStep, t.tensors);
    ({ step: start, history } = t);
    say(`resuming DPO at step ${start}/${plan.totalSteps} from ${dir}`);
  }

  try {
    for (let step = start; step < plan.totalSteps; step++) {
      const idx = stepPairs(plan, s.seed, step);
      const lr = stepLr(plan, s, step);
      const r = dpoStep(policy, optimizer, lr, idx.map((i) => pairs[i]!), idx.map((i) => reference[i]!), s);
      const done = step + 1;
      const epoch = done / plan.stepsPerEpoch;
      const rec: StepRecord = {
        step: done, epoch, lr, gradNorm: r.gradNorm, loss: r.loss,
        'rewards/chosen': r['rewards/chosen'], 'rewards/rejected': r['rewards/rejected'],
        'rewards/margins': r['rewards/margins'], 'rewards/accuracies': r['rewards/accuracies'],
      };
      history.push(rec);
      o.store?.appendMetrics(runName, done, metricValues(rec));
      if (done % 10 === 0 || done === plan.totalSteps) {
        say(`DPO step ${done}/${plan.totalSteps} loss ${r.loss.toFixed(4)} margin ${r['rewards/margins'].toFixed(3)} acc ${r['rewards/accuracies'].toFixed(2)} lr ${lr.toExponential(2)}`);
      }
      if (plan.checkpointSteps.includes(done)) await checkpoint(o, s, state, optimizer, done, epoch, history, say);
    }
  } finally {
    optimizer.dispose();
  }
  state.done = true;
  writeState(outDir, state);
  const lastDir = join(outDir, state.checkpoints.at(-1)!.name);
  dropOptimizerState(lastDir); // training is over: nothing will resume from it
  return finish(policy, records(), plan, reference, history);
}

async function checkpoint(
  o: TrainDpoOptions, s: DpoSettings, state: RoundState, optimizer: AdamW, step: number, epoch: number,
  history: StepRecord[], say: (line: string) => void,
): Promise<void> {
  const previous = state.checkpoints.filter((c) => c.step > 0).at(-1);
  const dir = await saveRoundCheckpoint(o.policy, optimizer, o.outDir, step, { dpo: { step, epoch, settings: s, parent: state.policy } }, history);
  const score = o.validate ? await o.validate(o.policy, { step, epoch }) : Number.NaN;
  state.checkpoints.push({ name: checkpointName(step), step, epoch, score });
  writeState(o.outDir, state);
  // Only now is the new checkpoint the resume point; the previous one's optimizer state can go.
  if (previous) dropOptimizerState(join(o.outDir, previous.name));
  say(`checkpoint ${dir} (epoch ${epoch.toFixed(2)})${o.validate ? `: validation ${score.toFixed(4)}` : ''}`);
}

function finish(policy: EmbeddedModel, checkpoints: CheckpointRecord[], plan: DpoPlan, reference: ReferenceLogProbs[], history?: StepRecord[]): DpoResult {
  const best = pickBest(checkpoints);
  assignWeights(policy, best.dir);
  // A round finished in an earlier invocation: its history is in the newest checkpoint's trainer.json.
  const lastTrained = checkpoints.filter((c) => c.step > 0).at(-1);
  return { best, checkpoints, history: history ?? (lastTrained ? readHistory(lastTrained.dir) : []), plan, reference };
}

/**
 * The checkpoint with the lowest score, the earliest on ties (so step 0 wins unless training
 * strictly improved); NaN scores lose to any number. Without any score, the last checkpoint.
 * `pickBest([{step:0,score:0.3},{step:5,score:0.3}]).step` -> 0
 */
export function pickBest<T extends { score: number }>(checkpoints: readonly T[]): T {
  if (checkpoints.length === 0) throw new Error('pickBest: no checkpoints');
  const scored = checkpoints.filter((c) => Number.isFinite(c.score));
  if (scored.length === 0) return checkpoints.at(-1)!;
  return scored.reduce((best, c) => (c.score < best.score ? c : best));
}

function checkSameRound(state: RoundState, s: DpoSettings, pairsId: string, policyId: string, outDir: string): void {
  const fix = `delete ${outDir} to start over, or choose another output folder`;
  // referenceBatchSize only changes how the stored reference was computed, not the training.
  const same = (x: DpoSettings) => canonicalJson({ ...x, referenceBatchSize: 0 });
  if (same(state.settings) !== same(s)) throw new FileError(`${outDir}/state.json: this round was started with other DPO settings; ${fix}`);
  if (state.pairs !== pairsId) throw new FileError(`${outDir}/state.json: this round was started on other pairs; ${fix}`);
  if (state.policy !== policyId) throw new FileError(`${outDir}/state.json: this round was started from another policy (pass M_i, the round's starting checkpoint, to resume); ${fix}`);
}

function metricValues(r: StepRecord): Record<string, number> {
  return {
    loss: r.loss, 'rewards/chosen': r['rewards/chosen'], 'rewards/rejected': r['rewards/rejected'],
    'rewards/margins': r['rewards/margins'], 'rewards/accuracies': r['rewards/accuracies'], lr: r.lr, grad_norm: r.gradNorm, epoch: r.epoch,
  };
}
