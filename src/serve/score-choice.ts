/**
 * Scoring a given response, the vLLM way: the response is a final assistant message continued with
 * `continue_final_message: true` and `max_tokens: 1`, and its log-probabilities come back as
 * `prompt_logprobs`. This server also returns them plainly as `response_logprobs`.
 */
import type { ModelBackend, SequenceLogProbs } from '../backend/types.ts';
import type { Answer } from './generate-choices.ts';
import type { Turn } from './messages.ts';
import { jsonLogprob, type ChatCompletion, type PromptLogprobEntry } from './wire.ts';

export interface Scored extends Answer {
  logProbs: SequenceLogProbs;
}

/** Example: `scoreChoice(backend, { image, prompt, response: 'A red cube.' })` -> the backend's log-probs of the response. */
export async function scoreChoice(backend: ModelBackend, turn: Turn): Promise<Scored> {
  const [lp] = await backend.logProbs([{ image: turn.image, prompt: turn.prompt, response: turn.response ?? '' }]);
  if (!lp || lp.tokens.length !== lp.tokenLogProbs.length) {
    throw new Error(`backend ${backend.name}: logProbs returned ${lp ? `${lp.tokens.length} tokens but ${lp.tokenLogProbs.length} log-probs` : 'nothing'}`);
  }
  return {
    // Nothing is generated: the answer is the scores, and the continuation is empty.
    choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop', logprobs: null }],
    completionTokens: 0,
    logProbs: lp,
  };
}

/** `response_logprobs`: exactly the backend's `SequenceLogProbs` (snake case; -inf as -9999). */
export function responseLogprobs(lp: SequenceLogProbs): NonNullable<ChatCompletion['response_logprobs']> {
  return { tokens: lp.tokens, token_logprobs: lp.tokenLogProbs.map(jsonLogprob), sum: jsonLogprob(lp.sum) };
}

/**
 * vLLM-shaped `prompt_logprobs` for the response only: a leading `null` stands for the image and
 * prompt (whose log-probabilities the backend does not give), then one entry per response token
 * (end-of-sequence included, as in `SequenceLogProbs`). Token ids are positional: the key of entry i
 * is `String(i)`, not a vocabulary id; `rank` is null (unknown); only the actual token is listed,
 * whatever `prompt_logprobs` count was asked. So the response's sum is the sum over entries 1..T.
 */
export function promptLogprobs(lp: SequenceLogProbs): Array<PromptLogprobEntry | null> {
  return [null, ...lp.tokens.map((token, i) => ({
    [String(i + 1)]: { logprob: jsonLogprob(lp.tokenLogProbs[i]!), rank: null, decoded_token: token },
  }))];
}
