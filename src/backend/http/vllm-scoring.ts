/**
 * Scoring a given response on vLLM, which has no "log-probs of this answer" call. The scoring
 * request renders the whole conversation (user turn with image, then the assistant turn closed
 * by the template) and asks for `prompt_logprobs: 0`: the log-probability of every prompt token.
 * Which of those tokens are the response? Three text-only renders from POST /tokenize tell:
 *   head = [user]              + generation prompt   -> where the response starts
 *   open = [user, assistant]   left open             -> where the response ends
 *   full = [user, assistant]   closed                -> what the scoring request rendered
 * The response span is full[commonPrefix(full, head) .. commonPrefix(full, open)], plus the one
 * token after it: the end-of-turn token (`</s>`, `<|im_end|>`, `<|eot_id|>`), so the sum covers
 * end-of-sequence as the embedded backend and `rlaifv serve` do.
 * Positions are matched from the end, because the image (which the text-only renders lack) sits
 * in the user turn and only shifts everything before the response.
 * Limits: a template whose text after the response does not start with an end-of-turn token
 * (rare) scores that token instead; a tokenizer that merges the response's last characters
 * with the template's next text scores the merged token (it is the one the model emits).
 */
import type { SequenceLogProbs } from '../types.ts';
import { ResponseFormatError } from './errors.ts';
import type { PromptLogprobEntry } from './wire.ts';

export interface Renders {
  full: readonly number[];
  fullStrs?: readonly string[] | null;
  open: readonly number[];
  head: readonly number[];
}

/** Half-open span `[start, end)` of response tokens plus end-of-turn in `full`. */
export interface Span {
  start: number;
  end: number;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * `responseSpan({ full: [1, 5, 9, 7, 2], open: [1, 5, 9, 7], head: [1, 5] })` is `{ start: 2, end: 5 }`:
 * response tokens 9 and 7, then the end-of-turn token 2.
 */
export function responseSpan(r: Renders, where: string): Span {
  const start = commonPrefix(r.full, r.head);
  const stop = commonPrefix(r.full, r.open);
  if (stop < start) {
    throw new ResponseFormatError(where, `/tokenize renders disagree: the open assistant turn shares ${stop} tokens with the closed one, fewer than the ${start} before the response`, '');
  }
  if (stop >= r.full.length) {
    throw new ResponseFormatError(where, 'the chat template adds no token after the assistant turn, so end-of-sequence cannot be scored', '');
  }
  return { start, end: stop + 1 };
}

/**
 * Cut the response's log-probabilities out of vLLM's `prompt_logprobs`, checking that each
 * position holds the token /tokenize predicts (so a misalignment fails loudly instead of
 * scoring the wrong tokens).
 */
export function responseLogProbs(promptLogprobs: readonly PromptLogprobEntry[], r: Renders, where: string): SequenceLogProbs {
  const span = responseSpan(r, where);
  const shift = promptLogprobs.length - r.full.length;
  if (shift < 0) {
    throw new ResponseFormatError(where, `prompt_logprobs has ${promptLogprobs.length} entries, fewer than the ${r.full.length} tokens /tokenize rendered without the image`, '');
  }
  const tokens: string[] = [];
  const tokenLogProbs: number[] = [];
  for (let i = span.start; i < span.end; i++) {
    const id = r.full[i]!;
    const entry = promptLogprobs[i + shift]?.[String(id)];
    if (!entry) {
      throw new ResponseFormatError(where, `prompt_logprobs[${i + shift}] has no entry for token id ${id} that /tokenize puts there: the scored prompt and the /tokenize render do not line up (different chat template?)`, '');
    }
    tokens.push(entry.decoded_token ?? r.fullStrs?.[i] ?? String(id));
    tokenLogProbs.push(entry.logprob);
  }
  return { sum: tokenLogProbs.reduce((a, b) => a + b, 0), tokenLogProbs, tokens };
}
