/**
 * Run a computation over many inputs through the result cache: only inputs whose result is not
 * stored yet are computed, in batches, and each batch is committed as soon as it lands, so a
 * killed run resumes by re-sending only the requests that had not finished.
 */
import { cacheKey, type CacheScope } from './key.ts';
import type { RunStore } from './run-store.ts';

export interface CachedOptions {
  /** Inputs per `compute` call (one backend request); also the unit that survives a kill. Default 16. */
  batchSize?: number;
  /** Batches in flight at once, e.g. one per server replica. Default 1. */
  concurrency?: number;
  /** Called after the cache lookup and after each batch is stored: feed a progress reporter. */
  onProgress?: (progress: CachedProgress) => void;
}

export interface CachedProgress {
  total: number;
  /** Inputs found in the store before computing anything. */
  hits: number;
  /** Inputs with a result so far, hits included. */
  done: number;
}

export interface CachedOutcome<R> {
  /** One result per input, in input order. */
  results: R[];
  /** Inputs whose result was already stored. */
  hits: number;
  /** Inputs that were not; equal inputs share one computation, so `compute` saw at most this many. */
  misses: number;
}

/**
 * Results of `compute` for every input, computing only the missing ones.
 *
 * Every result is returned as read back from the store, so a fresh run and a resumed run see
 * exactly the same values (JSON-shaped, whatever `compute` returned).
 *
 * ```ts
 * const { results, hits } = await cached(store, { stage: 'label', model: labeler.name, settings },
 *   queries, (batch) => labeler.yesNo(batch), { batchSize: 8 });
 * ```
 */
export async function cached<I, R>(
  store: RunStore,
  scope: CacheScope,
  inputs: readonly I[],
  compute: (missing: I[]) => Promise<R[]>,
  options: CachedOptions = {},
): Promise<CachedOutcome<R>> {
  const batchSize = positiveInt(options.batchSize ?? 16, 'batchSize', scope.stage);
  const concurrency = positiveInt(options.concurrency ?? 1, 'concurrency', scope.stage);
  const keys = inputs.map((input) => cacheKey(scope, input));
  const results = store.getMany<R>(keys);

  // Missing inputs grouped by key: equal inputs are computed once and fill every position.
  const missing = new Map<string, number[]>();
  results.forEach((result, i) => {
    if (result !== undefined) return;
    const positions = missing.get(keys[i]!);
    if (positions) positions.push(i);
    else missing.set(keys[i]!, [i]);
  });
  const hits = inputs.length - [...missing.values()].reduce((n, positions) => n + positions.length, 0);
  let done = hits;
  options.onProgress?.({ total: inputs.length, hits, done });

  const groups = [...missing.entries()];
  const batches: Array<typeof groups> = [];
  for (let i = 0; i < groups.length; i += batchSize) batches.push(groups.slice(i, i + batchSize));

  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < batches.length) {
      const batch = batches[next++]!;
      try {
        const computed = await compute(batch.map(([, positions]) => inputs[positions[0]!]!));
        if (!Array.isArray(computed) || computed.length !== batch.length) {
          throw new Error(`cached(stage '${scope.stage}'): compute returned ${Array.isArray(computed) ? computed.length : typeof computed} `
            + `results for a batch of ${batch.length} inputs; it must return one result per input, in input order`);
        }
        const batchKeys = batch.map(([key]) => key);
        store.putMany(batchKeys.map((key, j) => ({ key, value: computed[j] })), scope.stage);
        const stored = store.getMany<R>(batchKeys);
        batch.forEach(([, positions], j) => {
          for (const position of positions) results[position] = stored[j];
          done += positions.length;
        });
        options.onProgress?.({ total: inputs.length, hits, done });
      } catch (error) {
        // Stop handing out batches; batches already in flight still land and are kept.
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  if (failure) throw failure.error;
  return { results: results as R[], hits, misses: inputs.length - hits };
}

function positiveInt(value: number, name: string, stage: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`cached(stage '${stage}'): ${name} must be an integer >= 1, got ${value}`);
  return value;
}
