/**
 * Request bodies, kept apart from sending them (as vercel/ai's getArgs): each function maps
 * rlaifv's settings to the OpenAI chat wire format, plus the vLLM extras where needed.
 */
import type { DecodingSettings } from '../types.ts';
import { YES_NO_SUFFIX } from '../types.ts';

export type ChatBody = Record<string, unknown> & { model: string; messages: unknown[] };

type ContentPart = { type: 'image_url'; image_url: { url: string } } | { type: 'text'; text: string };

/** A user turn; the image part comes first, as LLaVA-style templates expect `<image>\n<text>`. */
export function userTurn(text: string, imageUrl?: string): { role: 'user'; content: ContentPart[] } {
  const content: ContentPart[] = imageUrl ? [{ type: 'image_url', image_url: { url: imageUrl } }] : [];
  content.push({ type: 'text', text });
  return { role: 'user', content };
}

/** Sampling one or `n` candidates; with n > 1 the server seeds the request with `seed`. */
export function generateBody(model: string, imageUrl: string | undefined, prompt: string, d: DecodingSettings, seed: number, n: number): ChatBody {
  return {
    model,
    messages: [userTurn(prompt, imageUrl)],
    temperature: d.temperature,
    top_p: d.topP,
    max_tokens: d.maxTokens,
    seed,
    ...(n > 1 ? { n } : {}),
  };
}

/** One greedy token with its top alternatives (docs/method.md §2.3). */
export function yesNoBody(model: string, imageUrl: string, question: string, topLogprobs: number): ChatBody {
  return {
    model,
    messages: [userTurn(question + YES_NO_SUFFIX, imageUrl)],
    max_tokens: 1,
    temperature: 0,
    logprobs: true,
    top_logprobs: topLogprobs,
  };
}

/**
 * Scoring a given response. 'open' is the contract with `rlaifv serve` (the assistant turn left
 * open; the server answers `response_logprobs`). 'closed' is the vLLM shape: the template closes
 * the turn, so the end-of-turn token's log-probability is in `prompt_logprobs` too.
 */
export function scoreBody(model: string, imageUrl: string, prompt: string, response: string, turn: 'open' | 'closed'): ChatBody {
  return {
    model,
    messages: [userTurn(prompt, imageUrl), { role: 'assistant', content: response }],
    max_tokens: 1,
    temperature: 0,
    prompt_logprobs: 0,
    add_generation_prompt: false,
    continue_final_message: turn === 'open',
  };
}

/** Text-only chat for the divide and convert steps (docs/method.md §2.1-2.2). */
export function completeBody(model: string, prompt: string, d: DecodingSettings, seed: number): ChatBody {
  return {
    model,
    messages: [{ role: 'user', content: prompt }],
    temperature: d.temperature,
    top_p: d.topP,
    max_tokens: d.maxTokens,
    seed,
  };
}

/** vLLM POST /tokenize of a text-only render (see vllm-scoring.ts for why three). */
export function tokenizeBody(model: string, prompt: string, response: string, render: 'head' | 'open' | 'full'): Record<string, unknown> {
  const messages: unknown[] = [userTurn(prompt)];
  if (render !== 'head') messages.push({ role: 'assistant', content: response });
  return {
    model,
    messages,
    add_generation_prompt: render === 'head',
    continue_final_message: render === 'open',
    return_token_strs: true,
  };
}
