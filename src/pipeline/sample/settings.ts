/** Settings of the sample stage: deconfounded candidate generation (docs/method.md §1). */
import { z } from 'zod';

export const SamplingSchema = z.strictObject({
  n: z.number().int().positive().default(10)
    .describe('candidates per instruction (the paper: 10), all under the same decoding settings: deconfounded'),
  temperature: z.number().min(0).default(0.7).describe('decoding temperature of the policy (the paper: 0.7)'),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus mass; 1 = the model default (docs/method.md §1)'),
  maxTokens: z.number().int().positive().default(512).describe('max new tokens per candidate (the paper: 512)'),
  seed: z.number().int().min(0).default(0)
    .describe('instruction k is sampled with seed deriveSeed(seed, k.id), candidate j with that + j: a candidate never depends on its batch'),
  mixed: z.array(z.strictObject({ temperature: z.number().min(0), topP: z.number().gt(0).max(1) })).optional()
    .describe('ABLATION ONLY: candidate j uses mixed[j % length] instead of one setting, confounding style with trustworthiness (the paper\'s "without deconfounding")'),
}).describe('deconfounded candidate generation (docs/method.md §1)');
export type Sampling = z.infer<typeof SamplingSchema>;
