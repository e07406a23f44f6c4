/**
 * What a correction changed, word by word: the runs of words that differ between the model's answer
 * and the person's corrected text, as character offsets into each. Whitespace between words is not
 * compared (re-wrapping a line changes nothing); punctuation stays attached to its word.
 */
import type { ChangedSpan } from './types.ts';

interface Word { text: string; start: number; end: number }

function words(s: string): Word[] {
  return [...s.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** Index pairs of a longest common subsequence of `a` and `b` (by word text), in order. */
function commonWords(a: readonly Word[], b: readonly Word[]): Array<[number, number]> {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo]!.text === b[lo]!.text) lo++;
  let ea = a.length, eb = b.length;
  while (ea > lo && eb > lo && a[ea - 1]!.text === b[eb - 1]!.text) { ea--; eb--; }
  const n = ea - lo, m = eb - lo;
  // lcs[i * (m + 1) + j]: the LCS length of a[lo + i ..ea) and b[lo + j ..eb) (suffixes, so the walk below goes forward).
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[lo + i]!.text === b[lo + j]!.text
        ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const out: Array<[number, number]> = [];
  for (let k = 0; k < lo; k++) out.push([k, k]);
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[lo + i]!.text === b[lo + j]!.text) { out.push([lo + i, lo + j]); i++; j++; }
    else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  for (let k = 0; k < a.length - ea; k++) out.push([ea + k, eb + k]);
  return out;
}

/**
 * The changed runs of words, in order. An inserted run has an empty `from` at the next kept word's
 * start (or the text's end); a deleted run an empty `to`, likewise.
 * `changedSpans('a red circle', 'a blue circle')` -> `[{ from: [2, 5], to: [2, 6] }]`
 */
export function changedSpans(original: string, corrected: string): ChangedSpan[] {
  const a = words(original), b = words(corrected);
  const kept = commonWords(a, b);
  kept.push([a.length, b.length]); // a sentinel: the end of both texts
  const spans: ChangedSpan[] = [];
  let i = 0, j = 0;
  for (const [ki, kj] of kept) {
    if (ki > i || kj > j) {
      const at = (ws: Word[], s: string, from: number, to: number): [number, number] =>
        to > from ? [ws[from]!.start, ws[to - 1]!.end] : [ws[from]?.start ?? s.length, ws[from]?.start ?? s.length];
      spans.push({ from: at(a, original, i, ki), to: at(b, corrected, j, kj) });
    }
    i = ki + 1; j = kj + 1;
  }
  return spans;
}
