/**
 * Chance-corrected agreement between people: Cohen's kappa for two people over the same items, and
 * Krippendorff's alpha for any number of people with missing answers (nominal or interval values).
 * Pure functions; `./agreement.ts` applies them to a store.
 */

/**
 * Cohen's kappa of two people's answers to the same items, in order:
 * kappa = (p_o - p_e) / (1 - p_e), p_o the share of items they agree on, p_e = sum over values v of
 * (share of a's answers that are v) * (share of b's that are v). Null with no items, or when p_e = 1
 * (both gave one and the same value throughout: agreement by chance is certain).
 * `cohenKappa(['y', 'y', 'n', 'n'], ['y', 'n', 'n', 'n'])` -> 0.5
 */
export function cohenKappa(a: readonly string[], b: readonly string[]): number | null {
  if (a.length !== b.length) throw new RangeError(`cohenKappa: ${a.length} answers against ${b.length}; give both people's answers to the same items`);
  const n = a.length;
  if (n === 0) return null;
  const countA = new Map<string, number>(), countB = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) agree++;
    countA.set(a[i]!, (countA.get(a[i]!) ?? 0) + 1);
    countB.set(b[i]!, (countB.get(b[i]!) ?? 0) + 1);
  }
  let pe = 0;
  for (const [v, ca] of countA) pe += (ca / n) * ((countB.get(v) ?? 0) / n);
  if (pe === 1) return null;
  return (agree / n - pe) / (1 - pe);
}

type Metric = 'nominal' | 'interval';

function delta2(c: string | number, k: string | number, metric: Metric): number {
  if (metric === 'nominal') return c === k ? 0 : 1;
  return ((c as number) - (k as number)) ** 2;
}

/**
 * Krippendorff's alpha = 1 - D_o / D_e from the coincidence matrix: each unit with m_u >= 2 values
 * adds 1 / (m_u - 1) to o[c][k] for every ordered pair of its values (c, k) from different coders;
 * n_c = sum_k o[c][k], n = sum_c n_c (the pairable values);
 * D_o = (1/n) sum_{c,k} o[c][k] delta2(c, k), D_e = 1/(n(n-1)) sum_{c,k} n_c n_k delta2(c, k),
 * delta2 = [c != k] (nominal) or (c - k)^2 (interval). Units with fewer than 2 values are ignored.
 * Null with no pairable values or when D_e = 0 (every value the same: nothing to tell apart).
 * `krippendorffAlpha([['y', 'y'], ['n', 'n'], ['y', 'n']], 'nominal')` -> 0.4444...
 */
export function krippendorffAlpha(units: ReadonlyArray<ReadonlyArray<string | number>>, metric: Metric): number | null {
  if (metric === 'interval') {
    const bad = units.flat().find((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad !== undefined) throw new RangeError(`krippendorffAlpha: interval values must be finite numbers, got ${JSON.stringify(bad)}`);
  }
  const pairable = units.filter((u) => u.length >= 2);
  const values = [...new Set(pairable.flat())];
  const index = new Map(values.map((v, i) => [v, i]));
  const V = values.length;
  const o = new Float64Array(V * V); // o[c * V + k]
  for (const u of pairable) {
    const w = 1 / (u.length - 1);
    for (let i = 0; i < u.length; i++) {
      for (let j = 0; j < u.length; j++) if (i !== j) o[index.get(u[i]!)! * V + index.get(u[j]!)!]! += w;
    }
  }
  const nc = values.map((_, c) => o.subarray(c * V, (c + 1) * V).reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  if (n < 2) return null;
  let observed = 0, expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta2(values[c]!, values[k]!, metric);
      observed += o[c * V + k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  const Do = observed / n, De = expected / (n * (n - 1));
  if (De === 0) return null;
  return 1 - Do / De;
}
