/** Settings of the pair-building stage (docs/method.md §3), official defaults. */
import { z } from 'zod';

export const PairSettingsSchema = z.strictObject({
  duplicateQuestions: z.enum(['drop', 'keep']).default('drop')
    .describe("an answer two of whose claims become the same yes/no question: 'drop' leaves it unscored and unpaired, as the official pair stage does (it looks verdicts up by question text); 'keep' scores it with all its verdicts"),
  diff: z.number().positive().default(1)
    .describe('minimum score difference of a pair; 1 as officially: with integer scores, any difference'),
  maxPairsPerInstruction: z.number().int().positive().default(2)
    .describe('pairs sampled per instruction, uniformly without replacement; 2 as officially, so no instruction dominates'),
  seed: z.number().int().default(0)
    .describe('seeds pair sampling; instruction k draws from Rng(deriveSeed(seed, "pairs", instructionId)), independent of batch order'),
  lengthBalance: z.boolean().default(true)
    .describe('sweep the length-balance ratio (docs/method.md §3.3); identical-text pairs are dropped either way'),
  ratioSteps: z.number().int().positive().default(50)
    .describe('length-balance ratios r = i / ratioSteps, i = 0..ratioSteps-1: 0.00, 0.02, ..., 0.98 as officially'),
});
export type PairSettings = z.infer<typeof PairSettingsSchema>;

