/**
 * The external-trainer contract: large models are trained by existing trainers (TRL,
 * LLaMA-Factory, the official RLAIF-V scripts) through an exported dataset and a command.
 * Per round rlaifv runs the user's command template with these placeholders:
 *
 *   {dataset}     the round's dataset folder (TRL train.jsonl + images/, llama-factory/)
 *   {ref_logps}   log π_ref of every chosen and rejected answer, one JSON line per pair
 *   {base_model}  M_i: the model (or adapter) the round starts from, and π_ref
 *   {output_dir}  where the trainer must leave M_{i+1}
 *   {round}       the iteration number (1-based)
 *   {beta} {lr}   the DPO β and learning rate of the round
 *
 * Making the servers use the result is hot-load.ts's job.
 *
 * ```ts
 * const trained = await trainWithCommand(
 *   { command: 'python train_dpo.py --data {dataset} --model {base_model} --out {output_dir} --beta {beta}' },
 *   { dataset: 'runs/r2/trainer-data', refLogps: 'runs/r2/trainer-data/ref_logps.jsonl', baseModel: 'llava-hf/llava-1.5-7b-hf',
 *     outputDir: 'runs/r2/model', round: 2, beta: 0.1, lr: 1e-5 });
 * trained.path // the absolute output folder
 * ```
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { commandArgv, shellLine } from './command-template.ts';
import { runLogged } from './run-logged.ts';
import { RlaifvError } from '../util/errors.ts';

export const CommandTrainerSettingsSchema = z.strictObject({
  command: z.string().min(1).describe('trainer command template with {dataset} {ref_logps} {base_model} {output_dir} {round} {beta} {lr}'),
  shell: z.boolean().default(false)
    .describe('run the filled template through /bin/sh (for pipes, &&, env assignments); values are single-quoted. Default: no shell, each word one argument'),
  timeoutMinutes: z.number().min(0).default(0).describe('kill the trainer after this long (0 = never; DPO rounds of 7B models take hours)'),
  skipIfDone: z.boolean().default(true)
    .describe('skip training when a previous run of this round succeeded (marker <output_dir>.rlaifv-done.json), so a resumed pipeline does not retrain'),
});
export type CommandTrainerSettings = z.infer<typeof CommandTrainerSettingsSchema>;
export type CommandTrainerSettingsInput = z.input<typeof CommandTrainerSettingsSchema>;

/** What one round hands the trainer. */
export interface CommandRound {
  dataset: string;
  /** The reference log-probs file; '' when the round has none (the trainer computes them). */
  refLogps?: string;
  baseModel: string;
  outputDir: string;
  round: number;
  beta: number;
  lr: number;
}

export interface CommandTrainerHooks {
  /** Environment of the command (e.g. CUDA_VISIBLE_DEVICES); default this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  progress?: (line: string) => void;
}

export interface CommandResult {
  /** Where the trainer wrote M_{i+1} (absolute). */
  path: string;
  logFile: string;
  /** False when the round had already been trained and was skipped. */
  trained: boolean;
}

/** Placeholder values of a round: paths absolute, so the command may run in any folder. */
export function placeholderValues(r: CommandRound): Record<string, string> {
  return {
    dataset: resolve(r.dataset), ref_logps: r.refLogps ? resolve(r.refLogps) : '',
    base_model: looksLikePath(r.baseModel) ? resolve(r.baseModel) : r.baseModel,
    output_dir: resolve(r.outputDir), round: String(r.round), beta: String(r.beta), lr: String(r.lr),
  };
}

/** The files of a round's training beside its output folder. */
export function trainerFiles(outputDir: string): { log: string; marker: string; pid: string } {
  const path = resolve(outputDir);
  return { log: `${path}.log`, marker: `${path}.rlaifv-done.json`, pid: `${path}.trainer.pid` };
}

/** Whether the round's output folder was finished by this command (its marker names the same argv). */
export function trainedBefore(settings: CommandTrainerSettingsInput, round: CommandRound): boolean {
  const s = CommandTrainerSettingsSchema.parse(settings);
  const { marker } = trainerFiles(round.outputDir);
  return existsSync(marker) && sameCommand(marker, argvOf(s, placeholderValues(round)));
}

/** Train one round with the external command, unless this command already finished it. */
export async function trainWithCommand(settings: CommandTrainerSettingsInput, round: CommandRound, hooks: CommandTrainerHooks = {}): Promise<CommandResult> {
  const s = CommandTrainerSettingsSchema.parse(settings);
  const values = placeholderValues(round);
  const path = values['output_dir']!;
  const files = trainerFiles(path);
  const say = hooks.progress ?? (() => {});
  const argv = argvOf(s, values);
  if (s.skipIfDone && existsSync(files.marker) && sameCommand(files.marker, argv)) {
    say(`round ${round.round}: ${path} already trained (${files.marker}); not training again`);
    return { path, logFile: files.log, trained: false };
  }
  rmSync(files.marker, { force: true });
  say(`round ${round.round}: training with ${argv.join(' ')} (log: ${files.log})`);
  await runLogged(argv, {
    logFile: files.log, shell: s.shell, timeoutMs: s.timeoutMinutes * 60_000, pidFile: files.pid,
    ...(hooks.env && { env: hooks.env }), ...(hooks.cwd && { cwd: hooks.cwd }),
  });
  if (!existsSync(path)) {
    throw new RlaifvError(`the trainer exited successfully but wrote nothing to {output_dir} = ${path}; make the command save its model there (log: ${files.log})`);
  }
  writeFileSync(files.marker, JSON.stringify({ argv, finishedAt: new Date().toISOString() }) + '\n');
  return { path, logFile: files.log, trained: true };
}

function argvOf(s: CommandTrainerSettings, values: Record<string, string>): string[] {
  return s.shell ? [shellLine(s.command, values)] : commandArgv(s.command, values);
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
