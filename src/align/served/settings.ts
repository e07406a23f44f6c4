/**
 * Settings of the align loop on served models (docs/real-models.md): which external trainer trains
 * each round, and how the policy servers pick up its result.
 */
import { z } from 'zod';

export const ServedSchema = z.strictObject({
  trainer: z.string().min(1).optional()
    .describe('a recipe (trl, llama-factory, rlaifv; words after its name are passed to it) or a command template with {dataset} {ref_logps} {base_model} {output_dir} {round} {beta} {lr}'),
  trainerShell: z.boolean().default(false).describe('run a trainer command template through /bin/sh (pipes, &&, VAR=value), values single-quoted'),
  trainerTimeoutMinutes: z.number().min(0).default(0).describe('kill a round\'s trainer after this long (0 = never)'),
  baseModel: z.string().min(1).optional()
    .describe("round 1's {base_model}: the Hub id or folder of the model the policy servers serve, which the trainer starts from"),
  load: z.enum(['lora', 'reload', 'none']).default('lora')
    .describe("how the policy servers serve a round's result: 'lora' = runtime adapter loading (vLLM, SGLang); 'reload' = run reloadCommand, then wait until every replica lists servedName; 'none' = the trainer command does it, wait only"),
  loraEngine: z.enum(['vllm', 'sglang']).default('vllm').describe('the policy servers\' engine, for the adapter routes: vLLM POST /v1/load_lora_adapter, SGLang POST /load_lora_adapter'),
  adapterName: z.string().min(1).default('rlaifv-round-{round}').describe('with load lora: the name a round\'s adapter is served and requested under (template)'),
  adapterPath: z.string().min(1).default('{output_dir}').describe('with load lora: the adapter folder as the servers see it (template; differs when they mount the run folder elsewhere)'),
  reloadCommand: z.string().min(1).optional().describe('with load reload: the command that makes every replica serve {output_dir} (template)'),
  servedName: z.string().min(1).default('{output_dir}').describe('with load reload or none: the name the servers list the new model under (template); vLLM lists a model under its path by default'),
  readyTimeoutSeconds: z.number().positive().default(900).describe('how long a reloaded replica may take to list the new model at /v1/models'),
  referenceBatchSize: z.number().int().positive().default(16).describe('responses per scoring call when computing the reference log-probs'),
});
export type ServedSettings = z.infer<typeof ServedSchema>;
