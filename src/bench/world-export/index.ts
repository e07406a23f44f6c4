/**
 * Each benchmark written from the embedded world in its own file formats (Object HalBench, AMBER,
 * MMHal-Bench), the manifest tying items to scenes, the exact world metrics of answers to an
 * export, and a MMHal judge that rates from the world's truth.
 */
export { DEFAULT_EXPORT_SIZE, exportWorldBenchmark, worldExportBenchmark } from './export.ts';
export {
  MANIFEST_FILE, WORLD_EXPORT_BENCHMARKS, WorldExportSettingsSchema, readWorldExportManifest,
  type ManifestQuestion, type ManifestScene, type WorldExportBenchmark, type WorldExportManifest, type WorldExportSettings, type WorldExportSettingsInput,
} from './shared.ts';
export { OBJHAL_FILES, objhalImageId, worldSynonymList } from './objhal.ts';
export { AMBER_EXPORT_FILES, amberImageName } from './amber.ts';
export { MMHAL_EXPORT_FILES, MMHAL_SIZE, MMHAL_TYPES, WORLD_KIND_OF_TYPE } from './mmhal.ts';
export { rateFromTruth, sceneOfImageId, worldMmhalJudge, type WorldMmhalItem, type WorldMmhalJudge, type WorldMmhalRating } from './judge.ts';
export { worldAgreement, type KeyedAnswer, type WorldAgreement, type YesNoAnswer } from './world-metrics.ts';
