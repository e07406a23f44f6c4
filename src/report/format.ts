/**
 * Text helpers shared by the HTML report, the SVG charts and the terminal table: escaping, and
 * number formatting where a missing or non-finite value prints as a dash instead of "NaN".
 */

/** A value that may not have been measured. */
export type Maybe = number | null | undefined;

/** True for a real, finite number. */
export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** What missing values print as. */
export const DASH = '–';

/**
 * Escape text for HTML/SVG element content and quoted attributes.
 * @example escapeXml('<b> & "x"') // '&lt;b&gt; &amp; &quot;x&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}


/** A plain number with fixed decimals: `fixed(3.14159, 2) // '3.14'`. */
export function fixed(v: Maybe, digits = 2): string {
  return isNum(v) ? v.toFixed(digits) : DASH;
}

/** A count with thousands separators: `count(3900) // '3,900'`. */
export function count(v: Maybe): string {
  return isNum(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

/** Seconds as `45s`, `3m 20s` or `1h 05m`. */
export function duration(seconds: Maybe): string {
  if (!isNum(seconds)) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Relative change from `from` to `to` in percent, or undefined when it is not defined
 * (a missing value or a zero start).
 * @example relativeChange(0.27, 0.12) // -55.55...
 */
export function relativeChange(from: Maybe, to: Maybe): number | undefined {
  if (!isNum(from) || !isNum(to) || from === 0) return undefined;
  return ((to - from) / Math.abs(from)) * 100;
}

/** A signed percentage change: `signedPct(-55.56) // '−55.6%'` (a true minus sign). */
export function signedPct(change: number | undefined, digits = 1): string {
  if (change === undefined || !Number.isFinite(change)) return DASH;
  const s = Math.abs(change).toFixed(digits);
  if (Number(s) === 0) return `±${s}%`;
  return `${change < 0 ? '−' : '+'}${s}%`;
}
