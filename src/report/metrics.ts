/**
 * The one schema of `metrics.json`: the iterative alignment loop (`rlaifv align`) builds its
 * metrics with these types, and the report validates what it renders against them. Lenient on
 * purpose: unknown keys are accepted and ignored (a newer loop's file still renders with an older
 * report), and every metric may be missing or null (JSON has no NaN, so a NaN metric arrives as
 * null). Only what the report cannot do without is required.
 */
import { z } from 'zod';
import { RlaifvError } from '../util/errors.ts';

/** A metric value: a number, or missing/null when it was not measured. */
const metric = z.number().nullable().optional();

const ClaimVerdictSchema = z.object({
  text: z.string().describe('the atomic claim (divide step)'),
  question: z.string().optional().describe('the polar question asked to the labeler (convert step)'),
  yes: metric.describe('labeler P(yes)+P(Yes)'),
  no: metric.describe('labeler P(no)+P(No)'),
  accepted: z.boolean().describe('the labeler verdict: P(yes) > P(no)'),
  truth: z.boolean().nullable().optional().describe('ground truth from the world, when known'),
});
export type ClaimVerdict = z.infer<typeof ClaimVerdictSchema>;

const SampleAnswerSchema = z.object({
  text: z.string(),
  score: metric.describe('-(rejected claims); null when the answer had no claims'),
  claims: z.array(ClaimVerdictSchema).default([]),
});
export type SampleAnswer = z.infer<typeof SampleAnswerSchema>;

const PairSampleSchema = z.object({
  round: z.number().int(),
  instructionId: z.string().optional(),
  question: z.string(),
  imagePng: z.string().optional().describe('base64 PNG (with or without a data: prefix)'),
  chosen: SampleAnswerSchema,
  rejected: SampleAnswerSchema,
});
export type PairSample = z.infer<typeof PairSampleSchema>;

const DpoStepSchema = z.object({
  step: z.number(),
  epoch: metric.describe('epochs done at this step (fractional)'),
  loss: metric,
  'rewards/chosen': metric,
  'rewards/rejected': metric,
  'rewards/margins': metric,
  'rewards/accuracies': metric,
  lr: metric,
  gradNorm: metric.describe('the step\'s gradient norm'),
});
export type DpoStep = z.infer<typeof DpoStepSchema>;

const DpoSummarySchema = z.object({
  steps: z.array(DpoStepSchema).default([]),
  best: z.object({ checkpoint: z.string().optional(), step: metric, valScore: metric }).optional(),
  source: z.string().optional().describe("the external trainer's log the steps were read from (trainer_state.json, trainer_log.jsonl)"),
  warnings: z.array(z.string()).optional().describe('known failure signatures found in the training log (loss stuck at ln 2, NaN, chosen rewards falling while margins grow)'),
});
export type DpoSummary = z.infer<typeof DpoSummarySchema>;

const DataStatsSchema = z.object({
  instructions: metric,
  candidates: metric,
  claims: metric,
  questions: metric,
  pairsBeforeFilters: metric,
  pairsAfterSampling: metric,
  pairsAfterLengthBalance: metric,
  labelerYesRate: metric,
  lengthRatio: metric.describe('the length-balancing ratio r chosen by the sweep (docs/method.md §3.3)'),
  seconds: metric,
});
export type DataStats = z.infer<typeof DataStatsSchema>;

const RoundBenchmarkSchema = z.object({
  name: z.string().describe('objhal, amber or mmhal'),
  judge: z.string().nullable().optional(),
  metrics: z.record(z.string(), z.unknown()).describe("the benchmark's results.json metrics"),
});
export type RoundBenchmark = z.infer<typeof RoundBenchmarkSchema>;

export const RoundMetricsSchema = z.object({
  round: z.number().int().min(0).describe('0 = the base policy before any DPO'),
  model: z.string().optional(),
  chairI: metric,
  chairS: metric,
  coverage: metric,
  attributeErrorRate: metric,
  yesNoAccuracy: metric,
  yesNoF1: metric,
  meanMentions: metric,
  pairPrecision: metric.describe('share of pairs whose chosen answer is truly better (ground truth)'),
  pairPrecisionDecisive: metric.describe('pair precision among pairs not tied on hallucinated objects'),
  pairTruthAgreement: metric.describe('share of pairs ordered as exact (world-truth) feedback would order them'),
  pairs: metric,
  claimAccuracy: metric.describe('share of labeler verdicts that agree with ground truth'),
  data: DataStatsSchema.optional(),
  dpo: DpoSummarySchema.optional(),
  benchmark: RoundBenchmarkSchema.optional().describe('the round\'s model on one of the paper\'s benchmarks (align setting eval)'),
  seconds: metric,
});
export type RoundMetrics = z.infer<typeof RoundMetricsSchema>;

export const MetricsSchema = z.object({
  rounds: z.array(RoundMetricsSchema),
  settings: z.record(z.string(), z.unknown()).optional(),
  worldSeed: metric,
  selfFeedback: z.boolean().optional(),
  heldOut: z.array(RoundMetricsSchema).optional().describe('the same rounds evaluated on another world seed'),
  heldOutWorldSeed: metric,
  samples: z.array(PairSampleSchema).default([]),
});
/** Parsed metrics (defaults applied). */
export type Metrics = z.infer<typeof MetricsSchema>;
/** Metrics as written (defaults optional), what `renderReport` and friends accept. */
export type MetricsInput = z.input<typeof MetricsSchema>;

export class MetricsFormatError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsFormatError';
  }
}

/**
 * Validate parsed JSON as metrics; errors name the file and the field path.
 * @example
 * const m = parseMetrics(JSON.parse(text), 'runs/a/metrics.json');
 */
export function parseMetrics(json: unknown, where = 'metrics.json'): Metrics {
  const r = MetricsSchema.safeParse(json);
  if (r.success) return r.data;
  const lines = r.error.issues.slice(0, 8).map((i) => `  ${formatPath(i.path)}: ${i.message}`);
  const more = r.error.issues.length > 8 ? `\n  ... and ${r.error.issues.length - 8} more` : '';
  throw new MetricsFormatError(
    `${where}: not a valid metrics file (written by \`rlaifv align\`):\n${lines.join('\n')}${more}\n` +
    'Fix or regenerate the file; unknown extra keys are allowed, wrong types are not.',
  );
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
