/**
 * The pretraining data stream: example k is drawn from train scene k with its own seed, so any
 * step can be rebuilt on resume without replaying the ones before it.
 */
import type { RgbImage } from '../image/rgb.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import { createWorld, renderScene, sftExample, type World } from '../world/index.ts';
import type { YesNoKindWeights } from '../world/index.ts';
import type { SftMix } from '../world/world.ts';

export interface Example {
  kind: string;
  image: RgbImage;
  prompt: string;
  response: string;
}

export interface StreamSettings {
  seed: number;
  captionNoise: number;
  mix: SftMix;
  /** Yes/no question kinds; default the benchmark's. */
  yesNoKinds?: YesNoKindWeights;
  batchSize: number;
}

/**
 * The world whose train scenes a model learns from: the world itself, or the same world (groups,
 * favourite colours, splits by content) with a weaker scene prior, so that a model learns to look
 * at each object rather than guess it from the others.
 */
export function trainingWorld(s: { worldSeed: number; cooccurrence?: number | undefined; colourPrior?: number | undefined }): World {
  return createWorld({
    worldSeed: s.worldSeed,
    ...(s.cooccurrence !== undefined && { cooccurrence: s.cooccurrence }),
    ...(s.colourPrior !== undefined && { colourPrior: s.colourPrior }),
  });
}

/** Batches per length-sorting pool: sorting a pool by length cuts padding about in half. */
const POOL_BATCHES = 8;

export function example(world: World, split: 'train' | 'val', k: number, s: Pick<StreamSettings, 'seed' | 'captionNoise' | 'mix' | 'yesNoKinds'>): Example {
  const scene = world.scene(split, k);
  const rng = new Rng(deriveSeed(s.seed, 'example', split, k));
  const ex = sftExample(world, scene, rng, { captionNoise: s.captionNoise, mix: s.mix, ...(s.yesNoKinds && { yesNoKinds: s.yesNoKinds }) });
  return { kind: ex.kind, image: renderScene(scene), prompt: ex.prompt, response: ex.response };
}

/**
 * `batchForStep(step)`: pool floor(step / POOL_BATCHES) holds POOL_BATCHES * batchSize
 * consecutive examples, sorted by length and cut into batches whose order is shuffled by seed.
 * The current pool is kept, so consecutive steps build it once.
 */
export function pretrainStream(world: World, s: StreamSettings): (step: number) => Example[] {
  let cached: { pool: number; batches: Example[][] } | undefined;
  return (step) => {
    const pool = Math.floor(step / POOL_BATCHES);
    if (cached?.pool !== pool) {
      const size = POOL_BATCHES * s.batchSize;
      const items = Array.from({ length: size }, (_, i) => example(world, 'train', pool * size + i, s));
      const order = items.map((ex, i) => ({ i, len: ex.prompt.length + ex.response.length })).sort((a, b) => a.len - b.len || a.i - b.i);
      const batches = Array.from({ length: POOL_BATCHES }, (_, b) => order.slice(b * s.batchSize, (b + 1) * s.batchSize).map((o) => items[o.i]!));
      new Rng(deriveSeed(s.seed, 'pool', pool)).shuffle(batches);
      cached = { pool, batches };
    }
    return cached.batches[step % POOL_BATCHES]!;
  };
}
