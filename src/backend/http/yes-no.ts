/**
 * Yes/no verdicts from the labeler's first answer token (docs/method.md §2.3): sum the probabilities of
 * the tokens that read yes/Yes and no/No among the top alternatives.
 */
import type { YesNoResult } from '../types.ts';

export type AnswerToken = 'yes' | 'Yes' | 'no' | 'No';
export interface TokenLogprob {
  token: string;
  logprob: number;
}

const ANSWERS: ReadonlySet<string> = new Set<AnswerToken>(['yes', 'Yes', 'no', 'No']);

/**
 * The word a token spells once leading whitespace and tokenizer space markers are removed:
 * SentencePiece '▁' and byte-level BPE 'Ġ' (space) / 'Ċ' (newline). `normaliseAnswerToken('▁Yes') === 'Yes'`.
 */
export function normaliseAnswerToken(token: string): string {
  return token.replace(/^[\s\u2581\u0120\u010a]+/u, '');
}

/**
 * P(yes), P(Yes), P(no), P(No) from top alternatives; absent tokens count 0, and variants that
 * normalise to the same word are summed. Exactly these four spellings count, as in the official
 * labeler (docs/method.md §2.3): 'YES'/'NO' and 'yes.' do not, so the verdict matches the reference data.
 * `yesNoScores([{ token: ' Yes', logprob: Math.log(0.7) }]).Yes` is 0.7.
 */
export function yesNoScores(top: readonly TokenLogprob[]): Record<AnswerToken, number> {
  const scores: Record<AnswerToken, number> = { yes: 0, Yes: 0, no: 0, No: 0 };
  for (const { token, logprob } of top) {
    const word = normaliseAnswerToken(token);
    if (ANSWERS.has(word) && Number.isFinite(logprob)) scores[word as AnswerToken] += Math.exp(logprob);
  }
  return scores;
}

/** `{ yes: P(yes) + P(Yes), no: P(no) + P(No) }`, the input of `accepts` (types.ts). */
export function yesNoFromTopLogprobs(top: readonly TokenLogprob[]): YesNoResult {
  const s = yesNoScores(top);
  return { yes: s.yes + s.Yes, no: s.no + s.No };
}
