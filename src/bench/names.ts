/** The benchmarks `rlaifv bench` knows, by name; what settings schemas list without loading the scorers. */
export const BENCHMARK_NAMES = ['objhal', 'amber', 'mmhal'] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

export function isBenchmarkName(name: string): name is BenchmarkName {
  return (BENCHMARK_NAMES as readonly string[]).includes(name);
}
