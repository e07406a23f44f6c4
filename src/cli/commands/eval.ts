/** `rlaifv eval`: the world benchmark for a checkpoint or an OpenAI-compatible server. */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('eval')
    .description('measure object hallucination (CHAIR), coverage and yes/no accuracy on the world')
    .requiredOption('--model <dir|url>', 'checkpoint folder, or base URL(s) of an OpenAI-compatible server (comma-separated)')
    .option('--model-name <name>', 'served model name (default: discovered from /v1/models)')
    .option('--split <split>', 'train | val | test', 'test')
    .option('--limit <n>', 'scenes to evaluate', intFlag('--limit', 1), 300)
    .option('--offset <n>', 'index of the first scene (e.g. to evaluate on scenes no earlier evaluation used)', intFlag('--offset'), 0)
    .option('--world-seed <s>', 'evaluate on a world drawn with this seed (0 = the training world)', intFlag('--world-seed'), 0)
    .option('--questions <n>', 'yes/no questions per scene', intFlag('--questions'), 4)
    .option('--place-questions <n>', "more questions per scene about a described object at a cell (often a real object at a wrong one), reported apart as placeAccuracy", intFlag('--place-questions'), 2)
    .option('--temperature <t>', 'decoding temperature for descriptions (0 = greedy)', numberFlag('--temperature', 0, 2), 0)
    .option('--seed <s>', 'seed for questions and sampling', intFlag('--seed'), 0)
    .option('--json', 'print one JSON object instead of a table')
    .action(async (o) => {
      const { openModel } = await import('../../model/open.ts');
      const { evaluateWorld } = await import('../../eval/world-bench.ts');
      const { printEval } = await import('../../eval/print.ts');
      if (!['train', 'val', 'test'].includes(o.split)) throw new (await import('../errors.ts')).UserError(`--split must be train, val or test, got '${o.split}'`);
      const model = await openModel(o.model, { role: 'model', needs: ['generate', 'yesNo'], modelName: o.modelName });
      try {
        const r = await evaluateWorld(model.backend, {
          split: o.split, limit: o.limit, offset: o.offset, worldSeed: o.worldSeed, questionsPerScene: o.questions, placeQuestionsPerScene: o.placeQuestions, temperature: o.temperature, seed: o.seed,
        }, { progress: o.json ? undefined : (d, t, stage) => process.stderr.write(`\r${stage} ${d}/${t}   `) });
        if (!o.json) process.stderr.write('\n');
        if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
        else printEval(r, process.stdout);
      } finally {
        await model.close();
      }
    });
}
