/** `rlaifv dpo`: train an embedded checkpoint with DPO on preference pairs (docs/method.md §4); resumable. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const SETTINGS_FLAGS: SchemaFlag[] = [
  { flags: '--epochs <n>', field: 'epochs' },
  { flags: '--beta <x>', field: 'beta' },
  { flags: '--lr <x>', field: 'lr' },
  { flags: '--batch-size <n>', field: 'batchSize' },
  { flags: '--log-probs <how>', field: 'logProbs' },
  { flags: '--sft-weight <x>', field: 'sftWeight' },
  { flags: '--checkpoints-per-epoch <n>', field: 'checkpointsPerEpoch' },
  { flags: '--no-reference-candidate', field: 'includeReference', help: 'do not let the starting model win checkpoint selection' },
  { flags: '--seed <s>', field: 'seed', help: 'pair shuffling and hold-out seed' },
];

const RUN_FLAGS: SchemaFlag[] = [
  { flags: '--validate <how>', field: 'validate' },
  { flags: '--val-fraction <p>', field: 'valFraction' },
  { flags: '--val-scenes <n>', field: 'valScenes' },
  { flags: '--val-offset <n>', field: 'valOffset' },
  { flags: '--coverage-weight <x>', field: 'coverageWeight' },
  { flags: '--coverage-reference <dir>', field: 'coverageReference' },
  { flags: '--world-seed <s>', field: 'worldSeed' },
  { flags: '--ref-logps <file>', field: 'refLogps' },
  { flags: '--store <file>', field: 'store' },
  { flags: '--run-name <name>', field: 'runName' },
];

export function register(program: Command): void {
  const command = program.command('dpo')
    .description('train an embedded model with DPO on preference pairs and write the best checkpoint; rerun to resume')
    .requiredOption('--pairs <path>', 'TRL dataset folder (train.jsonl + images/) or a .jsonl file of TRL rows')
    .requiredOption('--base <dir>', 'checkpoint to start from: M_i, also the reference model π_ref')
    .requiredOption('--out <dir>', 'where the best checkpoint goes (M_{i+1}); checkpoints and state in <out>/dpo-round/')
    .option('--config <file>', 'JSON object of DPO settings (`rlaifv defaults dpo` prints them) and run settings (validate, valScenes, refLogps, ...) side by side; flags override it');
  lazySchemaFlags(command, async () => (await import('../../dpo/settings.ts')).DpoSettingsSchema, SETTINGS_FLAGS);
  lazySchemaFlags(command, async () => (await import('../../dpo/settings.ts')).DpoRunSchema, RUN_FLAGS).action(async (o: { pairs: string; base: string; out: string; config?: string }, cmd: Command) => {
    const { DpoCommandSchema, splitDpoCommand } = await import('../../dpo/settings.ts');
    const { settings, run } = splitDpoCommand(loadSettingsFile(DpoCommandSchema, o.config, { ...flagSettings(cmd, SETTINGS_FLAGS), ...flagSettings(cmd, RUN_FLAGS) }));
    const { withRunLock } = await import('../run-lock.ts');
    await withRunLock(o.out, async () => {
      const { runDpoCli } = await import('../dpo-run.ts');
      await runDpoCli({ pairs: o.pairs, base: o.base, out: o.out, settings, run, log: (line) => process.stderr.write(line + '\n') });
    });
  });
}
