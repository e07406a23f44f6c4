/** `rlaifv generate`: the RLAIF-V data engine (candidates -> claims -> verdicts -> preference pairs), resumable. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const FLAGS: SchemaFlag[] = [
  { flags: '--instructions <n>', field: 'input.count' },
  { flags: '--input <file>', field: 'input.source', help: 'instruction file (.jsonl, .json, .parquet)', defaultHelp: 'the procedural world' },
  { flags: '--policy <dir|url>', field: 'models.policy' },
  { flags: '--labeler <dir|url>', field: 'models.labeler' },
  { flags: '--llm <url>', field: 'models.llm' },
  { flags: '--policy-model <name>', field: 'models.policyModel' },
  { flags: '--labeler-model <name>', field: 'models.labelerModel' },
  { flags: '--llm-model <name>', field: 'models.llmModel' },
  { flags: '--self-feedback', field: 'label.selfFeedback' },
  { flags: '--n <n>', field: 'sampling.n' },
  { flags: '--seed <s>', field: ['sampling.seed', 'pairs.seed'], help: 'seed of candidate sampling and of pair sampling (sampling.seed and pairs.seed)' },
  { flags: '--strict', field: 'input.strict' },
  { flags: '--image-root <dir>', field: 'input.imageRoot' },
];

export function register(program: Command): void {
  const command = program.command('generate')
    .description('the data engine: sample n candidates per instruction, check their claims with the labeler, build preference pairs; rerun with the same --out to resume')
    .requiredOption('--out <dir>', 'output folder: pairs.parquet, pairs.trl.jsonl, intermediate JSONL, summary.json, run.sqlite (the resume store)')
    .option('--config <file>', 'JSON settings (sections sampling, divide, questions, label, pairs, input, models, export: `rlaifv defaults generate` prints them); flags override it');
  lazySchemaFlags(command, async () => (await import('../../pipeline/config.ts')).DataEngineConfigSchema, FLAGS).action(async (o: { out: string; config?: string }, cmd: Command) => {
    const { DataEngineConfigSchema } = await import('../../pipeline/config.ts');
    const config = loadSettingsFile(DataEngineConfigSchema, o.config, flagSettings(cmd, FLAGS));
    const { withRunLock } = await import('../run-lock.ts');
    await withRunLock(o.out, async () => (await import('../generate-run.ts')).runGenerateCommand(config, o.out));
  });
}
