/**
 * Pure helpers of the feedback site's pages (no DOM, no node): what a failed save says, progress
 * lines, a correction cut into changed and unchanged runs, and the numbers of the admin's tables.
 */
import type { ChangedSpan } from '../../feedback/types.ts';

/**
 * What the page says when the server refused a request: a 401 means the session ended, a 429 says
 * how long to wait, anything else gives the server's own one-line reason.
 * `failureText(429, 'slow down', 7)` -> 'too many answers at once: wait 7 s, then try again'
 */
export function failureText(status: number, message: string, retryAfterSeconds: number | null): string {
  if (status === 401) return 'your session has ended: open your invite link again, or ask your admin for a new one';
  if (status === 429) {
    const wait = retryAfterSeconds !== null && isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? Math.ceil(retryAfterSeconds) + ' s' : 'a moment';
    return 'too many answers at once: wait ' + wait + ', then try again';
  }
  if (status === 0) return message;
  return message + ' (HTTP ' + status + ')';
}

/** `Retry-After` as seconds (a number, or an HTTP date relative to `now`); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (!header) return null;
  const n = Number(header);
  if (isFinite(n)) return Math.max(0, n);
  const at = Date.parse(header);
  return isFinite(at) ? Math.max(0, (at - now) / 1000) : null;
}

/** The server's one-line reason from an error body: `{ error: "..." }` or `{ error: { message } }`. */
export function errorMessage(json: unknown): string | null {
  const error = json && typeof json === 'object' ? (json as { error?: unknown }).error : undefined;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return null;
}

export interface Progress {
  mine: { done: number; queue: number };
  overall: { items: number; doneByEnough: number; events: number };
}

/** The header's progress line: 'you: 2 done, 3 to go · everyone: 1 of 3 instructions covered · 14 answers'. */
export function progressText(p: Progress | null | undefined): string {
  if (!p) return '';
  return 'you: ' + p.mine.done + ' done, ' + p.mine.queue + ' to go · everyone: ' + p.overall.doneByEnough + ' of ' +
    p.overall.items + ' instruction' + (p.overall.items === 1 ? '' : 's') + ' covered · ' + p.overall.events + ' answer' +
    (p.overall.events === 1 ? '' : 's');
}

export interface Segment {
  text: string;
  changed: boolean;
}

/**
 * `text` cut at the given character ranges (sorted, not overlapping, as `changedSpans` gives them),
 * each run marked changed or not; empty ranges (a pure insertion on the other side) are skipped.
 * `segments('a red circle', [[2, 5]])` -> [{a , false}, {red, true}, { circle, false}]
 */
export function segments(text: string, ranges: ReadonlyArray<readonly [number, number]>): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const [from, to] of ranges) {
    if (to <= from || from < pos || to > text.length) continue;
    if (from > pos) out.push({ text: text.slice(pos, from), changed: false });
    out.push({ text: text.slice(from, to), changed: true });
    pos = to;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), changed: false });
  return out;
}

/** The two sides of a correction's changed spans: what was taken out of the original, what was put into the text. */
export function correctionSides(spans: readonly ChangedSpan[]): { original: Array<[number, number]>; corrected: Array<[number, number]> } {
  return { original: spans.map((s) => [s.from[0], s.from[1]]), corrected: spans.map((s) => [s.to[0], s.to[1]]) };
}

/** A kappa or an alpha: 3 decimals, '–' when undefined (too few items, or chance agreement 1). */
export function stat(x: number | null | undefined): string {
  return typeof x === 'number' && isFinite(x) ? x.toFixed(3) : '–';
}

/** The key `mine.pairs` uses for a kept pair (the server's, with the NUL between the two ids). */
export function minePairKey(chosen: string, rejected: string): string {
  return chosen + '\u0000' + rejected;
}

export interface Bar {
  label: string;
  /** 0..1 */
  value: number;
  /** What the bar's tooltip and the table say: '9 of 10 (90%)'. */
  note: string;
}

/**
 * The admin's chart: each person's accuracy against the exact truth where the run has it (world
 * runs), else each person's mean Cohen's kappa on verdicts with the others (negative kappa drawn as 0).
 */
export function personBars(a: {
  people: ReadonlyArray<{ kind: string; pairs: ReadonlyArray<{ a: string; b: string; kappa: number | null }> }>;
  accuracyVsTruth?: ReadonlyArray<{ personId: string; name: string; checked: number; correct: number }>;
  perPerson: ReadonlyArray<{ personId: string; name: string }>;
}): { title: string; bars: Bar[] } {
  if (a.accuracyVsTruth && a.accuracyVsTruth.some((p) => p.checked > 0)) {
    return {
      title: 'accuracy against the exact truth',
      bars: a.accuracyVsTruth.filter((p) => p.checked > 0).map((p) => ({
        label: p.name, value: p.correct / p.checked,
        note: p.correct + ' of ' + p.checked + ' (' + Number((100 * p.correct / p.checked).toFixed(1)) + '%)',
      })),
    };
  }
  const verdicts = a.people.find((k) => k.kind === 'verdict');
  const bars: Bar[] = [];
  for (const p of a.perPerson) {
    const ks = (verdicts ? verdicts.pairs : []).filter((x) => (x.a === p.personId || x.b === p.personId) && typeof x.kappa === 'number')
      .map((x) => x.kappa as number);
    if (ks.length === 0) continue;
    const mean = ks.reduce((s, k) => s + k, 0) / ks.length;
    bars.push({ label: p.name, value: Math.max(0, Math.min(1, mean)), note: 'mean kappa ' + stat(mean) + ' over ' + ks.length + ' pair' + (ks.length === 1 ? '' : 's') });
  }
  return { title: 'mean Cohen\'s kappa on verdicts with the others', bars };
}
