/**
 * DPO settings (docs/method.md §4), default and reason together. The official numbers are kept except the
 * learning rate, which is for a 7B model and would not move the small embedded models at all.
 */
import { z } from 'zod';
import { parseSettings } from '../util/settings.ts';

export const DpoSettingsSchema = z.strictObject({
  beta: z.number().positive().default(0.1)
    .describe('β of the DPO loss and the implicit reward β·(log π - log π_ref) (the paper: 0.1)'),
  lr: z.number().positive().default(5e-5)
    .describe("peak learning rate; the paper's 5e-7 is for a full 7B fine-tune and would not move the small embedded models (docs/method.md §4)"),
  batchSize: z.number().int().positive().default(8).describe('pairs per optimizer step (the paper: global batch 8)'),
  epochs: z.number().int().positive().default(4).describe('passes over the round\'s pairs (the paper: 4)'),
  warmupFraction: z.number().min(0).max(1).default(0.05).describe('linear warm-up share of all steps (the paper: 5%)'),
  schedule: z.enum(['cosine', 'constant']).default('cosine').describe('learning-rate decay after warm-up (the paper: cosine)'),
  minLrRatio: z.number().min(0).max(1).default(0).describe('final learning rate as a share of the peak; 0 as in TRL\'s cosine'),
  weightDecay: z.number().min(0).default(0.01).describe('AdamW decoupled weight decay on matrices (the paper: 0.01)'),
  clipNorm: z.number().min(0).default(1).describe('clip the global gradient norm to this (0 = off); 1.0 is TRL\'s max_grad_norm'),
  sftWeight: z.number().min(0).default(0).describe('weight of an SFT term (mean NLL per chosen token) added to the loss (the paper: 0)'),
  logProbs: z.enum(['sum', 'mean']).default('sum')
    .describe('sequence log-prob: summed over response tokens (docs/method.md §4) or averaged per token (length-normalised variants)'),
  checkpointsPerEpoch: z.number().int().positive().default(4).describe('checkpoints (and validations) per epoch (the paper: every 1/4 epoch)'),
  includeReference: z.boolean().default(true)
    .describe('validate the starting policy M_i as checkpoint 0 and let it win, so a round never makes validation worse'),
  referenceBatchSize: z.number().int().positive().default(32).describe('responses per forward pass when computing reference log-probs (no gradients, so larger than batchSize)'),
  seed: z.number().int().min(0).default(0).describe('shuffling of pairs each epoch'),
});
export type DpoSettings = z.infer<typeof DpoSettingsSchema>;
export type DpoSettingsInput = z.input<typeof DpoSettingsSchema>;

/**
 * Parse settings with errors that name the field: `parseDpoSettings({ beta: 0.2 })`.
 * `where` says where the values came from (a config file, `--flags`).
 */
export function parseDpoSettings(input: unknown, where = 'DPO settings'): DpoSettings {
  return parseSettings(DpoSettingsSchema, input, where);
}

/** How `rlaifv dpo` scores its checkpoints, where its reference log-probs come from, and where it keeps its metrics. */
export const DpoRunSchema = z.strictObject({
  validate: z.enum(['pairs', 'world', 'none']).default('pairs')
    .describe("how checkpoints are scored: 'pairs' = DPO loss on held-out pairs, 'world' = CHAIRi (coverage-guarded) on world validation scenes, 'none' = the last checkpoint wins"),
  valFraction: z.number().min(0).max(0.5).default(0.1).describe('share of pairs held out with --validate pairs'),
  valScenes: z.number().int().positive().default(50).describe('validation scenes with --validate world'),
  valOffset: z.number().int().min(0).default(0)
    .describe("first validation scene with --validate world; round i of 'rlaifv align' (per-round slices) uses (i-1)*valScenes"),
  coverageWeight: z.number().min(0).default(2)
    .describe("with --validate world: score = CHAIRi + coverageWeight * (coverage lost beyond 5% of the coverage reference's); 0 = CHAIRi alone (as 'rlaifv align', default 2)"),
  coverageReference: z.string().min(1).optional()
    .describe('checkpoint folder whose validation coverage the guard measures against (align: M_0); default: --base'),
  worldSeed: z.number().int().min(0).default(0).describe('world of the validation scenes with --validate world'),
  refLogps: z.string().min(1).optional()
    .describe("ref_logps.jsonl with log π_ref of every pair (docs/formats.md), used instead of computing them with --base; default: the dataset's ref_*_logps columns when present"),
  store: z.string().min(1).optional().describe('run store (SQLite) for reference log-probs and per-step metrics'),
  runName: z.string().min(1).default('dpo').describe('metrics series name in the store'),
});
export type DpoRun = z.infer<typeof DpoRunSchema>;

/**
 * What `rlaifv dpo --config FILE` holds: one JSON object with the DPO settings and the run settings
 * side by side (their keys do not overlap), e.g. `{"beta": 0.1, "epochs": 2, "validate": "world", "valScenes": 120}`.
 * `splitDpoCommand(DpoCommandSchema.parse(o))` -> `{ settings, run }`.
 */
export const DpoCommandSchema = z.strictObject({ ...DpoSettingsSchema.shape, ...DpoRunSchema.shape });

/** The DPO settings and the run settings of a parsed `DpoCommandSchema` object. */
export function splitDpoCommand(all: z.infer<typeof DpoCommandSchema>): { settings: DpoSettings; run: DpoRun } {
  const settings: Record<string, unknown> = {};
  const run: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) (k in DpoSettingsSchema.shape ? settings : run)[k] = v;
  return { settings: settings as DpoSettings, run: run as DpoRun };
}
