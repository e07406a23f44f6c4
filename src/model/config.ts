/**
 * Configuration of the embedded vision-language model. Every default carries its reason.
 * A checkpoint stores the full config, so a model is always rebuilt with the shape it was trained with.
 */
import { z } from 'zod';
import { ConfigError } from '../util/errors.ts';

export const ModelConfigSchema = z.strictObject({
  imageSize: z.number().int().positive().default(48)
    .describe('input images are resized to imageSize x imageSize; 48 = the world\'s 3x3 grid of 16 px cells'),
  patchSize: z.number().int().positive().default(16)
    .describe('one visual token per patchSize x patchSize patch; 16 makes each grid cell one token'),
  dModel: z.number().int().positive().default(96)
    .describe('width; 96 is enough for a ~150-word language and keeps CPU training to minutes'),
  nLayers: z.number().int().positive().default(3).describe('transformer blocks'),
  nHeads: z.number().int().positive().default(4).describe('attention heads; dModel must divide evenly'),
  ffMult: z.number().int().positive().default(4).describe('MLP hidden width = ffMult * dModel, as in GPT-2'),
  maxText: z.number().int().positive().default(112)
    .describe('text positions (prompt + response); a 5-object description is ~70 tokens'),
  vocabSize: z.number().int().positive().describe('set from the tokenizer'),
  attributeTokens: z.array(z.array(z.number().int().min(-1))).default([])
    .describe('vision heads: per head, the word token of each class (-1 = none); visual tokens then also carry the class probabilities times those words\' embeddings, so the text can match what it sees against what it reads from the first step'),
  positionTokens: z.array(z.array(z.number().int().min(0))).default([])
    .describe("per patch (reading order), the word tokens naming its place, e.g. [top, left]; their embeddings are added to the patch's visual token, so saying where a thing is means copying words it already carries (empty = none)"),
  globalImage: z.boolean().default(false)
    .describe('also add a projection of all visual tokens (concatenated) to every text position: the text can read the image without learning to attend first, which a CPU-sized training budget does not leave time for'),
  initStd: z.number().positive().default(0.02).describe('normal init std, as in GPT-2'),
});
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

/** Derived sizes, with the checks that print the numbers that broke them. */
export function shapes(cfg: ModelConfig) {
  if (cfg.imageSize % cfg.patchSize !== 0) {
    throw new ConfigError(`imageSize ${cfg.imageSize} is not a multiple of patchSize ${cfg.patchSize}`);
  }
  if (cfg.dModel % cfg.nHeads !== 0) throw new ConfigError(`dModel ${cfg.dModel} is not divisible by nHeads ${cfg.nHeads}`);
  const grid = cfg.imageSize / cfg.patchSize;
  if (cfg.positionTokens.length > 0 && cfg.positionTokens.length !== grid * grid) {
    throw new ConfigError(`positionTokens lists ${cfg.positionTokens.length} patches, the image has ${grid * grid}`);
  }
  return {
    nPatches: grid * grid,
    patchDim: cfg.patchSize * cfg.patchSize * 3,
    headDim: cfg.dModel / cfg.nHeads,
    dFf: cfg.ffMult * cfg.dModel,
  };
}
