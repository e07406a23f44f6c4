/** The benchmarks `rlaifv bench NAME` runs, each built from the folder the user's files are in. */
import { ConfigError } from '../util/errors.ts';
import { pick } from '../util/registry.ts';
import type { Benchmark } from './run.ts';
import { mmhalBenchmark } from './mmhal/benchmark.ts';

export interface BenchSource {
  /** The folder with the benchmark's images (and annotations where the benchmark needs the user's). */
  dataDir?: string;
}

const BENCHMARKS: Record<string, (o: BenchSource) => Benchmark<never>> = {
  mmhal: (o) => mmhalBenchmark({ dataDir: required(o, 'mmhal', "MMHal-Bench's 96 images (test_data.zip of the dataset, unpacked)") }) as Benchmark<never>,
};

export const BENCHMARK_NAMES = Object.keys(BENCHMARKS);

/** `openBenchmark('mmhal', { dataDir: 'mmhal-images' })`; an unknown name lists the known ones. */
export function openBenchmark(name: string, o: BenchSource): Benchmark<never> {
  return pick('benchmark', BENCHMARKS, name)(o);
}

function required(o: BenchSource, name: string, what: string): string {
  if (!o.dataDir) throw new ConfigError(`rlaifv bench ${name} needs --data DIR: the folder with ${what} (docs/benchmarks.md)`);
  return o.dataDir;
}
