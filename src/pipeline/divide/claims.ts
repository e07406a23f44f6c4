/**
 * The claims that count. docs/method.md §2.4 compares the number of verdicts with the number of NON-EMPTY
 * claims, so every stage (convert, check, score) uses this one definition: a claim that is blank
 * after trimming does not count and is never asked about.
 *
 * `nonEmptyClaims(['A cat.', '  ', 'A mat.']) -> ['A cat.', 'A mat.']`
 */
export function nonEmptyClaims(claims: readonly string[]): string[] {
  return claims.filter((c) => c.trim() !== '');
}
