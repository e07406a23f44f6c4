/**
 * Embedded-model throughput beside the matmul peak measured in the same process:
 * training tokens/s, generation tokens/s (KV cache), yes/no queries/s.
 */
import { initEngine, tf } from '../src/tensor/tf.ts';
import { AdamW, createModel, sftLoss, trainStep, type EmbeddedModel } from '../src/model/index.ts';
import { pretrainStream } from '../src/pretrain/data.ts';
import { RECIPES } from '../src/pretrain/settings.ts';
import { worldTokenizer } from '../src/pretrain/run.ts';
import { createWorld, describeInstruction, renderScene, yesNoQuestions } from '../src/world/index.ts';
import { Rng } from '../src/util/rng.ts';
import { forwardFlops, trainFlops } from './flops.ts';

export interface Row { name: string; value: number; unit: string; note?: string }

/** Best GFLOP/s of square-ish float32 matmuls on the engine (the denominator of every ratio). */
export async function matmulPeak(seconds = 1): Promise<number> {
  let best = 0;
  for (const [m, k, n] of [[512, 512, 512], [1024, 256, 768], [2048, 128, 384]] as const) {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    tf.matMul(a, b).dispose();
    const t0 = performance.now();
    let it = 0;
    while (performance.now() - t0 < (seconds * 1000) / 3) {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      it++;
    }
    best = Math.max(best, (2 * m * k * n * it) / ((performance.now() - t0) / 1000) / 1e9);
    a.dispose();
    b.dispose();
  }
  return best;
}

export async function modelBench(seconds: number): Promise<Row[]> {
  await initEngine();
  const peak = await matmulPeak();
  const rows: Row[] = [{ name: 'matmul peak (wasm, 1 thread)', value: peak, unit: 'GFLOP/s' }];
  for (const role of ['policy', 'labeler'] as const) {
    const recipe = RECIPES[role];
    const model = createModel(role, worldTokenizer(), recipe.model, 1);
    const world = createWorld({});
    rows.push(...trainBench(model, world, recipe, peak, seconds));
    rows.push(...(await generateBench(model, world, peak, seconds)));
    rows.push(...(await yesNoBench(model, world, peak, seconds)));
    model.net.dispose();
  }
  return rows;
}

function trainBench(model: EmbeddedModel, world: ReturnType<typeof createWorld>, recipe: (typeof RECIPES)['policy'], peak: number, seconds: number): Row[] {
  const stream = pretrainStream(world, { seed: 1, captionNoise: recipe.captionNoise, mix: recipe.mix, batchSize: recipe.batchSize });
  const opt = new AdamW(model.net.params);
  const step = (s: number) => {
    const sb = model.scoredBatch(stream(s));
    trainStep(model.net.params, opt, 1e-3, () => sftLoss(model.tokenLogProbs(sb), sb.targetMask));
    let tokens = 0;
    let flops = 0;
    for (let b = 0; b < sb.B; b++) {
      let len = 0;
      for (let t = 0; t < sb.T; t++) len += sb.valid[b * sb.T + t]!;
      tokens += len + model.net.nPatches;
      flops += trainFlops(model.cfg, sb.T); // padded length: the work actually done
    }
    return { tokens, flops };
  };
  step(0);
  let tokens = 0;
  let flops = 0;
  const t0 = performance.now();
  for (let s = 1; performance.now() - t0 < seconds * 1000; s++) {
    const r = step(s);
    tokens += r.tokens;
    flops += r.flops;
  }
  const secs = (performance.now() - t0) / 1000;
  opt.dispose();
  const gflops = flops / secs / 1e9;
  return [
    { name: `${model.name}: training`, value: tokens / secs, unit: 'tokens/s', note: `${gflops.toFixed(2)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of matmul peak` },
  ];
}

async function generateBench(model: EmbeddedModel, world: ReturnType<typeof createWorld>, peak: number, seconds: number): Promise<Row[]> {
  const rng = new Rng(3);
  const reqs = Array.from({ length: 16 }, (_, i) => {
    const scene = world.scene('test', i);
    return { image: renderScene(scene), prompt: describeInstruction(rng) };
  });
  let tokens = 0;
  let flops = 0;
  const t0 = performance.now();
  for (let round = 0; performance.now() - t0 < seconds * 1000; round++) {
    const out = await model.generate(reqs, { n: 4, seed: round * 100, temperature: 0.7, topP: 1, maxTokens: 512 });
    for (const cands of out) for (const c of cands) {
      tokens += c.tokens + 1;
      // With a KV cache each new token costs one position against the cached keys.
      flops += forwardFlops(model.cfg, c.tokens + 12) / (model.net.nPatches + c.tokens + 12) * (c.tokens + 1);
    }
  }
  const secs = (performance.now() - t0) / 1000;
  const gflops = flops / secs / 1e9;
  return [{ name: `${model.name}: generation (64 sequences/batch)`, value: tokens / secs, unit: 'tokens/s', note: `${gflops.toFixed(2)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak` }];
}

async function yesNoBench(model: EmbeddedModel, world: ReturnType<typeof createWorld>, peak: number, seconds: number): Promise<Row[]> {
  const rng = new Rng(4);
  const qs = Array.from({ length: 64 }, (_, i) => {
    const scene = world.scene('test', i);
    const [q] = yesNoQuestions(world, scene, rng, 1);
    return { image: renderScene(scene), question: q!.question };
  });
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await model.yesNo(qs);
    n += qs.length;
  }
  const secs = (performance.now() - t0) / 1000;
  const gflops = (n * forwardFlops(model.cfg, 20)) / secs / 1e9;
  return [{ name: `${model.name}: yes/no (batch 64)`, value: n / secs, unit: 'queries/s', note: `${gflops.toFixed(2)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak` }];
}
