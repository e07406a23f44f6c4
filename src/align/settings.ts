/**
 * Settings of the iterative alignment loop (SPEC §4). The defaults are the demo's: chosen so that
 * four rounds on the embedded models finish in minutes on a 2-core CPU. A config file
 * (`rlaifv align --config FILE`) overrides any of them; the data engine and DPO sections take the
 * same keys as `rlaifv generate` and `rlaifv dpo`.
 */
import { z } from 'zod';
import { ABLATION_NAMES, ablationsHelp } from './ablations.ts';
import { parseSettings } from '../util/settings.ts';

export const AlignSettingsSchema = z.strictObject({
  rounds: z.number().int().min(1).default(4).describe('iterations K (SPEC §4: 4)'),
  instructionsPerRound: z.number().int().positive().default(144)
    .describe('fresh world instructions per round, disjoint across rounds (the paper uses ~4K; 144 keeps the demo near 12 minutes on 2 cores; '
      + '96 gave ~150 pairs a round and a noisier loop: CHAIRi -53% against -62%, held-out world -21% against -31%, with the stage-6 policy)'),
  selfFeedback: z.boolean().default(false).describe('the policy labels its own candidates instead of the labeler (which policy: selfFeedbackJudge)'),
  selfFeedbackJudge: z.enum(['base', 'current']).default('base')
    .describe("with selfFeedback, who judges round i's claims: 'base' = M_0 every round, a fixed labeler that is the starting policy, as "
      + "OmniLMM-12B labels for RLAIF-V 12B; 'current' = M_{i-1}, the policy that wrote them, whose yes/no judgement DPO erodes "
      + '(stage-6 policy, demo settings, two draws: -41% and -27% with base, -21% and -24% with current)'),
  worldSeed: z.number().int().min(0).default(0).describe('world of the instructions and the evaluations'),
  heldOutWorldSeed: z.number().int().min(0).default(1)
    .describe('a second world (new scenes, its own co-occurrence prior) on which round 0 and the final model are also evaluated'),
  evalScenes: z.number().int().positive().default(150).describe('test scenes evaluated after each round'),
  valScenes: z.number().int().positive().default(120).describe('validation scenes scoring each quarter-epoch checkpoint; the best of 17 scores is picked, so few scenes pick noise (with 40, the picked checkpoint\'s coverage read 0.80 there and 0.73 on 150 other validation scenes)'),
  validationSlices: z.enum(['per-round', 'shared']).default('per-round')
    .describe("'per-round': round i validates on its own valScenes scenes (from (i-1)*valScenes on); 'shared': every round on the first valScenes. "
      + 'M_i won round i as the best of 17 scores on its scenes, so its score there is biased low; on shared scenes it then starts round i+1 with '
      + 'that lucky score, which fair checkpoints rarely beat (the third and fourth demos kept M_2 or M_3 in their last rounds)'),
  coverageWeight: z.number().min(0).default(2)
    .describe('validation score = CHAIRi + coverageWeight * (coverage lost beyond 5% of the reference\'s): a checkpoint may not win by saying less'),
  coverageReference: z.enum(['base', 'round']).default('base')
    .describe("whose validation coverage the guard measures against: 'base' = M_0, so coverage cannot drift down 5% per round over the rounds; 'round' = the round's starting policy M_i"),
  samplesPerRound: z.number().int().min(0).default(3).describe('preference pairs per round shown in the report with their claim verdicts'),
  ablation: z.enum(ABLATION_NAMES).default('none').describe(ablationsHelp()),
  data: z.record(z.string(), z.unknown()).default({}).describe('data engine overrides (the `rlaifv generate` config keys)'),
  dpo: z.record(z.string(), z.unknown()).default({}).describe('DPO overrides (the `rlaifv dpo` settings keys)'),
  policy: z.string().optional().describe('starting policy checkpoint (default: the shipped models/policy-base)'),
  labeler: z.string().optional().describe('labeler checkpoint (default: the shipped models/labeler)'),
});
export type AlignSettings = z.infer<typeof AlignSettingsSchema>;
export type AlignSettingsInput = z.input<typeof AlignSettingsSchema>;

export function parseAlignSettings(input: unknown, where = 'align settings'): AlignSettings {
  return parseSettings(AlignSettingsSchema, input, where);
}
