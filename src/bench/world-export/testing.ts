/** Helpers for this folder's tests: a fresh export in a temporary folder. */
import { tempDir } from '../../util/temp-dir.ts';
import { exportWorldBenchmark } from './export.ts';
import type { WorldExportManifest, WorldExportSettingsInput } from './shared.ts';

export function exportToTemp(name: string, settings: WorldExportSettingsInput = {}): { dir: string; manifest: WorldExportManifest } {
  const dir = tempDir(`rlaifv-world-export-${name}-`);
  return { dir, manifest: exportWorldBenchmark(name, dir, settings) };
}
