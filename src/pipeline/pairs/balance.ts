/**
 * Length balancing (docs/method.md §3.3, the official `get_pairs_filter_shorten.py`). A hallucination-free
 * answer tends to be shorter, so DPO on raw pairs would also learn "shorter is better". For each
 * ratio r of a grid, pairs whose chosen answer is shorter than the rejected one by more than a share
 * r of the rejected length are dropped; the first r whose kept pairs have the closest mean lengths wins.
 */

/** The texts of a pair; any record with these fields can be balanced. */
export interface TextPair {
  chosen: { text: string };
  rejected: { text: string };
}

export type BalanceDrop = 'identical-text' | 'length-balance';

/** Whitespace-split word count, Python's `len(s.split())`: `wordCount('  a b\n c ') === 3`. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

/**
 * The ratio grid `i / steps` for i = 0 .. steps-1. Built by division, not by adding 0.02 repeatedly,
 * so that r is the double nearest to i/50 and a pair whose shortening is exactly i/50 (e.g. 7 of 50
 * words) compares equal to it and is kept. (`np.arange(0, 1, 0.02)` gives 0.7000000000000001 at i = 35.)
 * `ratioGrid(50) -> [0, 0.02, 0.04, ..., 0.98]`
 */
export function ratioGrid(steps = 50): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`pairs: the ratio grid needs a positive integer number of steps, got ${steps}`);
  return Array.from({ length: steps }, (_, i) => i / steps);
}

/**
 * Why a pair is dropped at ratio r, or undefined when it is kept. Drops when
 * `(len(rejected) - len(chosen)) / len(rejected) > r`, and when the trimmed texts are equal.
 * Guard: when len(rejected) is 0 the chosen answer cannot be shorter, so the pair is never dropped for
 * length (IEEE would give -Infinity or NaN there, both of which keep it; Python raises).
 *
 * `dropReason(5, 10, 0.4) === 'length-balance'` (shortening 0.5 > 0.4); `dropReason(6, 10, 0.4) === undefined`
 */
export function dropReason(chosenWords: number, rejectedWords: number, r: number, identical = false): BalanceDrop | undefined {
  if (identical) return 'identical-text';
  if (rejectedWords > 0 && (rejectedWords - chosenWords) / rejectedWords > r) return 'length-balance';
  return undefined;
}

/** The statistics of one ratio of the sweep, for plots and the run summary. */
export interface SweepRow {
  ratio: number;
  kept: number;
  /** Means over the kept pairs; null when no pair is kept. */
  meanChosen: number | null;
  meanRejected: number | null;
  /** |meanChosen - meanRejected| / meanRejected; null when no pair is kept or meanRejected is 0 (undefined; such an r never wins). */
  objective: number | null;
  /** Shares of kept pairs whose chosen answer is shorter / longer than the rejected one (official `shorten_portion` / `longer_portion`). */
  chosenShorter: number | null;
  chosenLonger: number | null;
}

export interface BalanceResult<P> {
  /** The selected ratio: the first with the minimum objective, or the largest ratio of the grid when no ratio has an objective (`fallback`). */
  ratio: number;
  fallback: boolean;
  kept: P[];
  dropped: Array<{ pair: P; reason: BalanceDrop }>;
  sweep: SweepRow[];
}

/**
 * Balance the lengths of ALL pairs of a run (across instructions, after per-instruction sampling).
 *
 * Zero-division guards: len(rejected) = 0 never drops a pair for length (see `dropReason`); a ratio
 * that keeps no pair, or whose kept pairs have mean rejected length 0, has objective null and is
 * skipped. If no ratio has an objective (no pairs, or every pair is identical or has an empty chosen
 * answer, or every rejected answer is empty), the most permissive ratio, the grid's largest, is used
 * and `fallback` is true, so pairs that are only "unmeasurable" are not thrown away.
 *
 * `balanceLengths(pairs).ratio` is 0 when chosen answers are never shorter than rejected ones.
 */
export function balanceLengths<P extends TextPair>(pairs: readonly P[], ratios: readonly number[] = ratioGrid()): BalanceResult<P> {
  const result = balanceWordCounts(pairs.map(pairLengths), ratios);
  const kept: P[] = [];
  const dropped: Array<{ pair: P; reason: BalanceDrop }> = [];
  result.drops.forEach((reason, i) => {
    if (reason === undefined) kept.push(pairs[i]!);
    else dropped.push({ pair: pairs[i]!, reason });
  });
  return { ratio: result.ratio, fallback: result.fallback, kept, dropped, sweep: result.sweep };
}

/** What length balancing needs of a pair: its word counts and whether the trimmed texts are equal. */
export interface PairLengths {
  chosenWords: number;
  rejectedWords: number;
  identical: boolean;
}

/** `pairLengths({ chosen: { text: 'a b' }, rejected: { text: 'a b c' } })` -> `{ chosenWords: 2, rejectedWords: 3, identical: false }` */
export function pairLengths(pair: TextPair): PairLengths {
  return {
    chosenWords: wordCount(pair.chosen.text),
    rejectedWords: wordCount(pair.rejected.text),
    identical: pair.chosen.text.trim() === pair.rejected.text.trim(),
  };
}

/**
 * `balanceLengths` on the counts alone, so a streaming run can balance many pairs while their
 * texts wait on disk: `drops[i]` is why pair i is dropped, or undefined when it is kept.
 */
export function balanceWordCounts(pairs: readonly PairLengths[], ratios: readonly number[] = ratioGrid()): { ratio: number; fallback: boolean; drops: Array<BalanceDrop | undefined>; sweep: SweepRow[] } {
  if (ratios.length === 0) throw new Error('pairs: the length-balance ratio grid is empty; give at least one ratio');
  const sweep = ratios.map((ratio): SweepRow => {
    let kept = 0, sumC = 0, sumR = 0, shorter = 0, longer = 0;
    for (const p of pairs) {
      if (dropReason(p.chosenWords, p.rejectedWords, ratio, p.identical) !== undefined) continue;
      kept++;
      sumC += p.chosenWords;
      sumR += p.rejectedWords;
      if (p.chosenWords < p.rejectedWords) shorter++;
      else if (p.chosenWords > p.rejectedWords) longer++;
    }
    if (kept === 0) return { ratio, kept, meanChosen: null, meanRejected: null, objective: null, chosenShorter: null, chosenLonger: null };
    const meanChosen = sumC / kept, meanRejected = sumR / kept;
    const objective = meanRejected > 0 ? Math.abs(meanChosen - meanRejected) / meanRejected : null;
    return { ratio, kept, meanChosen, meanRejected, objective, chosenShorter: shorter / kept, chosenLonger: longer / kept };
  });

  let best: SweepRow | undefined;
  for (const row of sweep) {
    // Strictly smaller: the FIRST ratio with the minimum wins, as pandas' idxmin.
    if (row.objective !== null && (best === undefined || row.objective < best.objective!)) best = row;
  }
  const ratio = best?.ratio ?? Math.max(...ratios);
  const drops = pairs.map((p) => dropReason(p.chosenWords, p.rejectedWords, ratio, p.identical));
  return { ratio, fallback: best === undefined, drops, sweep };
}
