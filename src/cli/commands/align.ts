/** `rlaifv align`: the iterative RLAIF-V loop with evaluation after every round. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const ALIGN_FLAGS: SchemaFlag[] = [
  { flags: '--rounds <k>', field: 'rounds' },
  { flags: '--instructions <n>', field: 'instructionsPerRound' },
  { flags: '--self-feedback', field: 'selfFeedback' },
  { flags: '--world-seed <s>', field: 'worldSeed' },
  { flags: '--ablation <variant>', field: 'ablation' },
  { flags: '--policy <dir|urls>', field: 'policy' },
  { flags: '--labeler <dir|urls>', field: 'labeler' },
  { flags: '--llm <urls>', field: 'llm' },
  { flags: '--policy-model <name>', field: 'policyModel' },
  { flags: '--labeler-model <name>', field: 'labelerModel' },
  { flags: '--llm-model <name>', field: 'llmModel' },
  { flags: '--trainer <recipe|command>', field: 'served.trainer' },
  { flags: '--base-model <name>', field: 'served.baseModel' },
  { flags: '--load <how>', field: 'served.load' },
  { flags: '--reload-command <command>', field: 'served.reloadCommand' },
  { flags: '--eval <what>', field: 'eval' },
  { flags: '--eval-data <dir>', field: 'evalData' },
  { flags: '--judge <urls>', field: 'judge' },
  { flags: '--judge-model <name>', field: 'judgeModel' },
];

export function register(program: Command): void {
  const command = program.command('align')
    .description('run K rounds of RLAIF-V (sample -> AI feedback -> DPO -> evaluate) on embedded or served models and write metrics.json and report.html')
    .requiredOption('--out <dir>', 'run folder (rerun with the same folder to resume)')
    .option('--config <file>', 'JSON settings (rounds, instructionsPerRound, data, dpo, ...: `rlaifv defaults align` prints them); flags override it');
  lazySchemaFlags(command, async () => (await import('../../align/settings.ts')).AlignSettingsSchema, ALIGN_FLAGS).action(async (o: { out: string; config?: string }, cmd: Command) => {
    const { AlignSettingsSchema } = await import('../../align/settings.ts');
    const settings = loadSettingsFile(AlignSettingsSchema, o.config, flagSettings(cmd, ALIGN_FLAGS));
    const { withRunLock } = await import('../run-lock.ts');
    await withRunLock(o.out, async () => (await import('../align-run.ts')).runAlignCommand(settings, o.out));
  });
}
