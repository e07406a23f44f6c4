/** `rlaifv generate`: the RLAIF-V data engine (candidates -> claims -> verdicts -> preference pairs), resumable. */
import type { Command } from 'commander';
import type { ChatModel } from '../../backend/types.ts';
import { intFlag } from '../options.ts';

interface GenerateFlags {
  out: string;
  config?: string;
  instructions?: number;
  input?: string;
  policy?: string;
  labeler?: string;
  llm?: string;
  policyModel?: string;
  labelerModel?: string;
  llmModel?: string;
  selfFeedback?: boolean;
  n?: number;
  seed?: number;
  strict?: boolean;
}

export function register(program: Command): void {
  program.command('generate')
    .description('the data engine: sample n candidates per instruction, check their claims with the labeler, build preference pairs; rerun with the same --out to resume')
    .requiredOption('--out <dir>', 'output folder: pairs.parquet, pairs.trl.jsonl, intermediate JSONL, summary.json, run.sqlite (the resume store)')
    .option('--config <file>', 'JSON configuration (sections sampling, divide, questions, label, pairs, input, models, export); flags override it')
    .option('--instructions <n>', 'instructions to process (input.count; default 200)', intFlag('--instructions', 1))
    .option('--input <file>', 'instruction file (.jsonl, .json, .parquet); default: the procedural world')
    .option('--policy <dir|url>', 'policy checkpoint folder or OpenAI-compatible base URL(s), comma-separated (default: models/policy-base)')
    .option('--labeler <dir|url>', 'labeler checkpoint folder or base URL(s) (default: models/labeler)')
    .option('--llm <url>', 'text LLM base URL(s) for divide/questions method llm')
    .option('--policy-model <name>', 'served model name of the policy (default: discovered from /v1/models)')
    .option('--labeler-model <name>', 'served model name of the labeler')
    .option('--llm-model <name>', 'served model name of the text LLM')
    .option('--self-feedback', 'the policy labels its own candidates (no separate labeler)')
    .option('--n <n>', 'candidates per instruction (sampling.n; default 10)', intFlag('--n', 1))
    .option('--seed <s>', 'sampling and pair-sampling seed (sampling.seed and pairs.seed; default 0)', intFlag('--seed'))
    .option('--strict', 'stop at the first instruction whose image cannot be read (default: skip it with a warning)')
    .action(async (o: GenerateFlags) => {
      const { loadDataEngineConfig, runDataEngine } = await import('../../pipeline/index.ts');
      const { loadSettings, shippedModel, PACKAGE_ROOT } = await import('../../settings.ts');
      const { UserError } = await import('../errors.ts');
      const { openChatModel, openModel } = await import('../../model/open.ts');
      const { readFileSync } = await import('node:fs');
      const { join } = await import('node:path');

      const config = loadDataEngineConfig(o.config, flagsToConfig(o));
      const settings = loadSettings();
      const shipped = (role: 'policy-base' | 'labeler') => {
        try {
          return shippedModel(settings, role);
        } catch (err) {
          throw new UserError(`${(err as Error).message}, or pass --${role === 'labeler' ? 'labeler' : 'policy'} DIR|URL`);
        }
      };
      const opened: Array<{ close(): Promise<void> }> = [];
      const track = <T extends { close(): Promise<void> }>(model: T): T => (opened.push(model), model);
      try {
        // With self-feedback the policy also judges its own candidates.
        const policy = track(await openModel(config.models.policy ?? shipped('policy-base'), {
          role: 'policy', needs: config.label.selfFeedback ? ['generate', 'yesNo'] : ['generate'], modelName: config.models.policyModel,
        }));
        const labeler = config.label.selfFeedback ? undefined : track(await openModel(config.models.labeler ?? shipped('labeler'), {
          role: 'labeler', needs: ['yesNo'], modelName: config.models.labelerModel,
        }));
        let chat: ChatModel | undefined;
        if (config.divide.method === 'llm' || config.questions.method === 'llm') {
          if (!config.models.llm) throw new UserError("divide/questions method is 'llm': give the text LLM's base URL with --llm URL (or models.llm in the config)");
          chat = track(await openChatModel(config.models.llm, { role: 'llm', modelName: config.models.llmModel })).backend;
        }
        const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
        const progress = settings.progress === 'off' ? undefined
          : settings.progress === 'plain' ? { write: (s: string) => process.stderr.write(s) } : process.stderr;
        const result = await runDataEngine(config, {
          policy: policy.backend, ...(labeler && { labeler: labeler.backend }), ...(chat && { chat }),
          outDir: o.out, ...(progress && { progress }), version,
          modelIds: { policy: policy.id, ...(labeler && { labeler: labeler.id }) },
        });
        const s = result.summary;
        process.stdout.write(`${s.pairs} preference pairs from ${s.instructions} instructions written to ${o.out} `
          + `(${Object.keys(result.files).join(', ')})\n`);
      } finally {
        for (const m of opened) await m.close();
      }
    });
}

/** The flags as a partial configuration, laid over --config: only flags that were given. */
function flagsToConfig(o: GenerateFlags): Record<string, unknown> {
  const section = (entries: Record<string, unknown>) => {
    const kept = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  return {
    input: section({ count: o.instructions, source: o.input, strict: o.strict }),
    models: section({
      policy: o.policy, labeler: o.labeler, llm: o.llm, policyModel: o.policyModel, labelerModel: o.labelerModel, llmModel: o.llmModel,
    }),
    label: section({ selfFeedback: o.selfFeedback }),
    sampling: section({ n: o.n, seed: o.seed }),
    pairs: section({ seed: o.seed }),
  };
}
