/** What `rlaifv bench NAME` does with its flags: open the model (and judge), run the benchmark, write the report, say what it found. */
import { basename, join, resolve } from 'node:path';
import { BenchDecodingSchema } from '../bench/answers.ts';
import { openBenchmark } from '../bench/registry.ts';
import { runBench } from '../bench/run.ts';
import { OBJHAL_EXTRACTORS, type ObjhalExtractorName } from '../bench/objhal/score.ts';
import { isUrl, openChatModel, openModel } from '../model/open.ts';
import { renderBenchReport } from '../report/bench-html.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { pick } from '../util/registry.ts';

/** The flags of `rlaifv bench` (commands/bench.ts). */
export interface BenchFlags {
  model: string;
  modelName?: string;
  out: string;
  data?: string;
  judge?: string;
  judgeModel?: string;
  extractor: string;
  similarity?: string;
  limit?: number;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
}

export async function runBenchCommand(name: string, o: BenchFlags): Promise<void> {
  const extractor = pick('--extractor', Object.fromEntries(OBJHAL_EXTRACTORS.map((e) => [e, e])), o.extractor) as ObjhalExtractorName;
  const bench = openBenchmark(name, { ...(o.data && { dataDir: o.data }), extractor, ...(o.similarity && { similarityFile: o.similarity }) });
  const decoding = BenchDecodingSchema.parse({ ...(o.temperature !== undefined && { temperature: o.temperature }), ...(o.maxTokens !== undefined && { maxTokens: o.maxTokens }) });
  const model = await openModel(o.model, { role: 'model', needs: ['generate'], ...(o.modelName !== undefined && { modelName: o.modelName }) });
  const judge = o.judge ? await openChatModel(o.judge, { role: 'judge', ...(o.judgeModel !== undefined && { modelName: o.judgeModel }) }) : undefined;
  try {
    const results = await runBench(bench, {
      model: model.backend, modelId: model.id, modelLabel: isUrl(o.model) ? model.id : basename(resolve(o.model)), outDir: o.out, decoding, ...(o.limit !== undefined && { limit: o.limit }),
      ...(judge && { judge: judge.backend, judgeId: judge.id }),
      ...(!o.json && { progress: (done: number, total: number, stage: string) => process.stderr.write(`\r${stage} ${done}/${total}   `) }),
    });
    if (!o.json) process.stderr.write('\n');
    await writeFileAtomic(join(o.out, 'report.html'), renderBenchReport(results));
    if (o.json) {
      process.stdout.write(JSON.stringify(results.metrics) + '\n');
      return;
    }
    process.stdout.write(`${results.benchmark} on ${results.model} (${results.n} questions): ${headline(results.metrics)}\n`);
    process.stdout.write(`results: ${join(o.out, 'results.json')}  items: ${join(o.out, 'items.jsonl')}  report: ${join(o.out, 'report.html')}\n`);
  } finally {
    await judge?.close();
    await model.close();
  }
}

/** The top-level numbers of a metrics object, `key value` pairs; nested ones (per type, world) are in results.json. */
function headline(metrics: Record<string, unknown>): string {
  return Object.entries(metrics).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${Number((v as number).toFixed(4))}`).join(', ');
}
