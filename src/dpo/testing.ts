/**
 * Fixtures for the DPO tests: a tiny policy over the world vocabulary and crafted pairs of two
 * different answers to one image (which one is true does not matter to the optimiser).
 */
import { createModel, type EmbeddedModel } from '../model/index.ts';
import { worldTokenizer } from '../pretrain/run.ts';
import { createWorld, renderScene } from '../world/index.ts';
import type { DpoPair } from './reference.ts';

/** A 1-layer, 16-wide model: trains a step in milliseconds. */
export function tinyPolicy(seed = 1, name = 'tiny'): EmbeddedModel {
  return createModel(name, worldTokenizer(), { dModel: 16, nLayers: 1, nHeads: 2, maxText: 32 }, seed);
}

/** `n` pairs on world scenes, each with its own chosen and rejected text. */
export function craftedPairs(n = 4): DpoPair[] {
  const world = createWorld({ worldSeed: 0 });
  const answers: Array<[string, string]> = [
    ['There is a red circle.', 'There is a blue square and a green star.'],
    ['There is a large blue cross.', 'There is a small yellow ring.'],
    ['There are two objects.', 'There are five objects in the image.'],
    ['There is a green triangle at the top.', 'There is a purple diamond.'],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [chosen, rejected] = answers[i % answers.length]!;
    return { image: renderScene(world.scene('train', i)), prompt: 'Describe the image.', chosen, rejected };
  });
}
