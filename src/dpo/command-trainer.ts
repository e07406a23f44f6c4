/**
 * The external-trainer contract: large models are trained by existing trainers (TRL,
 * LLaMA-Factory, the official RLAIF-V scripts) through an exported dataset and a command.
 * Per round rlaifv runs the user's command template with these placeholders:
 *
 *   {dataset}     the round's TRL-format dataset folder (train.jsonl + images/)
 *   {base_model}  M_i: the model (or adapter) the round starts from, and π_ref
 *   {output_dir}  where the trainer must leave M_{i+1}
 *   {round}       the iteration number (1-based)
 *   {beta} {lr}   the DPO β and learning rate of the round
 *
 * and then makes the policy server use the result: runtime LoRA loading on vLLM / SGLang, or a
 * user `reload` command (restart a server, copy weights), or nothing (the path is the model).
 *
 * ```ts
 * const next = await trainWithCommand(
 *   { command: 'python train_dpo.py --data {dataset} --model {base_model} --out {output_dir} --beta {beta}',
 *     serve: { kind: 'lora', engine: 'vllm', baseUrls: ['http://gpu1:8000/v1'] } },
 *   { dataset: 'runs/r2/trl', baseModel: 'llava-hf/llava-1.5-7b-hf', outputDir: 'runs/r2/adapter', round: 2, beta: 0.1, lr: 1e-5 });
 * next.model // 'rlaifv-round-2': send it as `model` in chat requests
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { commandArgv, fillPlaceholders, shellLine } from './command-template.ts';
import { loadLoraAdapter, type LoraEngine } from './lora-loading.ts';
import { runLogged } from './run-logged.ts';
import { RlaifvError } from '../util/errors.ts';

const ServeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }).describe('use the output folder as the next model (an embedded checkpoint, a path the next command loads)'),
  z.strictObject({
    kind: z.literal('lora'),
    engine: z.enum(['vllm', 'sglang']).default('vllm').describe('vLLM: POST /v1/load_lora_adapter; SGLang: POST /load_lora_adapter'),
    baseUrls: z.array(z.string().regex(/^https?:\/\//, 'must be an http(s) URL')).min(1).describe('every replica of the policy server; each loads the adapter'),
    loraName: z.string().min(1).default('rlaifv-round-{round}').describe('adapter name (template); requests select it as `model`'),
    adapterPath: z.string().min(1).default('{output_dir}').describe('adapter folder as the server sees it (template); differs when the server mounts it elsewhere'),
  }),
  z.strictObject({
    kind: z.literal('reload'),
    command: z.string().min(1).describe('command template run after training, e.g. a script that restarts the server on {output_dir}'),
    modelName: z.string().min(1).default('{output_dir}').describe('served model name after the reload (template); vLLM serves a model under its path by default'),
  }),
]);

export const CommandTrainerSettingsSchema = z.strictObject({
  command: z.string().min(1).describe('trainer command template with {dataset} {base_model} {output_dir} {round} {beta} {lr}'),
  shell: z.boolean().default(false)
    .describe('run the filled template through /bin/sh (for pipes, &&, env assignments); values are single-quoted. Default: no shell, each word one argument'),
  timeoutMinutes: z.number().min(0).default(0).describe('kill the trainer after this long (0 = never; DPO rounds of 7B models take hours)'),
  skipIfDone: z.boolean().default(true)
    .describe('skip training when a previous run of this round succeeded (marker <output_dir>.rlaifv-done.json), so a resumed pipeline does not retrain'),
  serve: ServeSchema.default({ kind: 'none' }).describe('how the policy server picks up the trained model'),
});
export type CommandTrainerSettings = z.infer<typeof CommandTrainerSettingsSchema>;
export type CommandTrainerSettingsInput = z.input<typeof CommandTrainerSettingsSchema>;

/** What one round hands the trainer. */
export interface CommandRound {
  dataset: string;
  baseModel: string;
  outputDir: string;
  round: number;
  beta: number;
  lr: number;
}

export interface CommandTrainerHooks {
  /** Environment of the commands (e.g. CUDA_VISIBLE_DEVICES); default this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** API key of the policy server, for LoRA loading. */
  apiKey?: string;
  fetch?: typeof fetch;
  progress?: (line: string) => void;
}

export interface CommandResult {
  /** The name to request the new policy by (`model` field), or its path. */
  model: string;
  /** Where the trainer wrote it. */
  path: string;
  logFile: string;
  /** False when the round had already been trained and was skipped. */
  trained: boolean;
}

/** Placeholder values of a round: paths absolute, so the command may run in any folder. */
function placeholderValues(r: CommandRound): Record<string, string> {
  return {
    dataset: resolve(r.dataset), base_model: looksLikePath(r.baseModel) ? resolve(r.baseModel) : r.baseModel,
    output_dir: resolve(r.outputDir), round: String(r.round), beta: String(r.beta), lr: String(r.lr),
  };
}

/** Train one round with the external command, then point the server at the result. */
export async function trainWithCommand(settings: CommandTrainerSettingsInput, round: CommandRound, hooks: CommandTrainerHooks = {}): Promise<CommandResult> {
  const s = CommandTrainerSettingsSchema.parse(settings);
  const values = placeholderValues(round);
  const path = values['output_dir']!;
  const logFile = `${path}.log`;
  const marker = `${path}.rlaifv-done.json`;
  const say = hooks.progress ?? (() => {});
  const argv = s.shell ? [shellLine(s.command, values)] : commandArgv(s.command, values);
  const done = s.skipIfDone && existsSync(marker) && sameCommand(marker, argv);
  if (done) {
    say(`round ${round.round}: ${path} already trained (${marker}); not training again`);
  } else {
    say(`round ${round.round}: training with ${argv.join(' ')} (log: ${logFile})`);
    await runLogged(argv, { logFile, shell: s.shell, timeoutMs: s.timeoutMinutes * 60_000, ...(hooks.env && { env: hooks.env }), ...(hooks.cwd && { cwd: hooks.cwd }) });
    if (!existsSync(path)) {
      throw new RlaifvError(`the trainer exited successfully but wrote nothing to {output_dir} = ${path}; make the command save its model there (log: ${logFile})`);
    }
    writeFileSync(marker, JSON.stringify({ argv, finishedAt: new Date().toISOString() }) + '\n');
  }
  const model = await serve(s, values, logFile, hooks, say);
  return { model, path, logFile, trained: !done };
}

async function serve(s: CommandTrainerSettings, values: Record<string, string>, logFile: string, hooks: CommandTrainerHooks, say: (line: string) => void): Promise<string> {
  const serveSettings = s.serve;
  const fill = (t: string) => fillPlaceholders(t, values);
  switch (serveSettings.kind) {
    case 'none':
      return values['output_dir']!;
    case 'lora': {
      const loraName = fill(serveSettings.loraName);
      const loraPath = fill(serveSettings.adapterPath);
      for (const baseUrl of serveSettings.baseUrls) {
        await loadLoraAdapter({ baseUrl, engine: serveSettings.engine as LoraEngine, loraName, loraPath, ...(hooks.apiKey && { apiKey: hooks.apiKey }), ...(hooks.fetch && { fetch: hooks.fetch }) });
        say(`loaded adapter ${loraName} (${loraPath}) on ${baseUrl}`);
      }
      return loraName;
    }
    case 'reload': {
      const argv = s.shell ? [shellLine(serveSettings.command, values)] : commandArgv(serveSettings.command, values);
      await runLogged(argv, { logFile, shell: s.shell, ...(hooks.env && { env: hooks.env }), ...(hooks.cwd && { cwd: hooks.cwd }) });
      return fill(serveSettings.modelName);
    }
  }
}

function sameCommand(marker: string, argv: string[]): boolean {
  try {
    return JSON.stringify((JSON.parse(readFileSync(marker, 'utf8')) as { argv: string[] }).argv) === JSON.stringify(argv);
  } catch {
    return false;
  }
}

/** A Hub id (`llava-hf/llava-1.5-7b-hf`) stays as given; a local path becomes absolute. */
function looksLikePath(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || existsSync(s);
}
