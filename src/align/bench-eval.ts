/**
 * A round's model on one of the paper's benchmarks (align settings `eval: objhal|amber|mmhal`),
 * run as `rlaifv bench` would into `bench/round-<i>/`, so that a rerun replays it. The loop never
 * picks a checkpoint on it: a benchmark used to choose checkpoints would no longer measure them
 * (docs/benchmarks.md).
 */
import { join } from 'node:path';
import type { Sampler } from '../backend/types.ts';
import { BenchDecodingSchema } from '../bench/answers.ts';
import { isBenchmarkName } from '../bench/names.ts';
import { openBenchmark } from '../bench/registry.ts';
import { runBench } from '../bench/run.ts';
import { openChatModel } from '../model/open.ts';
import type { RoundBenchmark } from '../report/index.ts';
import type { AlignSettings } from './settings.ts';

/** Round `round`'s figures on the settings' benchmark, or undefined when the settings name none. */
export async function benchmarkRound(s: AlignSettings, outDir: string, round: number, model: { backend: Sampler; id: string; label: string }, log: (line: string) => void): Promise<RoundBenchmark | undefined> {
  if (!s.eval || !isBenchmarkName(s.eval)) return undefined;
  const judge = s.judge ? await openChatModel(s.judge, { role: 'judge', ...(s.judgeModel !== undefined && { modelName: s.judgeModel }) }) : undefined;
  try {
    log(`round ${round}: ${s.eval} on ${model.label}`);
    const results = await runBench(openBenchmark(s.eval, { dataDir: s.evalData! }), {
      model: model.backend, modelId: model.id, modelLabel: model.label, outDir: join(outDir, 'bench', `round-${round}`),
      decoding: BenchDecodingSchema.parse({}), ...(judge && { judge: judge.backend, judgeId: judge.id }),
    });
    return { name: s.eval, judge: results.judge, metrics: results.metrics };
  } finally {
    await judge?.close();
  }
}
