/**
 * The trainer of a served policy's rounds: a recipe shipped under recipes/ (each takes the same
 * arguments) or the user's own command template. `--trainer "trl --mode lora"` is the trl recipe
 * with `--mode lora` added.
 */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../settings.ts';
import { splitCommand, shellQuote } from '../../dpo/command-template.ts';
import type { CommandTrainerSettingsInput } from '../../dpo/command-trainer.ts';
import { DpoSettingsSchema } from '../../dpo/settings.ts';
import { writeFileAtomic } from '../../util/atomic.ts';
import type { AlignSettings } from '../settings.ts';

export const RECIPES = ['trl', 'llama-factory', 'rlaifv'] as const;
type Recipe = (typeof RECIPES)[number];

const RECIPE_ENTRY: Record<Recipe, string[]> = {
  trl: ['python3', join(PACKAGE_ROOT, 'recipes', 'trl', 'dpo_trl.py')],
  'llama-factory': ['python3', join(PACKAGE_ROOT, 'recipes', 'llama-factory', 'train.py')],
  rlaifv: ['bash', join(PACKAGE_ROOT, 'recipes', 'rlaifv', 'train.sh')],
};

/** What round `round` runs, given the run folder: a recipe's filled-in command or the user's template. */
export function trainerCommand(s: AlignSettings, outDir: string, round: number): CommandTrainerSettingsInput {
  const spec = s.served.trainer!;
  const timeoutMinutes = s.served.trainerTimeoutMinutes;
  const [first, ...extra] = splitCommand(spec);
  if (!(RECIPES as readonly string[]).includes(first!)) return { command: spec, shell: s.served.trainerShell, timeoutMinutes };
  const recipe = first as Recipe;
  const words = [
    ...RECIPE_ENTRY[recipe], '--dataset', '{dataset}', '--base-model', '{base_model}', '--output-dir', '{output_dir}',
    '--round', '{round}', '--beta', '{beta}', '--ref-logps', '{ref_logps}',
    // The recipes' own learning rates suit their models (5e-7 for a full 7B fine-tune); the embedded default would not.
    ...(recipe === 'rlaifv' || 'lr' in s.dpo ? ['--lr', '{lr}'] : []),
    ...extra,
    ...(recipe === 'rlaifv' ? ['--', ...embeddedTrainerArgs(s, outDir, round)] : []),
  ];
  return { command: words.map(quoteWord).join(' '), timeoutMinutes };
}

/** Write what the trainer reads besides the round's data: the rlaifv recipe's DPO settings file. */
export async function prepareTrainer(s: AlignSettings, outDir: string): Promise<void> {
  if (splitCommand(s.served.trainer!)[0] === 'rlaifv') await writeFileAtomic(join(outDir, 'trainer', 'dpo.json'), embeddedTrainerConfig(s));
}

/**
 * `rlaifv dpo`'s settings for round `round`, as the in-process loop trains it: the same DPO
 * settings, and checkpoints scored on the round's validation scenes with the coverage guard
 * against the starting model's coverage (coverageReference 'base': round 1's base model).
 */
function embeddedTrainerArgs(s: AlignSettings, outDir: string, round: number): string[] {
  const offset = s.validationSlices === 'per-round' ? (round - 1) * s.valScenes : 0;
  return [
    '--config', join(outDir, 'trainer', 'dpo.json'),
    '--validate', 'world', '--val-scenes', String(s.valScenes), '--val-offset', String(offset), '--world-seed', String(s.worldSeed),
    '--coverage-weight', String(s.coverageWeight),
    ...(s.coverageReference === 'base' ? ['--coverage-reference', s.served.baseModel!] : []),
  ];
}

/** The DPO settings file the rlaifv recipe reads (`--config`): the align run's `dpo` section, defaults resolved. */
function embeddedTrainerConfig(s: AlignSettings): string {
  return JSON.stringify(DpoSettingsSchema.parse(s.dpo), null, 2) + '\n';
}

/** A word of the template: placeholders stay bare so that they are filled inside the word. */
function quoteWord(word: string): string {
  return /^\{[a-z_]+\}$/.test(word) ? word : shellQuote(word);
}
