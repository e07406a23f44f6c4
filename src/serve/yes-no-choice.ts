/**
 * Yes/no questions with logprobs: the labeler's call of docs/method.md §2.3 as a one-token chat completion with
 * OpenAI's `logprobs.content[0].top_logprobs`, so the HTTP backend reads P(yes), P(Yes), P(no), P(No)
 * from this server exactly as it reads them from vLLM.
 */
import { YES_NO_SUFFIX, type ModelBackend, type YesNoResult } from '../backend/types.ts';
import type { ServeExtensions, TokenLogprob } from './extensions.ts';
import type { Answer } from './generate-choices.ts';
import type { Turn } from './messages.ts';
import type { ChatRequest } from './parse-request.ts';
import { jsonLogprob, utf8Bytes, type TopLogprob } from './wire.ts';

/** A yes/no request: logprobs wanted, one token, and the prompt ends with `YES_NO_SUFFIX`. */
export function isYesNoRequest(req: ChatRequest, prompt: string): boolean {
  return req.logprobs && req.maxTokens === 1 && prompt.endsWith(YES_NO_SUFFIX);
}

/**
 * The fallback when the backend has no `firstTokenTopLogprobs`: two entries, most likely first.
 * Example: `{yes: 0.7, no: 0.2}` -> `[{token:'Yes', logprob: log 0.7}, {token:'No', logprob: log 0.2}]`.
 */
function yesNoTopLogprobs(r: YesNoResult): TokenLogprob[] {
  const yes = { token: 'Yes', logprob: Math.log(r.yes) };
  const no = { token: 'No', logprob: Math.log(r.no) };
  // A tie ranks 'No' first, so the answer agrees with the accept rule (a tie rejects, docs/method.md §2.3).
  return r.yes > r.no ? [yes, no] : [no, yes];
}

/**
 * One choice whose content is the most likely first token; `top_logprobs` holds `req.topLogprobs`
 * entries (at most two without `firstTokenTopLogprobs`). `backend` answers `yesNo` (it may be the
 * micro-batching wrapper); `extensions` are the real backend's optional methods.
 */
export async function yesNoChoice(backend: ModelBackend, extensions: ServeExtensions, turn: Turn, req: ChatRequest): Promise<Answer> {
  let ranked: TokenLogprob[];
  if (extensions.firstTokenTopLogprobs) {
    const got = await extensions.firstTokenTopLogprobs(turn.image, turn.prompt, Math.max(req.topLogprobs, 1));
    if (got.length === 0) throw new Error(`backend ${backend.name}: firstTokenTopLogprobs returned no tokens`);
    ranked = [...got].sort((a, b) => b.logprob - a.logprob);
  } else {
    const question = turn.prompt.slice(0, -YES_NO_SUFFIX.length);
    const [result] = await backend.yesNo([{ image: turn.image, question }]);
    if (!result) throw new Error(`backend ${backend.name}: yesNo returned no result`);
    ranked = yesNoTopLogprobs(result);
  }
  const best = ranked[0]!;
  return {
    choices: [{
      index: 0,
      message: { role: 'assistant', content: best.token },
      finish_reason: 'length',
      logprobs: { content: [{ ...wireLogprob(best), top_logprobs: ranked.slice(0, req.topLogprobs).map(wireLogprob) }] },
    }],
    completionTokens: 1,
  };
}

function wireLogprob(t: TokenLogprob): TopLogprob {
  return { token: t.token, logprob: jsonLogprob(t.logprob), bytes: utf8Bytes(t.token) };
}
