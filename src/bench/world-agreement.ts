/**
 * On a world export (`rlaifv world --export NAME`), the world's exact metrics of the same answers,
 * shown under `world` beside the benchmark's own, so the scorers can be checked against the truth.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, readWorldExportManifest, type WorldExportManifest } from './world-export/shared.ts';
import { worldAgreement, type KeyedAnswer, type WorldAgreement, type YesNoAnswer } from './world-export/world-metrics.ts';

/** The export's manifest when `dataDir` is a world export, else undefined. */
export function worldExportIn(dataDir: string | undefined): WorldExportManifest | undefined {
  return dataDir !== undefined && existsSync(join(dataDir, MANIFEST_FILE)) ? readWorldExportManifest(dataDir) : undefined;
}

/** `{ world: {...} }` to spread into a benchmark's metrics on a world export; `{}` elsewhere. */
export function worldMetrics(manifest: WorldExportManifest | undefined, descriptions: readonly KeyedAnswer[], yesNo: readonly YesNoAnswer[] = []): { world?: WorldAgreement } {
  return manifest ? { world: worldAgreement(manifest, descriptions, yesNo) } : {};
}
