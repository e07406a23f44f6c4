/**
 * DPO settings (SPEC §4), default and reason together. The official numbers are kept except the
 * learning rate, which is for a 7B model and would not move the small embedded models at all.
 */
import { z } from 'zod';

export const DpoSettingsSchema = z.strictObject({
  beta: z.number().positive().default(0.1)
    .describe('β of the DPO loss and the implicit reward β·(log π - log π_ref) (SPEC §4: 0.1)'),
  // Why 2e-4 (measured with this trainer, policy recipe dModel 96 x 3 layers pretrained 400 steps,
  // 478 length-balanced world pairs scored by exact truth, 4 epochs, batch 8, 80 val scenes):
  //   5e-4  val CHAIRi 0.554 -> 0.439, but answers grow 29 -> 42 tokens, held-out DPO loss 0.607;
  //   2e-4  val CHAIRi 0.554 -> 0.474 (epoch 2), length unchanged, best held-out DPO loss 0.594;
  //   1e-4  val CHAIRi 0.554 -> 0.475 (epoch 2), held-out DPO loss 0.616 (learns more slowly);
  // and in a shorter run (245 pairs, 2 epochs): 1e-3 unstable (loss spikes to 1.0 > ln 2, descriptions
  // run to max length); 5e-5 barely moves (reward margin 0.05).
  // One seed, one small policy: a sound default, not a tuned optimum. Larger embedded models may want less.
  lr: z.number().positive().default(2e-4)
    .describe('peak learning rate; SPEC\'s 5e-7 is for a full 7B fine-tune and would not move the small embedded models. '
      + '2e-4 (a tenth of their pretraining rate) learns steadily without the length drift of larger rates'),
  batchSize: z.number().int().positive().default(8).describe('pairs per optimizer step (SPEC §4: global batch 8)'),
  epochs: z.number().int().positive().default(4).describe('passes over the round\'s pairs (SPEC §4: 4)'),
  warmupFraction: z.number().min(0).max(1).default(0.05).describe('linear warm-up share of all steps (SPEC §4: 5%)'),
  schedule: z.enum(['cosine', 'constant']).default('cosine').describe('learning-rate decay after warm-up (SPEC §4: cosine)'),
  minLrRatio: z.number().min(0).max(1).default(0).describe('final learning rate as a share of the peak; 0 as in TRL\'s cosine'),
  weightDecay: z.number().min(0).default(0.01).describe('AdamW decoupled weight decay on matrices (SPEC §4: 0.01)'),
  clipNorm: z.number().min(0).default(1).describe('clip the global gradient norm to this (0 = off); 1.0 is TRL\'s max_grad_norm'),
  sftWeight: z.number().min(0).default(0).describe('weight of an SFT term (mean NLL per chosen token) added to the loss (SPEC §4: 0)'),
  logProbs: z.enum(['sum', 'mean']).default('sum')
    .describe('sequence log-prob: summed over response tokens (SPEC §4) or averaged per token (length-normalised variants)'),
  checkpointsPerEpoch: z.number().int().positive().default(4).describe('checkpoints (and validations) per epoch (SPEC §4: every 1/4 epoch)'),
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
  const r = DpoSettingsSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '(settings)';
    throw new Error(`${where}: field '${field}': ${issue.message}`);
  }
  return r.data;
}
