/**
 * Content-addressed cache keys. A result is reusable exactly when the stage, the model, the
 * settings and the input are all the same, so the key is the hash of those four and nothing else
 * (no run id, no position in a batch): a resumed or re-ordered run finds the same keys.
 */
import { canonicalJson, sha256Hex } from './canonical.ts';

/** What a cached computation depends on besides its input. */
export interface CacheScope {
  /** Stage name, e.g. `'label'`. */
  stage: string;
  /** Model name as the backend reports it (`ModelBackend.name`); join several with '+'. */
  model: string;
  /** Every setting that changes the result (decoding settings, prompt template version, ...). */
  settings: unknown;
}

/**
 * `sha256(canonical JSON of [stage, model, settings, input])`, hex.
 *
 * `cacheKey({ stage: 'label', model: 'llava', settings: { t: 0 } }, { image, question: 'Is there a cat?' })`
 */
export function cacheKey(scope: CacheScope, input: unknown): string {
  // One JSON array keeps the four parts unambiguous: no separator can be forged by a stage name.
  return sha256Hex(`[${JSON.stringify(scope.stage)},${JSON.stringify(scope.model)},`
    + `${canonicalJson(scope.settings, 'settings')},${canonicalJson(input, 'input')}]`);
}
