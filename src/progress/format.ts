/** Short, fixed-style texts for durations, rates and counts in progress lines and summaries. */

/**
 * Seconds as the two most useful units: `formatDuration(7)` -> `'7s'`, `185` -> `'3m05s'`,
 * `3720` -> `'1h02m'`; unknown (NaN, Infinity, negative) -> `'--'`.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/**
 * Items per second with three significant digits, or seconds per item when slower than one a
 * second (an LLM judge can take longer per request): `formatRate(12.345)` -> `'12.3 it/s'`,
 * `formatRate(0.25, 'req')` -> `'4.00 s/req'`, unknown -> `'-- it/s'`.
 */
export function formatRate(perSecond: number | undefined, unit = 'it'): string {
  if (perSecond === undefined || !Number.isFinite(perSecond) || perSecond <= 0) return `-- ${unit}/s`;
  if (perSecond >= 1) return `${threeDigits(perSecond)} ${unit}/s`;
  return `${threeDigits(1 / perSecond)} s/${unit}`;
}

/** `formatPercent(1, 3)` -> `'33.3%'`; `'--%'` without a total. */
export function formatPercent(done: number, total: number | undefined): string {
  if (!total || total <= 0) return '--%';
  return `${((100 * done) / total).toFixed(1)}%`;
}

function threeDigits(x: number): string {
  // toPrecision rounds first, so 9.9996 is '10.0', not '10.00'; above 999.5 it would switch to 1.00e+3.
  return x >= 99.95 ? x.toFixed(0) : x.toPrecision(3);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
