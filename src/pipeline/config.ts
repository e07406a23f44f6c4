/**
 * The one configuration of a data-engine run (`rlaifv generate`): every section keeps its default
 * and the reason for it together, with the SPEC defaults. Unknown keys are rejected everywhere, so
 * a misspelt option fails loudly instead of being ignored. Parse once at the edge
 * (`parseDataEngineConfig`, `loadDataEngineConfig`) and pass the parsed value down.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DivideSettingsSchema } from './divide/settings.ts';
import { PairSettingsSchema } from './pairs/settings.ts';
import { ConvertSettingsSchema } from './questions/settings.ts';

export const SamplingSchema = z.strictObject({
  n: z.number().int().positive().default(10)
    .describe('candidates per instruction (SPEC §1: 10), all under the same decoding settings: deconfounded'),
  temperature: z.number().min(0).default(0.7).describe('decoding temperature of the policy (SPEC §1: 0.7)'),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus mass; 1 = the model default (SPEC §1)'),
  maxTokens: z.number().int().positive().default(512).describe('max new tokens per candidate (SPEC §1: 512)'),
  seed: z.number().int().min(0).default(0)
    .describe('instruction k is sampled with seed deriveSeed(seed, k.id), candidate j with that + j: a candidate never depends on its batch'),
  mixed: z.array(z.strictObject({ temperature: z.number().min(0), topP: z.number().gt(0).max(1) })).optional()
    .describe('ABLATION ONLY: candidate j uses mixed[j % length] instead of one setting, confounding style with trustworthiness (the paper\'s "without deconfounding")'),
}).describe('deconfounded candidate generation (SPEC §1)');

export const DivideStageSchema = z.strictObject({
  method: z.enum(['rules', 'atomic', 'llm', 'whole']).default('rules')
    .describe("'rules': the world's claim splitter, one claim per sentence (exact on world text, a sentence splitter elsewhere); 'atomic': the same, with each world object mention split into its existence and one claim per attribute; 'llm': a text LLM at models.llm (SPEC §2.1); 'whole': ABLATION ONLY, the whole answer is one claim (no divide-and-conquer)"),
  ...DivideSettingsSchema.shape,
}).describe('divide answers into atomic claims (SPEC §2.1); the LLM settings apply to method llm');

export const ConvertStageSchema = z.strictObject({
  method: z.enum(['rules', 'llm']).default('rules')
    .describe("'rules': the world's polar-question rewriter (negations kept); 'llm': a text LLM at models.llm (SPEC §2.2)"),
  ...ConvertSettingsSchema.shape,
}).describe('turn each claim into a yes/no question (SPEC §2.2); the LLM settings apply to method llm');

export const LabelSchema = z.strictObject({
  selfFeedback: z.boolean().default(false)
    .describe('the policy labels its own candidates (RLAIF-V 12B, SPEC §2); models.labeler is then not used'),
}).describe('the labeler check (SPEC §2.3)');

/** Relative weights of the world instruction kinds. */
export const KindMixSchema = z.strictObject({
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
    .describe('skip this many instructions first, so that each iteration of the align loop takes a fresh slice (SPEC §4)'),
  count: z.number().int().positive().default(200).describe('instructions in this run (the paper uses ~4K per iteration; 200 runs in minutes on a CPU)'),
  kinds: KindMixSchema.prefault({}).describe('mix of world instruction kinds; each scene gets one, drawn from its id'),
  strict: z.boolean().default(false).describe('stop at the first instruction whose image cannot be read, instead of skipping it with a warning'),
  imageRoot: z.string().optional().describe("folder that relative image paths resolve against; default: the instruction file's folder"),
}).describe('where the instructions come from');

export const ModelsSchema = z.strictObject({
  policy: z.string().min(1).optional()
    .describe('checkpoint folder or OpenAI-compatible base URL(s) of the policy; default: the shipped models/policy-base'),
  labeler: z.string().min(1).optional()
    .describe('checkpoint folder or base URL(s) of the labeler MLLM; default: the shipped models/labeler'),
  llm: z.string().min(1).optional().describe('base URL(s) of the text LLM used when divide.method or questions.method is llm'),
  policyModel: z.string().min(1).optional().describe('served model name of the policy (default: discovered from /v1/models)'),
  labelerModel: z.string().min(1).optional().describe('served model name of the labeler'),
  llmModel: z.string().min(1).optional().describe('served model name of the text LLM'),
}).describe('which models play which role');

export const ExportSchema = z.strictObject({
  formats: z.array(z.enum(['parquet', 'trl', 'llama-factory'])).default(['parquet', 'trl'])
    .describe("datasets written: 'parquet' = pairs.parquet (RLAIF-V-Dataset schema), 'trl' = pairs.trl.jsonl + images/, 'llama-factory' = llama-factory/"),
  dsName: z.string().min(1).default('rlaifv').describe('ds_name column of the parquet export'),
}).describe('dataset exports; the intermediate JSONL records and summary.json are always written');

export const DataEngineConfigSchema = z.strictObject({
  sampling: SamplingSchema.prefault({}),
  divide: DivideStageSchema.prefault({}),
  questions: ConvertStageSchema.prefault({}),
  label: LabelSchema.prefault({}),
  pairs: PairSettingsSchema.prefault({}).describe('preference-pair building (SPEC §3)'),
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

/** A configuration that cannot be used: the message names the source, the field and the problem. */
export class ConfigError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validate a configuration; `where` names its source in errors (a file, `--flags`).
 * `parseDataEngineConfig({ sampling: { n: 4 } })` -> the full config with every other default.
 * `parseDataEngineConfig({ sampling: { n: 0 } }, 'run.json')` throws
 * `run.json: field 'sampling.n': Too small: expected number to be >0`.
 */
export function parseDataEngineConfig(input: unknown, where = 'data engine config'): DataEngineConfig {
  const r = DataEngineConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const keys = (issue as { keys?: string[] }).keys;
    const base = issue.path.map(String).join('.');
    const field = keys?.length ? keys.map((k) => (base ? `${base}.${k}` : k)).join(', ') : base || '(root)';
    return `field '${field}': ${issue.message}`;
  });
  throw new ConfigError(`${where}: ${lines.join('; ')}`, r.error.issues[0]?.path.map(String).join('.'));
}

/** A plain object (not an array, not null): what JSON objects parse to. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `overrides` laid over `base`, recursively for objects; arrays and scalars are replaced, and
 * `undefined` leaves the base value. `mergeConfig({ a: { x: 1, y: 2 } }, { a: { y: 3 } })` -> `{ a: { x: 1, y: 3 } }`.
 */
export function mergeConfig(base: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return base;
  if (!isObject(base) || !isObject(overrides)) return overrides;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = mergeConfig(base[k], v);
  return out;
}

/**
 * The configuration from a JSON file (optional) with command-line overrides laid over it.
 * `loadDataEngineConfig('run.json', { sampling: { n: 4 } })`; errors name the file and the field.
 */
export function loadDataEngineConfig(file: string | undefined, overrides: unknown = {}): DataEngineConfig {
  let fromFile: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`--config ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`);
    }
    try {
      fromFile = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`--config ${file}: not valid JSON (${(err as Error).message}); fix the file`);
    }
    if (!isObject(fromFile)) throw new ConfigError(`--config ${file}: must hold a JSON object like {"sampling": {"n": 10}}`);
  }
  const where = file === undefined ? 'command-line options' : `${file} (with command-line options)`;
  return parseDataEngineConfig(mergeConfig(fromFile, overrides), where);
}
