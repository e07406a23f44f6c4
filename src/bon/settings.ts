/** Settings of a best-of-N run (`rlaifv bon`), each with its default and the reason for it. */
import { z } from 'zod';

export const BON_BENCHES = ['world', 'objhal', 'amber'] as const;
export type BonBench = (typeof BON_BENCHES)[number];

export const BonSettingsSchema = z.strictObject({
  n: z.array(z.number().int().positive()).min(1).default([1, 2, 4, 8, 16, 32, 64]).describe('the N of the curve; the largest is sampled once, smaller N are its prefixes'),
  temperature: z.number().min(0).max(2).default(0.7).describe('candidate sampling temperature (the data engine\'s, docs/method.md §1)'),
  maxTokens: z.number().int().positive().default(128).describe('new tokens per candidate'),
  beta: z.number().positive().default(0.1).describe('β of the reward, the DPO β the policy was trained with'),
  limit: z.number().int().positive().default(100).describe('prompts: test scenes on the world, the first questions of a benchmark'),
  worldSeed: z.number().int().min(0).default(0),
  seed: z.number().int().min(0).default(0).describe('sampling and random-pick seed'),
});
export type BonSettings = z.infer<typeof BonSettingsSchema>;
