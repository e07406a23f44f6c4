/** `rlaifv pretrain`: train a shipped model (base policy or labeler) from scratch on the world. */
import type { Command } from 'commander';
import { intFlag, numberFlag, weightsFlag } from '../options.ts';
import { SFT_KINDS } from '../../world/sft.ts';
import { YES_NO_KINDS } from '../../world/questions.ts';

export function register(program: Command): void {
  program.command('pretrain')
    .description('train the base policy (noisy captions) or the labeler (clean data) from scratch; resumable')
    .requiredOption('--role <role>', 'policy | labeler')
    .requiredOption('--out <dir>', 'checkpoint folder to write (rerun with the same --out to resume)')
    .option('--steps <n>', 'optimizer steps (default: the recipe\'s)', intFlag('--steps', 1))
    .option('--batch-size <n>', 'examples per step', intFlag('--batch-size', 1))
    .option('--lr <x>', 'peak learning rate', numberFlag('--lr', 0))
    .option('--seed <s>', 'initialisation and data-order seed', intFlag('--seed'))
    .option('--caption-noise <p>', 'caption-noise rate of training descriptions', numberFlag('--caption-noise', 0, 1))
    .option('--init <dir>', 'continue training this checkpoint (same role) instead of starting from scratch')
    .option('--vision-steps <n>', 'patch-classifier steps of the vision tower before language training (default: the recipe\'s)', intFlag('--vision-steps', 0))
    .option('--retrain-vision', 'with --init: pretrain a fresh vision tower and swap it into the checkpoint first')
    .option('--position-words', 'visual tokens also carry the words naming their cell (with --init: added to the checkpoint)')
    .option('--mix <weights>', `relative weights of example kinds, e.g. describe=2,yesno=6 (kinds: ${SFT_KINDS.join(', ')}; default: the recipe's)`, weightsFlag('--mix', SFT_KINDS))
    .option('--yesno-kinds <weights>', `relative weights of yes/no question kinds, e.g. place=0.5 (kinds: ${YES_NO_KINDS.join(', ')}; default: the benchmark's, place=0)`, weightsFlag('--yesno-kinds', YES_NO_KINDS))
    .option('--cooccurrence <p>', "co-occurrence prior of the training scenes (default: the world's, 0.8); lower teaches looking over guessing", numberFlag('--cooccurrence', 0, 1))
    .option('--colour-prior <p>', "favourite-colour prior of the training scenes (default: the world's, 0.6)", numberFlag('--colour-prior', 0, 1))
    .option('--world-seed <s>', 'the world to train on (and to evaluate on at the end); default 0, the world the shipped models know', intFlag('--world-seed'))
    .option('--eval-scenes <n>', 'test scenes for the closing evaluation', intFlag('--eval-scenes', 1))
    .action(async (o) => {
      const { UserError } = await import('../errors.ts');
      const { RECIPES, PretrainSettingsSchema } = await import('../../pretrain/settings.ts');
      const { runPretrain } = await import('../../pretrain/run.ts');
      const { evaluateWorld } = await import('../../eval/world-bench.ts');
      const { printEval } = await import('../../eval/print.ts');
      const { writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      if (o.role !== 'policy' && o.role !== 'labeler') throw new UserError(`--role must be policy or labeler, got '${o.role}'`);
      if (o.retrainVision && o.init === undefined) throw new UserError('--retrain-vision needs --init (a fresh model always pretrains its vision tower)');
      const recipe = RECIPES[o.role as 'policy' | 'labeler'];
      const settings = PretrainSettingsSchema.parse({
        ...recipe, role: o.role,
        ...(o.steps !== undefined && { steps: o.steps }),
        ...(o.batchSize !== undefined && { batchSize: o.batchSize }),
        ...(o.lr !== undefined && { lr: o.lr }),
        ...(o.seed !== undefined && { seed: o.seed }),
        ...(o.captionNoise !== undefined && { captionNoise: o.captionNoise }),
        ...(o.evalScenes !== undefined && { evalScenes: o.evalScenes }),
        ...(o.worldSeed !== undefined && { worldSeed: o.worldSeed }),
        ...(o.cooccurrence !== undefined && { cooccurrence: o.cooccurrence }),
        ...(o.colourPrior !== undefined && { colourPrior: o.colourPrior }),
        ...(o.mix !== undefined && { mix: { ...recipe.mix, ...o.mix } }),
        ...(o.yesnoKinds !== undefined && { yesNoKinds: { ...recipe.yesNoKinds, ...o.yesnoKinds } }),
        ...(o.init !== undefined && { init: o.init }),
        ...(o.visionSteps !== undefined && { visionSteps: o.visionSteps }),
        ...(o.retrainVision && { refreshVision: true }),
        ...(o.positionWords && { positionWords: true }),
      });
      const result = await runPretrain(settings, o.out, { progress: (line) => process.stderr.write(line + '\n') });
      const evaluation = await evaluateWorld(result.model, { split: 'test', limit: settings.evalScenes, worldSeed: settings.worldSeed });
      writeFileSync(join(o.out, 'eval.json'), JSON.stringify({ ...evaluation, examples: evaluation.examples.slice(0, 5) }, null, 2) + '\n');
      printEval(evaluation, process.stdout);
      process.stdout.write(`\ncheckpoint written to ${o.out} (${result.trainTokens} training tokens in ${result.trainSeconds.toFixed(0)} s)\n`);
    });
}
