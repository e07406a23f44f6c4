/** The benchmarks `rlaifv bench NAME` runs, each built from the folder the user's files are in. */
import { join } from 'node:path';
import { ConfigError } from '../util/errors.ts';
import { pick } from '../util/registry.ts';
import { createWorld } from '../world/index.ts';
import { amberBenchmark } from './amber/benchmark.ts';
import { mmhalBenchmark } from './mmhal/benchmark.ts';
import { objhalBenchmark } from './objhal/benchmark.ts';
import type { ObjhalExtractorName } from './objhal/score.ts';
import type { BenchmarkName } from './names.ts';
import type { Benchmark } from './run.ts';
import { worldExportIn } from './world-agreement.ts';
import { worldMmhalJudge } from './world-export/judge.ts';

export interface BenchSource {
  /** The folder with the benchmark's images (and annotations where the benchmark needs the user's), or a world export. */
  dataDir?: string;
  /** Object HalBench's object extractor. */
  extractor?: ObjhalExtractorName;
  /** AMBER's table of similar words. */
  similarityFile?: string;
}

const BENCHMARKS: Record<BenchmarkName, (o: BenchSource) => Benchmark<never>> = {
  objhal: (o) => objhalBenchmark({ dataDir: required(o, 'objhal', "Object HalBench's question file and COCO 2014 annotations"), extractor: o.extractor ?? 'rules' }) as Benchmark<never>,
  amber: (o) => amberBenchmark({ dataDir: required(o, 'amber', "AMBER's images"), ...(o.similarityFile && { similarityFile: o.similarityFile }) }) as Benchmark<never>,
  mmhal: (o) => {
    const dataDir = required(o, 'mmhal', "MMHal-Bench's 96 images (test_data.zip of the dataset, unpacked)");
    // A world export carries its own template, and the world's truth rates the answers.
    const world = worldExportIn(dataDir);
    return mmhalBenchmark(world
      ? { dataDir, templateFile: join(dataDir, 'response_template.json'), judge: worldMmhalJudge(createWorld({ worldSeed: world.worldSeed })) }
      : { dataDir }) as Benchmark<never>;
  },
};

/** `openBenchmark('mmhal', { dataDir: 'mmhal-images' })`; an unknown name lists the known ones. */
export function openBenchmark(name: string, o: BenchSource): Benchmark<never> {
  return pick('benchmark', BENCHMARKS, name)(o);
}

function required(o: BenchSource, name: string, what: string): string {
  if (!o.dataDir) throw new ConfigError(`rlaifv bench ${name} needs --data DIR: the folder with ${what}, or a world export (rlaifv world --export ${name})`);
  return o.dataDir;
}
