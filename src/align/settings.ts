/**
 * Settings of the iterative alignment loop (docs/method.md §4). The defaults are the demo's: four rounds on
 * the embedded models that finish in minutes on a 2-core CPU. A config file
 * (`rlaifv align --config FILE`) overrides any of them; the data engine and DPO sections take the
 * same keys as `rlaifv generate` and `rlaifv dpo`.
 */
import { z } from 'zod';
import { ABLATION_NAMES, ablationsHelp } from './ablations.ts';
import { isUrl } from '../model/open.ts';
import { DpoSettingsSchema } from '../dpo/settings.ts';
import { DataEngineConfigSchema } from '../pipeline/config.ts';
import { issueField, parseSettings } from '../util/settings.ts';
import { ServedSchema } from './served/settings.ts';
import { BENCHMARK_NAMES, isBenchmarkName } from '../bench/names.ts';

export const AlignSettingsSchema = z.strictObject({
  rounds: z.number().int().min(1).default(4).describe('rounds K of sample -> feedback -> DPO (the paper: 4)'),
  instructionsPerRound: z.number().int().positive().default(144)
    .describe('fresh world instructions per round, disjoint across rounds (the paper uses ~4K; see docs/method.md §4 for this default)'),
  selfFeedback: z.boolean().default(false).describe('the policy labels its own candidates instead of the labeler (which policy: selfFeedbackJudge)'),
  selfFeedbackJudge: z.enum(['base', 'current']).default('base')
    .describe("with selfFeedback, who judges round i's claims: 'base' = the starting policy M_0 every round (a fixed labeler, as "
      + "OmniLMM-12B labels for RLAIF-V 12B); 'current' = M_{i-1}, the policy that wrote them"),
  worldSeed: z.number().int().min(0).default(0).describe('world of the instructions and the evaluations'),
  heldOutWorldSeed: z.number().int().min(0).default(1)
    .describe('a second world (new scenes, its own co-occurrence prior) on which round 0 and the final model are also evaluated'),
  evalScenes: z.number().int().positive().default(150).describe('test scenes evaluated after each round'),
  valScenes: z.number().int().positive().default(120).describe('validation scenes scoring each quarter-epoch checkpoint of a round; the best score picks M_i'),
  validationSlices: z.enum(['per-round', 'shared']).default('per-round')
    .describe("'per-round': round i validates on scenes of its own (from (i-1)*valScenes on), so M_i's winning score does not follow it "
      + "into round i+1; 'shared': every round on the first valScenes scenes"),
  coverageWeight: z.number().min(0).default(2)
    .describe('validation score = CHAIRi + coverageWeight * (coverage lost beyond 5% of the reference\'s): a checkpoint may not win by saying less'),
  coverageReference: z.enum(['base', 'round']).default('base')
    .describe("whose validation coverage the guard measures against: 'base' = M_0, so coverage cannot drift down 5% per round over the rounds; 'round' = the round's starting policy M_i"),
  samplesPerRound: z.number().int().min(0).default(3).describe('preference pairs per round shown in the report with their claim verdicts'),
  ablation: z.enum(ABLATION_NAMES).default('none').describe(ablationsHelp()),
  data: z.record(z.string(), z.unknown()).default({}).describe('data engine overrides (the `rlaifv generate` config keys)'),
  dpo: z.record(z.string(), z.unknown()).default({}).describe('DPO overrides (the `rlaifv dpo` settings keys)'),
  policy: z.string().min(1).optional()
    .describe('the starting policy: a checkpoint folder (default: the shipped models/policy-base), or the base URL(s) of OpenAI-compatible servers, comma-separated replicas: then the loop runs on served models (docs/real-models.md)'),
  labeler: z.string().min(1).optional().describe('the labeler: a checkpoint folder (default: the shipped models/labeler) or base URL(s)'),
  llm: z.string().min(1).optional().describe("base URL(s) of the text LLM, when the data section's divide or questions method is 'llm'"),
  policyModel: z.string().min(1).optional().describe("served name of the starting policy (default: the one the policy servers' /v1/models lists)"),
  labelerModel: z.string().min(1).optional().describe('served name of the labeler'),
  llmModel: z.string().min(1).optional().describe('served name of the text LLM'),
  eval: z.enum(['world', 'none', ...BENCHMARK_NAMES]).optional()
    .describe("evaluation after each round: 'world' (default) = the world's test scenes; 'objhal', 'amber', 'mmhal' = that benchmark too (docs/benchmarks.md; "
      + "on served models instead of the world, which only a model trained on it can describe); 'none' = none (served models only)"),
  evalData: z.string().min(1).optional().describe("with eval a benchmark: the benchmark's data folder (rlaifv bench --data)"),
  judge: z.string().min(1).optional().describe('with eval mmhal: base URL(s) of the judge chat model'),
  judgeModel: z.string().min(1).optional().describe('served name of the judge'),
  served: ServedSchema.prefault({}).describe('how a served policy is trained and reloaded each round (used when policy is a URL)'),
}).superRefine((s, ctx) => {
  // The sections are kept as given (each round lays its own values over them), but checked here,
  // at the edge, so that a typo fails before any model loads.
  for (const [key, schema] of [['data', DataEngineConfigSchema], ['dpo', DpoSettingsSchema]] as const) {
    const r = schema.safeParse(s[key]);
    if (r.success) continue;
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issueField(issue, '').split('.').filter(Boolean)] });
  }
  if (s.policy && isUrl(s.policy) && !s.served.trainer) {
    ctx.addIssue({ code: 'custom', path: ['served', 'trainer'], message: 'a served policy is trained by an external trainer: give --trainer trl|llama-factory|rlaifv or a command template' });
  }
  if (s.policy && isUrl(s.policy) && s.served.load === 'reload' && !s.served.reloadCommand) {
    ctx.addIssue({ code: 'custom', path: ['served', 'reloadCommand'], message: 'load reload runs a command that makes every replica serve {output_dir}: give --reload-command' });
  }
  if (s.eval && isBenchmarkName(s.eval) && !s.evalData) {
    ctx.addIssue({ code: 'custom', path: ['evalData'], message: `eval ${s.eval} reads the benchmark's files: give --eval-data DIR (a world export works: rlaifv world --export ${s.eval})` });
  }
  if (s.eval === 'none' && !(s.policy && isUrl(s.policy))) {
    ctx.addIssue({ code: 'custom', path: ['eval'], message: "the embedded loop always measures the world's test scenes; 'none' is for served models" });
  }
  if (s.policy && isUrl(s.policy) && !s.served.baseModel) {
    ctx.addIssue({ code: 'custom', path: ['served', 'baseModel'], message: "give --base-model: what the trainer loads as round 1's starting model (the Hub id or folder the policy servers serve)" });
  }
});
export type AlignSettings = z.infer<typeof AlignSettingsSchema>;
export type AlignSettingsInput = z.input<typeof AlignSettingsSchema>;

/** Whether the loop runs on served models (the policy is a URL) rather than in-process checkpoints. */
export function isServed(s: AlignSettings): boolean {
  return s.policy !== undefined && isUrl(s.policy);
}

export function parseAlignSettings(input: unknown, where = 'align settings'): AlignSettings {
  return parseSettings(AlignSettingsSchema, input, where);
}
