/**
 * The best-of-N curve on a paper benchmark's describe prompts, measured by the benchmark's own
 * scorer: Object HalBench's (CHAIR word rules) or AMBER's generative metrics (CHAIR, Cover, Hal).
 * AMBER's yes/no questions are left out: best-of-N picks among descriptions. Object HalBench is
 * scored with the `rules` extractor, so the curve needs no judge model.
 */
import { z } from 'zod';
import { amberBenchmark } from '../bench/amber/benchmark.ts';
import { objhalBenchmark } from '../bench/objhal/benchmark.ts';
import type { Benchmark } from '../bench/run.ts';
import type { RunStore } from '../store/index.ts';
import { bonCurve, type BonCurve, type BonMetrics, type BonModels, type BonProgress } from './curve.ts';
import { BonSettingsSchema } from './settings.ts';

export type BonBenchmarkName = 'objhal' | 'amber';

/** `benchBonCurve('amber', 'data/amber', models, { limit: 100 }, store)` */
export async function benchBonCurve(
  name: BonBenchmarkName, dataDir: string, models: BonModels, input: z.input<typeof BonSettingsSchema>, store: RunStore, progress?: BonProgress,
): Promise<BonCurve> {
  const s = BonSettingsSchema.parse(input);
  const bench: Benchmark = name === 'objhal' ? objhalBenchmark({ dataDir, extractor: 'rules' }) : amberBenchmark({ dataDir, evaluationType: 'g' });
  const questions = (await bench.load()).questions.slice(0, s.limit);
  const measure = async (picks: readonly string[]) => benchMetrics(name, (await bench.score(questions, picks, undefined)).metrics);
  const curve = await bonCurve(models, questions.map((q) => ({ key: q.id, image: q.image, prompt: q.prompt })), measure, s, store, progress);
  return { source: { bench: name, data: dataDir, prompts: questions.length }, ...curve, settings: s };
}

/** A benchmark's own metrics as shares: Object HalBench's CHAIRs, CHAIRi, recall; AMBER's Hal, CHAIR, Cover (percent there). */
export function benchMetrics(name: BonBenchmarkName, m: Record<string, unknown>): BonMetrics {
  const share = (key: string, scale: number) => {
    const v = m[key];
    if (typeof v !== 'number') throw new Error(`${name} scored no ${key} (${JSON.stringify(v)}): no answer mentioned an object`);
    return v / scale;
  };
  return name === 'objhal'
    ? { chairS: share('chairS', 1), chairI: share('chairI', 1), coverage: share('recall', 1) }
    : { chairS: share('hal', 100), chairI: share('chair', 100), coverage: share('cover', 100) };
}
