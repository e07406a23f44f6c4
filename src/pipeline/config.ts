/**
 * The one configuration of a data-engine run (`rlaifv generate`): one section per stage, each
 * defined in its stage's folder with its defaults, plus the models and the engine-wide settings.
 * Unknown keys are rejected everywhere, so a misspelt option fails loudly instead of being ignored. Parse once at the edge
 * (`parseDataEngineConfig`, `loadDataEngineConfig`) and pass the parsed value down.
 */
import { z } from 'zod';
import { DivideStageSchema } from './divide/settings.ts';
import { InputSchema } from './instructions/settings.ts';
import { LabelSchema } from './label/settings.ts';
import { ExportSchema } from './outputs/settings.ts';
import { PairSettingsSchema } from './pairs/settings.ts';
import { QuestionsStageSchema } from './questions/settings.ts';
import { SamplingSchema } from './sample/settings.ts';
import { parseSettings } from '../util/settings.ts';

const ModelsSchema = z.strictObject({
  policy: z.string().min(1).optional()
    .describe('checkpoint folder or OpenAI-compatible base URL(s) of the policy (default: the shipped models/policy-base)'),
  labeler: z.string().min(1).optional()
    .describe('checkpoint folder or base URL(s) of the labeler MLLM (default: the shipped models/labeler)'),
  llm: z.string().min(1).optional().describe('base URL(s) of the text LLM used when divide.method or questions.method is llm'),
  policyModel: z.string().min(1).optional().describe('served model name of the policy (default: discovered from /v1/models)'),
  labelerModel: z.string().min(1).optional().describe('served model name of the labeler'),
  llmModel: z.string().min(1).optional().describe('served model name of the text LLM'),
}).describe('which models play which role');

export const DataEngineConfigSchema = z.strictObject({
  sampling: SamplingSchema.prefault({}),
  divide: DivideStageSchema.prefault({}),
  questions: QuestionsStageSchema.prefault({}),
  label: LabelSchema.prefault({}),
  pairs: PairSettingsSchema.prefault({}).describe('preference-pair building (docs/method.md §3)'),
  input: InputSchema.prefault({}),
  models: ModelsSchema.prefault({}),
  batchSize: z.number().int().positive().default(16)
    .describe('requests per backend call (instructions when generating, claims when labelling); also the unit a killed run loses at most'),
  inFlight: z.number().int().positive().default(4)
    .describe('backend calls in flight at once per stage, so that HTTP servers stay busy; an embedded model just queues them'),
  chunkSize: z.number().int().positive().default(100)
    .describe('instructions per chunk: every stage runs on a chunk at a time, so memory holds a few chunks\' records (plus a few numbers per sampled pair) however large the input; outputs do not depend on it'),
  chunksInFlight: z.number().int().positive().default(2)
    .describe('chunks whose stages run at once: while one chunk is labelled the next is sampled, so a policy server and a labeler server are both kept busy and no server idles between stages; outputs do not depend on it'),
  export: ExportSchema.prefault({}),
});

export type DataEngineConfig = z.output<typeof DataEngineConfigSchema>;
export type DataEngineConfigInput = z.input<typeof DataEngineConfigSchema>;


/**
 * Validate a configuration; `where` names its source in errors (a file, `--flags`).
 * `parseDataEngineConfig({ sampling: { n: 4 } })` -> the full config with every other default.
 * `parseDataEngineConfig({ sampling: { n: 0 } }, 'run.json')` throws
 * `run.json: field 'sampling.n': Too small: expected number to be >0`.
 */
export function parseDataEngineConfig(input: unknown, where = 'data engine config'): DataEngineConfig {
  return parseSettings(DataEngineConfigSchema, input, where);
}
