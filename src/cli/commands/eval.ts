/** `rlaifv eval`: the world benchmark for a checkpoint or an OpenAI-compatible server. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const FLAGS: SchemaFlag[] = [
  { flags: '--split <split>', field: 'split' },
  { flags: '--limit <n>', field: 'limit' },
  { flags: '--offset <n>', field: 'offset' },
  { flags: '--world-seed <s>', field: 'worldSeed' },
  { flags: '--questions <n>', field: 'questionsPerScene' },
  { flags: '--place-questions <n>', field: 'placeQuestionsPerScene' },
  { flags: '--temperature <t>', field: 'temperature' },
  { flags: '--seed <s>', field: 'seed' },
];

export function register(program: Command): void {
  const command = program.command('eval')
    .description('measure object hallucination (CHAIR), coverage and yes/no accuracy on the world')
    .requiredOption('--model <dir|url>', 'checkpoint folder, or base URL(s) of an OpenAI-compatible server (comma-separated)')
    .option('--model-name <name>', 'served model name (default: discovered from /v1/models)')
    .option('--config <file>', 'JSON settings (`rlaifv defaults eval` prints them); flags override it')
    .option('--json', 'print one JSON object instead of a table');
  lazySchemaFlags(command, async () => (await import('../../eval/settings.ts')).EvalSettingsSchema, FLAGS).action(async (o: { model: string; modelName?: string; config?: string; json?: boolean }, cmd: Command) => {
    const { EvalSettingsSchema } = await import('../../eval/settings.ts');
    const settings = loadSettingsFile(EvalSettingsSchema, o.config, flagSettings(cmd, FLAGS));
    const { openModel } = await import('../../model/open.ts');
    const { evaluateWorld } = await import('../../eval/world-bench.ts');
    const { printEval } = await import('../../eval/print.ts');
    const model = await openModel(o.model, { role: 'model', needs: ['generate', 'yesNo'], ...(o.modelName !== undefined && { modelName: o.modelName }) });
    try {
      const r = await evaluateWorld(model.backend, settings, { progress: o.json ? undefined : (d, t, stage) => process.stderr.write(`\r${stage} ${d}/${t}   `) });
      if (!o.json) process.stderr.write('\n');
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else printEval(r, process.stdout);
    } finally {
      await model.close();
    }
  });
}
