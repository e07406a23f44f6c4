/**
 * Settings of the world benchmark (`rlaifv eval`): which scenes, how answers are decoded.
 */
import { z } from 'zod';

export const EvalSettingsSchema = z.strictObject({
  split: z.enum(['train', 'val', 'test']).default('test').describe('world split to evaluate on'),
  limit: z.number().int().positive().default(300)
    .describe('scenes to evaluate (Object HalBench uses 300 images)'),
  offset: z.number().int().min(0).default(0).describe('index of the first scene of the split (scenes offset .. offset+limit-1)'),
  worldSeed: z.number().int().min(0).default(0).describe('0 = the world the shipped models were trained on; others draw a new world'),
  questionsPerScene: z.number().int().min(0).default(4).describe('yes/no questions per scene (AMBER-style discriminative part)'),
  placeQuestionsPerScene: z.number().int().min(0).default(2)
    .describe("more yes/no questions per scene of the 'place' kind (a described object at a cell: often a real object at a wrong one), reported apart as placeAccuracy so that yesNoAccuracy stays comparable"),
  temperature: z.number().min(0).default(0).describe('decoding temperature for descriptions; 0 = greedy, as benchmark evaluations usually decode'),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus mass when temperature > 0'),
  maxTokens: z.number().int().positive().default(512).describe("max new tokens per description (the paper's default)"),
  samplesPerScene: z.number().int().positive().default(1).describe('descriptions sampled per scene (only useful with temperature > 0)'),
  seed: z.number().int().min(0).default(0).describe('seed for question choice and sampling'),
  batchSize: z.number().int().positive().default(64).describe('requests per backend call'),
});
export type EvalSettings = z.infer<typeof EvalSettingsSchema>;
export type EvalSettingsInput = z.input<typeof EvalSettingsSchema>;
