/** `rlaifv bench NAME`: the paper's hallucination benchmarks (Object HalBench, AMBER, MMHal-Bench) for a checkpoint or a served model. */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';
import type { BenchFlags } from '../bench-run.ts';

export function register(program: Command): void {
  program.command('bench')
    .description('score a model on Object HalBench (objhal), AMBER (amber) or MMHal-Bench (mmhal); writes results.json, items.jsonl, report.html')
    .argument('<name>', 'objhal | amber | mmhal')
    .requiredOption('--model <dir|url>', 'checkpoint folder, or base URL(s) of an OpenAI-compatible server (comma-separated)')
    .option('--model-name <name>', 'served model name (default: discovered from /v1/models)')
    .requiredOption('--out <dir>', 'run folder (rerun with the same folder to resume; a finished run replays with no call)')
    .option('--data <dir>', "the benchmark's files: images, annotations (docs/benchmarks.md), or a world export (rlaifv world --export NAME)")
    .option('--judge <url>', 'judge: an OpenAI-compatible chat model (MMHal-Bench\'s rater; objhal --extractor llm)')
    .option('--judge-model <name>', 'served name of the judge (recorded with the results: it is part of the metric)')
    .option('--extractor <how>', 'objhal: rules (CHAIR\'s word matching) or llm (a judge lists the objects, as RLAIF-V)', 'rules')
    .option('--similarity <file>', 'amber: the table of similar word pairs spaCy computes (docs/benchmarks.md)')
    .option('--limit <n>', 'ask only the first N questions (metrics are then not comparable to published ones)', intFlag('--limit', 1))
    .option('--temperature <t>', 'decoding temperature (default 0: greedy; the authors used 3-beam search)', numberFlag('--temperature', 0, 2))
    .option('--max-tokens <n>', 'new tokens per answer (default 1024, the authors\')', intFlag('--max-tokens', 1))
    .option('--json', 'print the metrics as one JSON object')
    .action(async (name: string, o: BenchFlags) => {
      const { withRunLock } = await import('../run-lock.ts');
      await withRunLock(o.out, async () => (await import('../bench-run.ts')).runBenchCommand(name, o));
    });
}
