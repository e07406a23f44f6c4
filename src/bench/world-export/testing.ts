/** Helpers for this folder's tests: a fresh export in a temporary folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportWorldBenchmark } from './export.ts';
import type { WorldExportManifest, WorldExportSettingsInput } from './shared.ts';

export function exportToTemp(name: string, settings: WorldExportSettingsInput = {}): { dir: string; manifest: WorldExportManifest } {
  const dir = mkdtempSync(join(tmpdir(), `rlaifv-world-export-${name}-`));
  return { dir, manifest: exportWorldBenchmark(name, dir, settings) };
}
