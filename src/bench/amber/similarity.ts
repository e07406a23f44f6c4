/**
 * The spaCy step of AMBER's generative scorer, as a table. Upstream asks
 * `nlp(a).similarity(nlp(b)) > 0.8` with `en_core_web_lg`, but only for words of AMBER's closed
 * vocabulary (nouns are filtered to it first), so the answer is fixed by a list of pairs, computed
 * once by `tools/similarity_table.py`.
 *
 * File format (JSON):
 *   {"model": "en_core_web_lg 3.7.1", "threshold": 0.8, "pairs": [["car", "vehicle", 0.8312], ...]}
 * `pairs` holds each unordered pair of distinct vocabulary words whose similarity is above
 * `threshold`, with that similarity. Cosine similarity is symmetric, so the order in a pair does
 * not matter.
 *
 * Identical strings are always similar: spaCy returns 1.0 for docs with the same tokens, even
 * without vectors. Without a table, only that identity rule is left (see `identityOnly`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, FileError } from '../../util/errors.ts';

export interface SimilarityTable {
  /** What computed it (spaCy model and version), for the record. */
  model: string;
  /** The table lists every pair above this similarity. */
  threshold: number;
  pairs: Array<[string, string, number]>;
}

/** `similar(a, b)`: spaCy similarity above the threshold. */
export type Similar = (a: string, b: string) => boolean;

/** The upstream default of `--similarity_score`. */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.8;

/** No table: two words are similar only when they are the same string. */
export const identityOnly: Similar = (a, b) => a === b;

/**
 * The `similar` test for a table at a scoring threshold (strict `>` as upstream). The threshold
 * may not be below the table's own: pairs between the two would be missing.
 */
export function similarityFromTable(table: SimilarityTable, threshold = DEFAULT_SIMILARITY_THRESHOLD): Similar {
  if (threshold < table.threshold) {
    throw new ConfigError(`similarity threshold ${threshold} is below the table's ${table.threshold}: the table lacks the pairs in between; recompute it with --threshold ${threshold}`, 'similarityThreshold');
  }
  const pairs = new Set<string>();
  for (const [a, b, score] of table.pairs) {
    if (score > threshold) {
      pairs.add(pairKey(a, b));
      pairs.add(pairKey(b, a));
    }
  }
  return (a, b) => a === b || pairs.has(pairKey(a, b));
}

// JSON keeps the two words apart whatever characters they hold.
const pairKey = (a: string, b: string) => JSON.stringify([a, b]);

/** Reads a similarity table file (format above). */
export function readSimilarityTable(file: string): SimilarityTable {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FileError(`${file}: cannot read a JSON similarity table (${(err as Error).message}); make one with src/bench/amber/tools/similarity_table.py`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileError(`${file}: expected {"model": ..., "threshold": number, "pairs": [[word, word, similarity], ...]}`);
  }
  const { model, threshold, pairs } = value as Record<string, unknown>;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new FileError(`${file}: field threshold must be a number (the cut the pairs were listed above)`);
  if (!Array.isArray(pairs)) throw new FileError(`${file}: field pairs must be a list of [word, word, similarity]`);
  pairs.forEach((pair, i) => {
    const ok = Array.isArray(pair) && pair.length === 3 && typeof pair[0] === 'string' && typeof pair[1] === 'string' && typeof pair[2] === 'number';
    if (!ok) throw new FileError(`${file}: pairs[${i}] is ${JSON.stringify(pair)}, expected [word, word, similarity]`);
    if (pair[2] <= threshold) throw new FileError(`${file}: pairs[${i}] has similarity ${pair[2]}, not above the table's threshold ${threshold}`);
  });
  return { model: typeof model === 'string' ? model : 'unknown', threshold, pairs: pairs as Array<[string, string, number]> };
}
