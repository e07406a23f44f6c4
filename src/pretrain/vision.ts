/**
 * Stage 0 of pretraining: the vision tower. Real MLLMs start from a vision encoder pretrained on
 * its own (LLaVA uses CLIP); ours is the first projector layer, pretrained as a patch classifier
 * (shape, colour, size of the object in each 16x16 cell, or none) on rendered train scenes.
 * Starting the language model from informative visual features makes grounding learnable in
 * minutes instead of hours on a CPU.
 */
import { tf } from '../tensor/tf.ts';
import { AdamW, cosineLr } from '../model/index.ts';
import { batchPatches } from '../model/batch.ts';
import { shapes, type ModelConfig } from '../model/config.ts';
import { toParams } from '../model/vlm.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import { cellOf, COLOURS, COLS, renderScene, ROWS, SHAPES, SIZES, type World } from '../world/index.ts';

export interface VisionPretrainResult {
  w1: Float32Array;
  b1: Float32Array;
  /** Classifier heads (d x classes) for shape, colour, size; class 0 = no object. */
  heads: Float32Array[];
  /** Accuracy on the validation scenes' object cells, per attribute. */
  accuracy: { shape: number; colour: number; size: number };
}

/** Train the patch classifier; returns the weights for `proj.w1` / `proj.b1`. */
export async function pretrainVision(cfg: ModelConfig, world: World, o: { steps: number; seed: number; imagesPerStep?: number; lr?: number; progress?: (done: number, total: number) => void }): Promise<VisionPretrainResult> {
  const { nPatches, patchDim } = shapes(cfg);
  const d = cfg.dModel;
  const rng = new Rng(deriveSeed(o.seed, 'vision-init'));
  const init = (rows: number, cols: number, std: number) => tf.tensor(Float32Array.from({ length: rows * cols }, () => rng.normal() * std), [rows, cols]);
  const heads = [SHAPES.length + 1, COLOURS.length + 1, SIZES.length + 1];
  const params = toParams(new Map<string, tf.Tensor>([
    ['w1', init(patchDim, d, cfg.initStd)], ['b1', tf.zeros([d])],
    ...heads.map((n, i) => [`head${i}`, init(d, n, 0.02)] as [string, tf.Tensor]),
  ]));
  const opt = new AdamW(params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 1 });
  const imagesPerStep = o.imagesPerStep ?? 32;
  const lr = o.lr ?? 3e-3;

  const batch = (split: 'train' | 'val', start: number, count: number) => {
    const scenes = Array.from({ length: count }, (_, i) => world.scene(split, start + i));
    const patches = batchPatches(scenes.map((s) => renderScene(s)), cfg);
    const labels = heads.map(() => new Int32Array(count * nPatches)); // 0 = empty cell
    scenes.forEach((s, b) => {
      for (const obj of s.objects) {
        const i = b * nPatches + cellOf(obj);
        labels[0]![i] = SHAPES.indexOf(obj.shape) + 1;
        labels[1]![i] = COLOURS.indexOf(obj.colour) + 1;
        labels[2]![i] = SIZES.indexOf(obj.size) + 1;
      }
    });
    return { x: tf.tensor2d(patches, [count * nPatches, patchDim]), labels };
  };
  const logitsOf = (x: tf.Tensor2D) => {
    const h = tf.matMul(x, params.get('w1')!).add(params.get('b1')!);
    const g = h.mul(tf.sigmoid(h.mul(1.702))) as tf.Tensor2D;
    return heads.map((_, i) => tf.matMul(g, params.get(`head${i}`)!));
  };

  for (let step = 0; step < o.steps; step++) {
    const { x, labels } = batch('train', deriveSeed(o.seed, 'vision', step) % 1_000_000, imagesPerStep);
    const rate = cosineLr(step, o.steps, Math.round(0.05 * o.steps), lr, 0.1);
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
      const logits = logitsOf(x as tf.Tensor2D);
      return tf.addN(logits.map((l, i) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels[i]!, 'int32'), heads[i]!), l))) as tf.Scalar;
    }), [...params.values()]);
    opt.apply(grads, rate);
    tf.dispose([value, x, ...Object.values(grads)]);
    if ((step + 1) % 500 === 0 || step + 1 === o.steps) o.progress?.(step + 1, o.steps);
  }

  const { x, labels } = batch('val', 0, 64);
  const preds = tf.tidy(() => logitsOf(x as tf.Tensor2D).map((l) => l.argMax(-1)));
  const accuracy = await Promise.all(preds.map(async (p, i) => {
    const data = await p.data();
    let ok = 0;
    let n = 0;
    for (let j = 0; j < data.length; j++) {
      if (labels[0]![j] === 0) continue; // accuracy on object cells only (most cells are empty and easy)
      n++;
      if (data[j] === labels[i]![j]) ok++;
    }
    return ok / Math.max(1, n);
  }));
  const headWeights = await Promise.all(heads.map(async (_, i) => (await params.get(`head${i}`)!.data()) as Float32Array));
  const w1 = (await params.get('w1')!.data()) as Float32Array;
  const b1 = (await params.get('b1')!.data()) as Float32Array;
  tf.dispose([x, ...preds]);
  opt.dispose();
  for (const v of params.values()) v.dispose();
  return { w1, b1, heads: headWeights, accuracy: { shape: accuracy[0]!, colour: accuracy[1]!, size: accuracy[2]! } };
}

/** The `attributeTokens` config of the vision heads: for each head, the word id of each class (-1 = none). */
export function attributeTokens(id: (word: string) => number): number[][] {
  return [SHAPES, COLOURS, SIZES].map((classes) => [-1, ...classes.map((w) => id(w))]);
}

/** The `positionTokens` config: for each grid cell in reading order, the word ids of its row and column. */
export function positionTokens(id: (word: string) => number): number[][] {
  return ROWS.flatMap((row) => COLS.map((col) => [id(row), id(col)]));
}
