/**
 * The keys the store's views are indexed by (re-exported by `./store.ts`). `\u0000` cannot occur
 * in a stored id or question (the store refuses control characters), so no two targets share a key.
 */

/** The same as the label stage's `humanKey`: `verdictKey('w0-3', ' Is it red? ')` -> `'w0-3\u0000Is it red?'`. */
export function verdictKey(instructionId: string, question: string): string {
  return `${instructionId}\u0000${question.trim()}`;
}

/** A candidate of an instruction (ratings, comments, corrections): `targetKey('w0-3', 'c1')` -> `'w0-3\u0000c1'`. */
export function targetKey(instructionId: string, candidateId: string): string {
  return `${instructionId}\u0000${candidateId}`;
}

/** A kept pair: `pairKey('w0-3', 'c1', 'c2')` -> `'w0-3\u0000c1\u0000c2'`. */
export function pairKey(instructionId: string, chosen: string, rejected: string): string {
  return `${instructionId}\u0000${chosen}\u0000${rejected}`;
}
