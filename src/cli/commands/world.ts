/**
 * `rlaifv world`: look at the world (PNG files, captions, questions and a contact sheet), or, with
 * `--export NAME`, write its test scenes as a benchmark's own files so `rlaifv bench` runs on them.
 */
import type { Command } from 'commander';
import { intFlag, numberFlag } from '../options.ts';

/** Scenes written to look at when --n is not given. */
const SAMPLE_SCENES = 12;

export function register(program: Command): void {
  program.command('world')
    .description('write sample scenes of the world as PNG images with their captions and an index.html to look at; '
      + 'with --export objhal|amber|mmhal, write test scenes in that benchmark\'s own file formats')
    .requiredOption('--out <dir>', 'output folder')
    .option('--export <name>', "objhal | amber | mmhal: write the benchmark's files (questions, annotations, images) from the world's test split")
    .option('--n <n>', `scenes (default ${SAMPLE_SCENES}; with --export 50, mmhal 96 as its scorer expects)`, intFlag('--n', 1))
    .option('--split <split>', 'train | val | test (samples only; exports use test)', 'test')
    .option('--world-seed <s>', 'world seed', intFlag('--world-seed'), 0)
    .option('--seed <s>', 'with --export: draws prompts and questions (the same as `rlaifv eval --seed` gives eval\'s describe prompts)', intFlag('--seed'), 0)
    .option('--noise <p>', 'caption-noise rate for the captions shown', numberFlag('--noise', 0, 1), 0)
    .action(async (o) => {
      if (o.export !== undefined) {
        const { exportWorldBenchmark } = await import('../../bench/world-export/index.ts');
        const m = exportWorldBenchmark(o.export, o.out, { n: o.n, worldSeed: o.worldSeed, seed: o.seed });
        process.stdout.write(`wrote ${m.benchmark} from world ${m.worldSeed} (${m.n} ${m.split} scenes, ${m.files.length} files) to ${o.out}\n`);
        return;
      }
      const { writeWorldSamples } = await import('../../world/samples.ts');
      const n = o.n ?? SAMPLE_SCENES;
      const index = writeWorldSamples(o.out, { n, split: o.split, worldSeed: o.worldSeed, noise: o.noise });
      process.stdout.write(`wrote ${n} scenes to ${o.out}; open ${index}\n`);
    });
}
