/** `rlaifv pretrain`: train a shipped model (base policy or labeler) from scratch on the world. */
import type { Command } from 'commander';
import { YES_NO_KINDS } from '../../world/questions.ts';
import { SFT_KINDS } from '../../world/sft.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';
import { weightsFlag } from '../options.ts';

const RECIPE = "the recipe's";

const FLAGS: SchemaFlag[] = [
  { flags: '--role <role>', field: 'role', required: true },
  { flags: '--steps <n>', field: 'steps', defaultHelp: RECIPE },
  { flags: '--batch-size <n>', field: 'batchSize', defaultHelp: RECIPE },
  { flags: '--lr <x>', field: 'lr', defaultHelp: RECIPE },
  { flags: '--seed <s>', field: 'seed', defaultHelp: RECIPE },
  { flags: '--caption-noise <p>', field: 'captionNoise', defaultHelp: RECIPE },
  { flags: '--init <dir>', field: 'init' },
  { flags: '--vision-steps <n>', field: 'visionSteps', defaultHelp: RECIPE },
  { flags: '--retrain-vision', field: 'refreshVision' },
  { flags: '--position-words', field: 'positionWords' },
  { flags: '--mix <weights>', field: 'mix', parse: weightsFlag('--mix', SFT_KINDS), help: `relative weights of example kinds, e.g. describe=2,yesno=6 (kinds: ${SFT_KINDS.join(', ')})`, defaultHelp: RECIPE },
  {
    flags: '--yesno-kinds <weights>', field: 'yesNoKinds', parse: weightsFlag('--yesno-kinds', YES_NO_KINDS),
    help: `relative weights of yes/no question kinds, e.g. place=0.5 (kinds: ${YES_NO_KINDS.join(', ')})`, defaultHelp: "the benchmark's, place=0",
  },
  { flags: '--cooccurrence <p>', field: 'cooccurrence' },
  { flags: '--colour-prior <p>', field: 'colourPrior' },
  { flags: '--world-seed <s>', field: 'worldSeed' },
  { flags: '--eval-scenes <n>', field: 'evalScenes' },
];

export function register(program: Command): void {
  const command = program.command('pretrain')
    .description('train the base policy (noisy captions) or the labeler (clean data) from scratch; resumable')
    .requiredOption('--out <dir>', 'checkpoint folder to write (rerun with the same --out to resume)');
  lazySchemaFlags(command, async () => (await import('../../pretrain/settings.ts')).PretrainSettingsSchema, FLAGS).action(async (o: { out: string }, cmd: Command) => {
    const { PretrainSettingsSchema } = await import('../../pretrain/settings.ts');
    const { RECIPES } = await import('../../pretrain/settings.ts');
    const { mergeSettings, parseSettings } = await import('../../util/settings.ts');
    const { ConfigError } = await import('../../util/errors.ts');
    const flags = flagSettings(cmd, FLAGS) as { role: 'policy' | 'labeler'; init?: string; refreshVision?: boolean };
    if (flags.refreshVision && flags.init === undefined) throw new ConfigError('--retrain-vision needs --init (a fresh model always pretrains its vision tower)');
    // The recipe of the role, with the flags given laid over it.
    const settings = parseSettings(PretrainSettingsSchema, mergeSettings(RECIPES[flags.role], flags), 'rlaifv pretrain flags');
    const { withRunLock } = await import('../run-lock.ts');
    await withRunLock(o.out, async () => (await import('../pretrain-run.ts')).runPretrainCommand(settings, o.out));
  });
}
