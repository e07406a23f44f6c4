/** Settings of the instructions stage: where a run's instructions (image + question) come from. */
import { z } from 'zod';
import { ImageReadFields } from '../../inputs/options.ts';

/** Relative weights of the world instruction kinds. */
const KindMixSchema = z.strictObject({
  describe: z.number().min(0).default(1).describe('"Describe the image." prompts: the detailed descriptions RLAIF-V aligns'),
  objects: z.number().min(0).default(0).describe('"What objects are in the image?" prompts'),
  where: z.number().min(0).default(0).describe('"Where is the red circle?" prompts about an object of the scene'),
}).refine((m) => m.describe + m.objects + m.where > 0, { message: 'at least one instruction kind needs a positive weight' });

export const InputSchema = z.strictObject({
  source: z.string().min(1).default('world')
    .describe("'world' draws instructions from the procedural world (ground truth known: claim accuracy and pair precision are measured); otherwise a .jsonl/.json/.parquet instruction file"),
  worldSeed: z.number().int().min(0).default(0).describe('world of the instructions; 0 = the world the shipped models know'),
  split: z.enum(['train', 'val', 'test']).default('train').describe('world split the scenes come from; align on train, evaluate on test'),
  offset: z.number().int().min(0).default(0)
    .describe('skip this many instructions first, so that each iteration of the align loop takes a fresh slice (docs/method.md §4)'),
  count: z.number().int().positive().default(200).describe('instructions in this run (the paper uses ~4K per round; 200 take minutes on a CPU)'),
  kinds: KindMixSchema.prefault({}).describe('mix of world instruction kinds; each scene gets one, drawn from its id'),
  strict: z.boolean().default(false).describe('stop at the first instruction whose image cannot be read, instead of skipping it with a warning'),
  ...ImageReadFields,
}).describe('where the instructions come from');
export type InputSettings = z.infer<typeof InputSchema>;
