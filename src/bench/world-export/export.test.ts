import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, FileError } from '../../util/errors.ts';
import { DEFAULT_EXPORT_SIZE, exportWorldBenchmark, worldExportBenchmark } from './export.ts';
import { MANIFEST_FILE, readWorldExportManifest, WORLD_EXPORT_BENCHMARKS } from './shared.ts';
import { exportToTemp } from './testing.ts';

const bytesOf = (dir: string, files: string[]) => files.map((f) => readFileSync(join(dir, f)));

for (const name of WORLD_EXPORT_BENCHMARKS) {
  test(`${name}: the same seed and n write byte-identical files; another seed writes other images`, () => {
    const a = exportToTemp(name, { n: 9, worldSeed: 1 });
    const b = exportToTemp(name, { n: 9, worldSeed: 1 });
    assert.deepEqual(a.manifest.files, b.manifest.files);
    const files = [...a.manifest.files, MANIFEST_FILE];
    assert.deepEqual(bytesOf(a.dir, files), bytesOf(b.dir, files));
    const c = exportToTemp(name, { n: 9, worldSeed: 2 });
    assert.notDeepEqual(bytesOf(a.dir, a.manifest.files), bytesOf(c.dir, c.manifest.files));
  });
}

test('the manifest names every scene of the test split and reads back', () => {
  const { dir, manifest } = exportToTemp('objhal', { n: 3 });
  assert.deepEqual(manifest.scenes.map((s) => s.sceneId), ['w0-test-0', 'w0-test-1', 'w0-test-2']);
  assert.deepEqual(readWorldExportManifest(dir), manifest);
});

test('n defaults to 50, and to 96 for MMHal-Bench, whose scorer asserts 96 records', () => {
  assert.deepEqual(DEFAULT_EXPORT_SIZE, { objhal: 50, amber: 50, mmhal: 96 });
  assert.equal(exportToTemp('objhal').manifest.scenes.length, 50);
  assert.equal(exportToTemp('mmhal', { n: undefined }).manifest.scenes.length, 96);
});

test('a bad benchmark name or size is a one-line ConfigError', () => {
  assert.throws(() => worldExportBenchmark('pope'), (e: unknown) => e instanceof ConfigError
    && e.message === "--export must be one of objhal, amber, mmhal, got 'pope'");
  assert.throws(() => exportWorldBenchmark('amber', '/nonexistent-never-written', { n: 0 }),
    (e: unknown) => e instanceof ConfigError && /^world export: n: /.test(e.message) && !e.message.includes('\n'));
});

test('a folder without a manifest, or a broken one, is a FileError naming the file', () => {
  const { dir } = exportToTemp('mmhal', { n: 1 });
  const file = join(dir, MANIFEST_FILE);
  writeFileSync(file, '{"format": "rlaifv-world-export", "benchmark": "pope"}');
  assert.throws(() => readWorldExportManifest(dir), (e: unknown) => e instanceof FileError && e.message.startsWith(`${file}: field 'benchmark'`));
  writeFileSync(file, '{');
  assert.throws(() => readWorldExportManifest(dir), (e: unknown) => e instanceof FileError && e.message.startsWith(`${file}: not valid JSON`));
  assert.throws(() => readWorldExportManifest(join(dir, 'images')), (e: unknown) => e instanceof FileError && /not a world export/.test(e.message));
});
