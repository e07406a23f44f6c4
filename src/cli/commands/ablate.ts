/** `rlaifv ablate`: the full method beside the paper's ablations. */
import type { Command } from 'commander';
import { ABLATION_NAMES } from '../../align/ablations.ts';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const FLAGS: SchemaFlag[] = [
  { flags: '--rounds <k>', field: 'rounds', help: 'rounds per variant', default: 2 },
  { flags: '--instructions <n>', field: 'instructionsPerRound' },
  { flags: '--self-feedback', field: 'selfFeedback' },
];

export function register(program: Command): void {
  const command = program.command('ablate')
    .description(`run the full method and each ablation (${ABLATION_NAMES.filter((n) => n !== 'none').join(', ')}); writes ablations.json`)
    .requiredOption('--out <dir>', `folder for the ${ABLATION_NAMES.length} runs (rerun to resume)`);
  lazySchemaFlags(command, async () => (await import('../../align/settings.ts')).AlignSettingsSchema, FLAGS).action(async (o: { out: string }, cmd: Command) => {
    const { AlignSettingsSchema } = await import('../../align/settings.ts');
    const settings = loadSettingsFile(AlignSettingsSchema, undefined, flagSettings(cmd, FLAGS));
    const { withRunLock } = await import('../run-lock.ts');
    // One lock on the top folder: the align runs in its sub-folders take none (only the CLI locks).
    await withRunLock(o.out, async () => {
      const { runAblations, formatAblations } = await import('../../align/ablate.ts');
      const rows = await runAblations(settings, o.out, { log: (l) => process.stderr.write(l + '\n'), progressStream: process.stderr });
      process.stdout.write(formatAblations(rows) + `\n\nwritten: ${o.out}/ablations.json\n`);
    });
  });
}
