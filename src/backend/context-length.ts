/**
 * Prompts that do not fit a model's context. A backend refuses such a request instead of cutting
 * the prompt, which would answer a question nobody asked, in as little as one token: the embedded
 * model before computing anything, an OpenAI-compatible server with a 400 (vLLM's "This model's
 * maximum context length is N tokens. However, your request has M input tokens. ..."), which the
 * HTTP backend turns into this error. The data engine's sample stage skips those instructions and
 * says why; `rlaifv serve` answers them with vLLM's 400.
 */
import { RlaifvError } from '../util/errors.ts';
import type { Candidate } from './types.ts';

/** One request of a batch that does not fit. */
export interface PromptOverflow {
  /** The request's position in the batch given to `generate`. */
  index: number;
  /** The prompt in tokens (image tokens included), when the model or server said. */
  promptTokens?: number;
  /** The model's context in tokens, when the model or server said. */
  contextTokens?: number;
  /** The reason in the model's (or server's) words. */
  message: string;
}

/**
 * Some requests of a `generate` batch do not fit the model's context; `overflows` names them by
 * position. A backend that answered the others anyway passes their candidates in `answered` (by
 * position, undefined for the overflows), so that a caller skipping the overflows need not ask again.
 */
export class PromptTooLongError extends RlaifvError {
  constructor(
    readonly model: string,
    readonly overflows: readonly PromptOverflow[],
    readonly answered: ReadonlyArray<Candidate[] | undefined> = [],
  ) {
    const first = overflows[0];
    const more = overflows.length > 1 ? ` (and ${overflows.length - 1} more of the batch)` : '';
    super(`model '${model}': request ${first?.index ?? '?'} of the batch does not fit the context${more}: ${first?.message ?? 'no reason given'}`);
    this.name = 'PromptTooLongError';
  }
}

/**
 * vLLM's words for a prompt that leaves no room for an answer, which clients (ours included, see
 * `readContextOverflow`) recognise: `contextLengthMessage(121, 130)` ->
 * "This model's maximum context length is 121 tokens. However, your request has 130 input tokens. Please reduce the length of the input messages."
 */
export function contextLengthMessage(contextTokens: number, promptTokens: number): string {
  return `This model's maximum context length is ${contextTokens} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`;
}
