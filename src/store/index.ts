/** The run store: resumable stages through a content-addressed result cache in one SQLite file. */
export { openStore, RunStore, type OpenStoreOptions, type RunRecord, type StageDone, type MetricPoint } from './run-store.ts';
export { cached, type CachedOptions, type CachedOutcome, type CachedProgress } from './cached.ts';
export { cacheKey, type CacheScope } from './key.ts';
export { canonicalJson, sha256Hex } from './canonical.ts';
export { encodeValue, decodeValue } from './value-json.ts';
export { StoreError, StoreOpenError, StoreLockedError, StoreVersionError } from './errors.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { StoreSettingsSchema, type StoreSettings } from './settings.ts';
