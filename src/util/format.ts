/** Number formatting for people: the one way a share is written as a percentage. */

/**
 * A share as a percentage with `digits` decimals; `missing` for a value not measured (null,
 * undefined, NaN). `percent(0.273) // '27.3%'`, `percent(null, 1, 'n/a') // 'n/a'`.
 */
export function percent(x: unknown, digits = 1, missing = '–'): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : missing;
}
