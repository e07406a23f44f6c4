/** `rlaifv dpo`: train an embedded checkpoint with DPO on preference pairs (SPEC §4); resumable. */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('dpo')
    .description('train an embedded model with DPO on preference pairs and write the best checkpoint; rerun to resume')
    .requiredOption('--pairs <path>', 'TRL dataset folder (train.jsonl + images/) or a .jsonl file of TRL rows')
    .requiredOption('--base <dir>', 'checkpoint to start from: M_i, also the reference model π_ref')
    .requiredOption('--out <dir>', 'where the best checkpoint goes (M_{i+1}); checkpoints and state in <out>/dpo-round/')
    .option('--epochs <n>', 'passes over the pairs (default 4)', intFlag('--epochs', 1))
    .option('--beta <x>', 'DPO β (default 0.1)', numberFlag('--beta', 0))
    .option('--lr <x>', 'peak learning rate (default: see src/dpo/settings.ts)', numberFlag('--lr', 0))
    .option('--batch-size <n>', 'pairs per step (default 8)', intFlag('--batch-size', 1))
    .option('--log-probs <how>', 'sum | mean: sequence log-prob over response tokens (default sum)')
    .option('--sft-weight <x>', 'weight of an SFT term on the chosen answer (default 0)', numberFlag('--sft-weight', 0))
    .option('--checkpoints-per-epoch <n>', 'checkpoints (and validations) per epoch (default 4)', intFlag('--checkpoints-per-epoch', 1))
    .option('--no-reference-candidate', 'do not let the starting model win checkpoint selection')
    .option('--seed <s>', 'pair shuffling and hold-out seed (default 0)', intFlag('--seed'))
    .option('--validate <how>', 'pairs | world | none: how checkpoints are scored', 'pairs')
    .option('--val-fraction <p>', 'share of pairs held out with --validate pairs', numberFlag('--val-fraction', 0, 0.5), 0.1)
    .option('--val-scenes <n>', 'validation scenes with --validate world', intFlag('--val-scenes', 1), 50)
    .option('--store <file>', 'run store (SQLite) for reference log-probs and per-step metrics')
    .option('--run-name <name>', 'metrics series name in the store', 'dpo')
    .action(async (o) => {
      const { UserError } = await import('../errors.ts');
      const { runDpoCli } = await import('../dpo-run.ts');
      if (o.logProbs !== undefined && o.logProbs !== 'sum' && o.logProbs !== 'mean') throw new UserError(`--log-probs must be sum or mean, got '${o.logProbs}'`);
      if (!['pairs', 'world', 'none'].includes(o.validate)) throw new UserError(`--validate must be pairs, world or none, got '${o.validate}'`);
      const settings = {
        ...(o.epochs !== undefined && { epochs: o.epochs }),
        ...(o.beta !== undefined && { beta: o.beta }),
        ...(o.lr !== undefined && { lr: o.lr }),
        ...(o.batchSize !== undefined && { batchSize: o.batchSize }),
        ...(o.logProbs !== undefined && { logProbs: o.logProbs }),
        ...(o.sftWeight !== undefined && { sftWeight: o.sftWeight }),
        ...(o.checkpointsPerEpoch !== undefined && { checkpointsPerEpoch: o.checkpointsPerEpoch }),
        ...(o.referenceCandidate === false && { includeReference: false }),
        ...(o.seed !== undefined && { seed: o.seed }),
      };
      try {
        await runDpoCli({
          pairs: o.pairs, base: o.base, out: o.out, settings, validation: o.validate, valFraction: o.valFraction, valScenes: o.valScenes,
          ...(o.store && { store: o.store }), runName: o.runName, log: (line) => process.stderr.write(line + '\n'),
        });
      } catch (err) {
        // Problems with the inputs (missing files, a round folder from other settings) are the user's to fix.
        if (err instanceof Error && err.name === 'Error') throw new UserError(err.message);
        throw err;
      }
    });
}
