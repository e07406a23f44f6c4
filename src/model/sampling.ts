/**
 * Next-token choice from logits: temperature, nucleus (top-p), greedy at temperature 0.
 * Pure JS over a Float32Array row so that a seed alone decides the sample.
 */
import type { Rng } from '../util/rng.ts';

/**
 * Sample an index from `logits[offset .. offset+V)`. Indices in `banned` are never chosen.
 * `sampleToken(new Float32Array([0, 5, 0]), 0, 3, 0, 1, rng)` -> 1 (greedy).
 */
export function sampleToken(
  logits: Float32Array, offset: number, V: number, temperature: number, topP: number, rng: Rng, banned: ReadonlySet<number>,
): number {
  if (temperature <= 0) {
    let best = -1;
    let bestV = -Infinity;
    for (let i = 0; i < V; i++) {
      if (banned.has(i)) continue;
      const v = logits[offset + i]!;
      if (v > bestV) { bestV = v; best = i; }
    }
    return best;
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (!banned.has(i)) max = Math.max(max, logits[offset + i]!);
  const probs: Array<[number, number]> = [];
  let total = 0;
  for (let i = 0; i < V; i++) {
    if (banned.has(i)) continue;
    const p = Math.exp((logits[offset + i]! - max) / temperature);
    probs.push([i, p]);
    total += p;
  }
  // Nucleus: the smallest set of most likely tokens whose mass reaches topP (ties broken by index).
  probs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  let keep = probs.length;
  if (topP < 1) {
    let cum = 0;
    for (let i = 0; i < probs.length; i++) {
      cum += probs[i]![1] / total;
      if (cum >= topP) { keep = i + 1; break; }
    }
  }
  let mass = 0;
  for (let i = 0; i < keep; i++) mass += probs[i]![1];
  let r = rng.next() * mass;
  for (let i = 0; i < keep; i++) {
    r -= probs[i]![1];
    if (r < 0) return probs[i]![0];
  }
  return probs[keep - 1]![0];
}

/** log-softmax of one row, in float64. */
export function logSoftmaxRow(logits: Float32Array, offset: number, V: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, logits[offset + i]!);
  let sum = 0;
  for (let i = 0; i < V; i++) sum += Math.exp(logits[offset + i]! - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(V);
  for (let i = 0; i < V; i++) out[i] = logits[offset + i]! - lse;
  return out;
}
