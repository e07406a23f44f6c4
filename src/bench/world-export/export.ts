/**
 * `rlaifv world --export NAME`: world scenes written in a benchmark's own files, plus the manifest
 * (`world-export.json`) that maps each item back to its scene. The same settings write the same bytes.
 */
import { mkdirSync } from 'node:fs';
import { ConfigError } from '../../util/errors.ts';
import { createWorld } from '../../world/index.ts';
import type { Scene, World } from '../../world/index.ts';
import { writeAmberExport } from './amber.ts';
import { MMHAL_SIZE, writeMmhalExport } from './mmhal.ts';
import { writeObjhalExport } from './objhal.ts';
import {
  EXPORT_SPLIT, exportScenes, jsonText, MANIFEST_FILE, MANIFEST_FORMAT, WORLD_EXPORT_BENCHMARKS, WorldExportSettingsSchema, writeExportFile,
  type ManifestQuestion, type ManifestScene, type WorldExportBenchmark, type WorldExportManifest, type WorldExportSettings, type WorldExportSettingsInput,
} from './shared.ts';

type Writer = (dir: string, world: World, scenes: readonly Scene[], s: WorldExportSettings) => { files: string[]; scenes: ManifestScene[]; questions?: ManifestQuestion[] };

const WRITERS: Record<WorldExportBenchmark, Writer> = {
  objhal: writeObjhalExport,
  amber: writeAmberExport,
  mmhal: writeMmhalExport,
};

/** Scenes a benchmark exports when `n` is not given: MMHal's official scorer asserts 96 records. */
export const DEFAULT_EXPORT_SIZE: Readonly<Record<WorldExportBenchmark, number>> = { objhal: 50, amber: 50, mmhal: MMHAL_SIZE };

/** The benchmark named `name`, or a ConfigError listing the valid names. */
export function worldExportBenchmark(name: string): WorldExportBenchmark {
  if ((WORLD_EXPORT_BENCHMARKS as readonly string[]).includes(name)) return name as WorldExportBenchmark;
  throw new ConfigError(`--export must be one of ${WORLD_EXPORT_BENCHMARKS.join(', ')}, got '${name}'`, 'export');
}

/**
 * Write benchmark `name` from the world into `dir`; returns the manifest (also written there).
 * @example
 * exportWorldBenchmark('amber', 'runs/amber-world', { n: 20 }).files // ['annotations.json', ..., 'images/AMBER_20.png']
 */
export function exportWorldBenchmark(name: string, dir: string, input: WorldExportSettingsInput = {}): WorldExportManifest {
  const benchmark = worldExportBenchmark(name);
  const parsed = WorldExportSettingsSchema.safeParse({ ...input, n: input.n ?? DEFAULT_EXPORT_SIZE[benchmark] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`world export: ${issue.path.join('.')}: ${issue.message}`, issue.path.join('.'));
  }
  const s = parsed.data;
  const world = createWorld({ worldSeed: s.worldSeed });
  mkdirSync(dir, { recursive: true });
  const written = WRITERS[benchmark](dir, world, exportScenes(world, s.n), s);
  const manifest: WorldExportManifest = {
    format: MANIFEST_FORMAT,
    benchmark,
    worldSeed: s.worldSeed,
    seed: s.seed,
    split: EXPORT_SPLIT,
    n: s.n,
    files: written.files,
    scenes: written.scenes,
    questions: written.questions ?? [],
  };
  writeExportFile(dir, MANIFEST_FILE, jsonText(manifest));
  return manifest;
}
