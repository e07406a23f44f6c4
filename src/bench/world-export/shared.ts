/**
 * What every world export shares: its settings, the scenes it draws (the world's test split, so
 * no exported image was seen in training), deterministic file writing, and the manifest
 * (`world-export.json`) that ties each benchmark item back to its scene so the exact world
 * metrics can be computed on the same answers.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { FileError } from '../../util/errors.ts';
import { deriveSeed, Rng } from '../../util/rng.ts';
import { describe, sceneToPng } from '../../world/index.ts';
import type { Scene, World, WorldObject, YesNoKind } from '../../world/index.ts';

export const WORLD_EXPORT_BENCHMARKS = ['objhal', 'amber', 'mmhal'] as const;
export type WorldExportBenchmark = (typeof WORLD_EXPORT_BENCHMARKS)[number];

/** The split every export draws from: disjoint by content from the scenes the models trained on. */
export const EXPORT_SPLIT = 'test' as const;

export const WorldExportSettingsSchema = z.strictObject({
  n: z.number().int().positive().default(50).describe('scenes (images) to export; small, so that a run on the embedded models takes minutes'),
  worldSeed: z.number().int().min(0).default(0).describe('0 = the world the shipped models were trained on'),
  seed: z.number().int().min(0).default(0)
    .describe("draws prompts and questions; the same seed as `rlaifv eval --seed` gives the describe prompts that eval asks"),
});
export type WorldExportSettings = z.infer<typeof WorldExportSettingsSchema>;
export type WorldExportSettingsInput = z.input<typeof WorldExportSettingsSchema>;

/** Scenes 0..n-1 of the test split. */
export function exportScenes(world: World, n: number): Scene[] {
  return Array.from({ length: n }, (_, i) => world.scene(EXPORT_SPLIT, i));
}

/**
 * The describe prompt `rlaifv eval` asks of this scene with the same seed (src/eval/world-bench.ts
 * draws it from the same derived seed), so exported answers and eval answers can be compared.
 */
export function evalDescribePrompt(seed: number, scene: Scene, pick: (rng: Rng) => string): string {
  return pick(new Rng(deriveSeed(seed, 'eval-prompt', scene.id)));
}

/** The exact truth caption: every object once, every attribute stated, no noise. */
export function truthCaption(scene: Scene, seed: number): string {
  return describe(scene, new Rng(deriveSeed(seed, 'world-export-caption', scene.id)), { noise: 0, colour: 1, size: 1, position: 1 }).text;
}

export function pngBase64(scene: Scene): string {
  return Buffer.from(sceneToPng(scene)).toString('base64');
}

/** Writes a file under `dir`, creating folders; returns the path relative to `dir` (for the file list). */
export function writeExportFile(dir: string, relative: string, data: string | Uint8Array): string {
  const path = join(dir, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return relative;
}

/** JSON as the official files are laid out: indented, key order as given, a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const MANIFEST_FILE = 'world-export.json';
export const MANIFEST_FORMAT = 'rlaifv-world-export';

/** One exported image: `key` is how the benchmark's files name it (see each exporter). */
export interface ManifestScene {
  key: string;
  sceneId: string;
  objects: WorldObject[];
}

/** One exported yes/no question with the world kind it was drawn as. */
export interface ManifestQuestion {
  id: number;
  sceneId: string;
  kind: YesNoKind;
  truth: boolean;
}

export interface WorldExportManifest {
  format: typeof MANIFEST_FORMAT;
  benchmark: WorldExportBenchmark;
  worldSeed: number;
  seed: number;
  split: typeof EXPORT_SPLIT;
  n: number;
  /** Files written, relative to the export folder, the manifest excluded. */
  files: string[];
  scenes: ManifestScene[];
  questions: ManifestQuestion[];
}

const ObjectSchema = z.strictObject({
  shape: z.string(), colour: z.string(), size: z.string(), row: z.number().int().min(0).max(2), col: z.number().int().min(0).max(2),
});
const ManifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  benchmark: z.enum(WORLD_EXPORT_BENCHMARKS),
  worldSeed: z.number().int().min(0),
  seed: z.number().int().min(0),
  split: z.literal(EXPORT_SPLIT),
  n: z.number().int().positive(),
  files: z.array(z.string()),
  scenes: z.array(z.strictObject({ key: z.string(), sceneId: z.string(), objects: z.array(ObjectSchema) })),
  questions: z.array(z.strictObject({ id: z.number().int(), sceneId: z.string(), kind: z.string(), truth: z.boolean() })),
});

/** Reads `DIR/world-export.json`; a folder without one is not a world export (a FileError says so). */
export function readWorldExportManifest(dir: string): WorldExportManifest {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new FileError(`${file}: not found; this folder is not a world export (write one with \`rlaifv world --export NAME --out ${dir}\`)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileError(`${file}: not valid JSON (${(err as Error).message}); write the export again`);
  }
  const r = ManifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new FileError(`${file}: field '${issue.path.join('.')}': ${issue.message}; write the export again`);
  }
  return r.data as WorldExportManifest;
}
