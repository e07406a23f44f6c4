/** Candidate pairs and their per-instruction sampling (docs/method.md §3.1-3.2). */
import type { Rng } from '../../util/rng.ts';
import type { CandidatePair, ScoredCandidate } from './types.ts';

/** Every unordered pair, in `itertools.combinations` order: `unorderedPairs([1, 2, 3]) -> [[1,2],[1,3],[2,3]]`. */
export function unorderedPairs<T>(items: readonly T[]): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) out.push([items[i]!, items[j]!]);
  }
  return out;
}

/** `a` and `b` as chosen/rejected when `|score(a) - score(b)| >= diff`, else undefined (a tie). */
export function orderPair<C extends ScoredCandidate>(a: C, b: C, diff: number): CandidatePair<C> | undefined {
  const d = a.score - b.score;
  if (Math.abs(d) < diff) return undefined;
  return d > 0 ? { chosen: a, rejected: b } : { chosen: b, rejected: a };
}

/** Throws unless diff is a positive finite number. */
export function checkDiff(diff: number): void {
  // diff <= 0 would pair equal scores, and a tie has no preference direction.
  if (!(diff > 0) || !Number.isFinite(diff)) throw new Error(`pairs: diff must be a positive number, got ${diff}`);
}

/**
 * Every unordered pair of scored candidates of ONE instruction whose scores differ by at least
 * `diff`; the higher score is chosen. Order follows the input (pairs (0,1), (0,2), ..., (1,2), ...).
 *
 * `candidatePairs([{ id: 'a', text: '', score: 0 }, { id: 'b', text: '', score: -2 }])`
 * -> `[{ chosen: a, rejected: b }]`
 */
export function candidatePairs<C extends ScoredCandidate>(scored: readonly C[], diff = 1): Array<CandidatePair<C>> {
  checkDiff(diff);
  for (const c of scored) {
    if (!Number.isFinite(c.score)) throw new Error(`pairs: candidate '${c.id}' has score ${c.score}; only finite scores can be paired (filter unscored responses first)`);
  }
  return unorderedPairs(scored).flatMap(([a, b]) => orderPair(a, b, diff) ?? []);
}

/**
 * At most `maxPerInstruction` of one instruction's pairs, uniformly without replacement. With no more
 * pairs than that, all are kept and the rng is not touched. The result keeps the input order.
 *
 * `samplePairs(pairs, 2, new Rng(deriveSeed(seed, 'pairs', instructionId)))`
 */
export function samplePairs<T>(pairs: readonly T[], maxPerInstruction = 2, rng: Rng): T[] {
  if (!Number.isInteger(maxPerInstruction) || maxPerInstruction < 0) {
    throw new Error(`pairs: maxPerInstruction must be a non-negative integer, got ${maxPerInstruction}`);
  }
  if (pairs.length <= maxPerInstruction) return [...pairs];
  const picked = rng.sample(pairs.map((_, i) => i), maxPerInstruction).sort((x, y) => x - y);
  return picked.map((i) => pairs[i]!);
}
