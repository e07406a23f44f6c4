/**
 * `rlaifv pretrain`: supervised training of a shipped model from scratch on the world, resumable.
 *
 * Layout of the output folder:
 *   model.safetensors, config.json, vocab.json   the final checkpoint (config.json info = recipe + history)
 *   .resume/                                      while training: last checkpoint + optimizer state
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine, tf } from '../tensor/tf.ts';
import { AdamW, cosineLr, createModel, EmbeddedModel, loadCheckpoint, saveCheckpoint, sftLoss, Tokenizer, trainStep } from '../model/index.ts';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors.ts';
import { corpus, createWorld } from '../world/index.ts';
import { example, pretrainStream, trainingWorld, type Example } from './data.ts';
import type { PretrainSettings } from './settings.ts';
import { attributeTokens, positionTokens, pretrainVision, type VisionPretrainResult } from './vision.ts';
import { VisionLanguageModel } from '../model/vlm.ts';

export interface HistoryPoint {
  step: number;
  trainLoss: number;
  valLoss: number;
  lr: number;
}

export interface PretrainResult {
  model: EmbeddedModel;
  history: HistoryPoint[];
  trainTokens: number;
  trainSeconds: number;
}

export interface PretrainHooks {
  /** Called every few steps with a one-line status. */
  progress?: (line: string) => void;
}

/** The vocabulary of every shipped model: the world's language plus lower-case yes/no. */
export function worldTokenizer(): Tokenizer {
  return new Tokenizer([...corpus(), 'yes', 'no']);
}

const VAL_EXAMPLES = 128;

export async function runPretrain(s: PretrainSettings, outDir: string, hooks: PretrainHooks = {}): Promise<PretrainResult> {
  await initEngine();
  const world = createWorld({ worldSeed: s.worldSeed });
  // Validation keeps the world's own scenes; training may see them under a weaker prior.
  const trainWorld = trainingWorld(s);
  const resumeDir = join(outDir, '.resume');
  const settingsJson = JSON.stringify(s);
  let model: EmbeddedModel;
  let start = 0;
  let history: HistoryPoint[] = [];
  let trainTokens = 0;
  let trainSeconds = 0;
  let visionAccuracy: Record<string, number> | undefined;
  let restore: { step: number; tensors: Map<string, { shape: number[]; data: Float32Array }> } | undefined;
  if (existsSync(join(resumeDir, 'state.json'))) {
    const state = JSON.parse(readFileSync(join(resumeDir, 'state.json'), 'utf8'));
    if (state.settings !== settingsJson) {
      throw new Error(`${resumeDir} holds an unfinished run with other settings; delete that folder or choose another --out`);
    }
    model = loadCheckpoint(resumeDir, s.role);
    ({ step: start, history, trainTokens, trainSeconds, visionAccuracy } = state);
    restore = { step: state.optimizerStep, tensors: decodeSafetensors(new Uint8Array(readFileSync(join(resumeDir, 'optimizer.safetensors'))), 'optimizer.safetensors').tensors };
    hooks.progress?.(`resuming ${s.role} pretraining at step ${start}/${s.steps}`);
  } else {
    const tokenizer = worldTokenizer();
    const places = s.positionWords ? positionTokens((w) => tokenizer.id(w)) : [];
    if (s.init) {
      const loaded = loadCheckpoint(s.init, s.role);
      model = withPlaces(loaded, places);
      hooks.progress?.(`${s.role}: continuing from ${s.init}${model !== loaded ? ' (place words added to its visual tokens)' : ''}`);
    } else {
      model = createModel(s.role, tokenizer, {
        ...s.model, positionTokens: places,
        ...(s.visionSteps > 0 && { attributeTokens: attributeTokens((w) => tokenizer.id(w)) }),
      }, s.seed);
    }
    if (s.visionSteps > 0 && (!s.init || s.refreshVision)) {
      if (model.cfg.attributeTokens.length === 0) throw new Error(`${s.init}: this checkpoint has no vision heads, so its vision tower cannot be retrained`);
      hooks.progress?.(`${s.role}: pretraining the vision tower (${s.visionSteps} steps)`);
      const started = performance.now();
      const vision = await pretrainVision(model.cfg, trainWorld, {
        steps: s.visionSteps, seed: s.seed,
        progress: (done, total) => {
          const secs = (performance.now() - started) / 1000;
          hooks.progress?.(`${s.role} vision step ${done}/${total} ${(done / secs).toFixed(0)} steps/s ETA ${((total - done) * secs / done).toFixed(0)}s`);
        },
      });
      installVision(model, vision);
      visionAccuracy = vision.accuracy;
      hooks.progress?.(`${s.role}: vision tower accuracy on object cells ${JSON.stringify(vision.accuracy)}`);
    }
  }
  const opt = new AdamW(model.net.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: s.weightDecay, clipNorm: 1 });
  if (restore) opt.restore(restore.step, restore.tensors);

  const stream = pretrainStream(trainWorld, { seed: s.seed, captionNoise: s.captionNoise, mix: s.mix, yesNoKinds: s.yesNoKinds, batchSize: s.batchSize });
  const val = Array.from({ length: VAL_EXAMPLES }, (_, k) => example(world, 'val', k, s));
  const warmup = Math.round(s.warmupFraction * s.steps);
  const secondsBefore = trainSeconds;
  let ema: number | undefined;
  let t0 = performance.now();
  let tokensSince = 0;
  for (let step = start; step < s.steps; step++) {
    const sb = model.scoredBatch(stream(step));
    const lr = cosineLr(step, s.steps, warmup, s.lr, s.minLrRatio);
    const { loss } = trainStep(model.net.params, opt, lr, () => sftLoss(model.tokenLogProbs(sb), sb.targetMask, s.lossWeighting));
    ema = ema === undefined ? loss : 0.95 * ema + 0.05 * loss;
    const tokens = sb.valid.reduce((a, v) => a + v, 0) + sb.B * model.net.nPatches;
    trainTokens += tokens;
    tokensSince += tokens;
    const done = step + 1;
    if (done % 10 === 0 || done === s.steps) {
      const now = performance.now();
      const secs = (now - t0) / 1000;
      trainSeconds += secs;
      const rate = tokensSince / secs;
      // Seconds per step of this invocation only: a resumed run's trainSeconds include earlier ones.
      const eta = ((s.steps - done) * ((trainSeconds - secondsBefore) / Math.max(1, done - start))).toFixed(0);
      hooks.progress?.(`${s.role} step ${done}/${s.steps} loss ${ema.toFixed(3)} lr ${lr.toExponential(2)} ${rate.toFixed(0)} tok/s ETA ${eta}s`);
      t0 = now;
      tokensSince = 0;
    }
    if (done % s.evalEvery === 0 || done === s.steps) {
      const valLoss = await meanLoss(model, val, s.batchSize);
      history.push({ step: done, trainLoss: ema, valLoss, lr });
      hooks.progress?.(`${s.role} step ${done}: val loss ${valLoss.toFixed(4)}`);
      t0 = performance.now();
    }
    if (done % s.saveEvery === 0 && done < s.steps) {
      await saveResume(model, opt, resumeDir, { settings: settingsJson, step: done, optimizerStep: opt.step, history, trainTokens, trainSeconds, visionAccuracy });
      t0 = performance.now();
    }
  }
  opt.dispose();
  await saveCheckpoint(model, outDir, { recipe: s, visionAccuracy, history, trainTokens, trainSeconds: Math.round(trainSeconds) });
  rmSync(resumeDir, { recursive: true, force: true });
  return { model, history, trainTokens, trainSeconds };
}

/** The model with place words in its visual tokens, when asked for and it has none yet (same parameters). */
function withPlaces(model: EmbeddedModel, places: number[][]): EmbeddedModel {
  if (places.length === 0 || model.cfg.positionTokens.length > 0) return model;
  if (places.flat().some((id) => id >= model.cfg.vocabSize)) throw new Error('positionWords: the checkpoint\'s vocabulary is not the world tokenizer\'s');
  return new EmbeddedModel(model.name, new VisionLanguageModel({ ...model.cfg, positionTokens: places }, model.net.params), model.tokenizer);
}

/**
 * Put a pretrained tower and its heads into the model. proj.w2 starts at zero so that the visual
 * tokens begin as the named classes' word embeddings (the raw tower features are ~100x larger);
 * on a retrained tower this also drops what the decoder read from the old tower's raw features.
 */
function installVision(model: EmbeddedModel, vision: VisionPretrainResult): void {
  const w2 = model.net.params.get('proj.w2')!;
  const values: Array<readonly [string, Float32Array]> = [
    ['proj.w1', vision.w1], ['proj.b1', vision.b1], ['proj.w2', new Float32Array(w2.size)],
    ...vision.heads.map((h, k) => [`vis.head${k}`, h] as const),
  ];
  for (const [name, data] of values) {
    const p = model.net.params.get(name)!;
    const value = tf.tensor(data, p.shape);
    p.assign(value);
    value.dispose();
  }
}

/** Mean per-token loss over examples, without gradients. */
async function meanLoss(model: EmbeddedModel, examples: readonly Example[], batchSize: number): Promise<number> {
  let total = 0;
  let count = 0;
  for (let i = 0; i < examples.length; i += batchSize) {
    const sb = model.scoredBatch(examples.slice(i, i + batchSize));
    const sum = tf.tidy(() => model.tokenLogProbs(sb).sum().neg());
    total += (await sum.data())[0]!;
    sum.dispose();
    count += sb.targetMask.reduce((a, v) => a + v, 0);
  }
  return total / Math.max(1, count);
}

async function saveResume(model: EmbeddedModel, opt: AdamW, dir: string, state: Record<string, unknown>): Promise<void> {
  // Write into a fresh folder and swap it in, so a kill mid-save leaves the previous state intact.
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await saveCheckpoint(model, tmp, {});
  const { tensors } = await opt.state();
  writeFileSync(join(tmp, 'optimizer.safetensors'), encodeSafetensors(tensors));
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(state));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

