/**
 * Pretraining recipes for the two shipped models. The base policy learns from *noisy* captions
 * (so that, like real MLLMs trained on noisy instruction data, it hallucinates co-occurring
 * objects) plus clean yes/no questions (so it judges better than it describes); the labeler is
 * wider and deeper and learns from clean data only.
 */
import { z } from 'zod';
import { YES_NO_KIND_WEIGHTS, YES_NO_KINDS } from '../world/questions.ts';
import { SftMixSchema } from '../world/world.ts';

const ROLES = ['policy', 'labeler'] as const;
export type Role = (typeof ROLES)[number];

const ModelShape = z.strictObject({
  dModel: z.number().int().positive(),
  nLayers: z.number().int().positive(),
  nHeads: z.number().int().positive(),
  maxText: z.number().int().positive(),
});

export const PretrainSettingsSchema = z.strictObject({
  role: z.enum(ROLES).describe('which recipe: the noisy base policy or the clean labeler'),
  steps: z.number().int().positive().describe('optimizer steps'),
  batchSize: z.number().int().positive().default(32).describe('examples per step'),
  lr: z.number().positive().default(2e-3).describe('peak learning rate (AdamW); small models take large rates'),
  warmupFraction: z.number().min(0).max(1).default(0.05).describe('linear warm-up share of the steps (cosine after)'),
  minLrRatio: z.number().min(0).max(1).default(0.1).describe('final learning rate as a share of the peak'),
  weightDecay: z.number().min(0).default(0.01).describe('AdamW decoupled weight decay on matrices'),
  lossWeighting: z.enum(['token', 'example']).default('token')
    .describe("'token' (the shipped recipes): every scored token weighs the same; 'example': each example's tokens are averaged first, so a one-word yes/no answer weighs as much as a caption (measured: no gain in yes/no accuracy)"),
  seed: z.number().int().min(0).default(1).describe('initialisation and data order'),
  worldSeed: z.number().int().min(0).default(0).describe('the world trained on'),
  cooccurrence: z.number().min(0).max(1).optional()
    .describe("the training scenes' co-occurrence prior (default: the world's, 0.8); lower makes a model that looks at each object instead of guessing it from the others. Validation and the closing evaluation keep the world's own scenes"),
  colourPrior: z.number().min(0).max(1).optional()
    .describe("the training scenes' favourite-colour prior (default: the world's, 0.6)"),
  captionNoise: z.number().min(0).max(1).describe('caption-noise rate of the training captions'),
  mix: SftMixSchema.describe('relative weights of example kinds'),
  yesNoKinds: z.strictObject(Object.fromEntries(YES_NO_KINDS.map((k) => [k, z.number().min(0).default(YES_NO_KIND_WEIGHTS[k])])) as
    Record<(typeof YES_NO_KINDS)[number], z.ZodDefault<z.ZodNumber>>)
    .default({ ...YES_NO_KIND_WEIGHTS })
    .refine((w) => Object.values(w).some((x) => x > 0), { message: 'yesNoKinds needs a positive weight' })
    .describe("relative weights of yes/no question kinds (default: the benchmark's; 'place' asks real objects at wrong cells)"),
  model: ModelShape,
  init: z.string().optional().describe('continue from this checkpoint folder instead of a fresh model (no vision stage); a longer schedule in more sittings'),
  visionSteps: z.number().int().min(0).default(800)
    .describe('steps of patch-classifier pretraining for the vision tower before the language model trains (0 = none)'),
  positionWords: z.boolean().default(false)
    .describe("visual tokens also carry the words naming their cell ('top', 'left'); with init, added to a checkpoint that lacks them"),
  refreshVision: z.boolean().default(false)
    .describe('with init: pretrain a new vision tower (visionSteps steps) and swap it in before training'),
  evalEvery: z.number().int().positive().default(250).describe('steps between validation-loss checks'),
  saveEvery: z.number().int().positive().default(250).describe('steps between resumable checkpoints'),
  evalScenes: z.number().int().positive().default(300).describe('test scenes for the closing evaluation'),
});
export type PretrainSettings = z.infer<typeof PretrainSettingsSchema>;

/** The shipped recipes. Changing one means re-running `rlaifv pretrain` and re-shipping the model. */
export const RECIPES: Record<Role, Omit<PretrainSettings, 'role'>> = {
  policy: PretrainSettingsSchema.parse({
    role: 'policy',
    steps: 1500,
    captionNoise: 0.35,
    mix: { describe: 5, objects: 1, where: 1, yesno: 3 },
    model: { dModel: 96, nLayers: 3, nHeads: 4, maxText: 112 },
  }),
  labeler: PretrainSettingsSchema.parse({
    role: 'labeler',
    steps: 1500,
    captionNoise: 0,
    mix: { describe: 2, objects: 1, where: 1, yesno: 6 },
    model: { dModel: 112, nLayers: 3, nHeads: 4, maxText: 112 },
    seed: 2,
  }),
};
