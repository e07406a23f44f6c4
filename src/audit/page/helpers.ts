/**
 * The audit page's pure helpers: no DOM and no node, so the page (main.ts) and node tests
 * (helpers.test.ts) import the same code.
 */
import type { Agreement, AuditClaim, AuditInstructionRow } from '../types.ts';

/** The fields of a claim the verdict helpers read; the page's claims are `AuditClaim`s. */
type ClaimVerdict = Partial<Pick<AuditClaim, 'human' | 'labelerAccepted' | 'truth'>>;

/** The verdict in force: the person's answer where there is one, else the labeler's. */
export function finalAccepted(c: ClaimVerdict): boolean {
  return c.human === 'yes' || c.human === 'no' ? c.human === 'yes' : !!c.labelerAccepted;
}

/** The labeler disagrees with the person, or (no answer from the person) with the exact truth. */
export function isDisputed(c: ClaimVerdict): boolean {
  if (c.human === 'yes' || c.human === 'no') return !!c.labelerAccepted !== (c.human === 'yes');
  return typeof c.truth === 'boolean' && !!c.labelerAccepted !== c.truth;
}

/** Question text as the server keys it. */
export function sameQuestion(a: string, b: string): boolean {
  return String(a).trim() === String(b).trim();
}

export interface ClaimSpan<C> {
  start: number;
  end: number;
  claim: C;
}

/**
 * Where each claim sits in the answer text: the first occurrence not already taken by an earlier
 * claim, exact first, then case-insensitive. Claims the divide step rewrote are not found and get
 * no span. Returns [{ start, end, claim }] sorted by start, never overlapping.
 */
export function findClaimSpans<C extends { claim?: string | null }>(text: string, claims: readonly C[]): Array<ClaimSpan<C>> {
  text = String(text);
  const spans: Array<ClaimSpan<C>> = [];
  const free = (s: number, e: number) => spans.every((sp) => e <= sp.start || s >= sp.end);
  const lower = text.toLowerCase();
  // Lower-casing can change the length of some characters; then positions would not line up.
  const hays: Array<[string, boolean]> = lower.length === text.length ? [[text, false], [lower, true]] : [[text, false]];
  for (const claim of claims) {
    const needle = String(claim.claim == null ? '' : claim.claim).trim();
    if (!needle) continue;
    for (const [hay, folded] of hays) {
      const n = folded ? needle.toLowerCase() : needle;
      if (n.length !== needle.length) continue;
      let at = hay.indexOf(n);
      while (at >= 0 && !free(at, at + n.length)) at = hay.indexOf(n, at + 1);
      if (at >= 0) {
        spans.push({ start: at, end: at + n.length, claim });
        break;
      }
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** 0.9667 -> '96.7%'; 1 -> '100%'; null -> '–'. */
export function roundedPercent(rate: number | null | undefined): string {
  if (typeof rate !== 'number' || !isFinite(rate)) return '–';
  return String(Number((100 * rate).toFixed(1))) + '%';
}

/** A probability with 3 decimals, '–' when missing. */
export function prob(x: number | null | undefined): string {
  return typeof x === 'number' && isFinite(x) ? x.toFixed(3) : '–';
}

/** `plural(1, 'pair')` -> '1 pair'; `plural(2, 'pair')` -> '2 pairs'. */
export function plural(n: number, word: string): string {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

/** The header line: 'labeler agrees with you on 29 of 30 answered questions (96.7%)'. */
export function agreementText(a: Pick<Agreement, 'judged' | 'agree' | 'rate'> | null | undefined): string {
  if (!a || !a.judged) return 'labeler agrees with you on 0 of 0 answered questions (no answers yet)';
  return 'labeler agrees with you on ' + a.agree + ' of ' + a.judged + ' answered question' + (a.judged === 1 ? '' : 's') +
    ' (' + roundedPercent(a.rate) + ')';
}

/** Which sidebar rows a filter (the `<select>`'s value: all, pairs, disputed, unjudged) keeps. */
export function rowMatches(row: Pick<AuditInstructionRow, 'pairs' | 'disputed' | 'judged'>, filter: string): boolean {
  if (filter === 'pairs') return row.pairs > 0;
  if (filter === 'disputed') return row.disputed > 0;
  if (filter === 'unjudged') return row.judged === 0;
  return true;
}

/**
 * The whole-number scale that fits an image into a `box`-pixel square (at least 1), so pixels stay
 * square: `imageScale(16, 12, 192)` -> 12.
 */
export function imageScale(width: number, height: number, box: number): number {
  return Math.max(1, Math.floor(box / Math.max(width, height)));
}
