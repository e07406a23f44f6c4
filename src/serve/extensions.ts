/**
 * Optional methods a backend may add for a better server. They are declared here, not in the model
 * specification, because only the server needs them; every `ModelBackend` is servable without them.
 */
import type { ModelBackend } from '../backend/types.ts';
import type { RgbImage } from '../image/rgb.ts';

export interface TokenLogprob {
  token: string;
  logprob: number;
}

export interface ServeExtensions {
  /**
   * The `k` most likely first tokens of the answer to `prompt` (the full prompt, yes/no suffix
   * included), most likely first, with natural-log probabilities. Without it, yes/no requests are
   * answered from `yesNo` with two entries only: 'Yes' = log(P(yes)+P(Yes)), 'No' = log(P(no)+P(No)).
   */
  firstTokenTopLogprobs?(image: RgbImage, prompt: string, k: number): Promise<TokenLogprob[]>;
  /**
   * The prompt's length and the model's context in tokens (image tokens included). A prompt with no
   * room left for one answer token (`promptTokens >= contextTokens`) is refused with vLLM's 400
   * before it reaches the backend; without this method the backend's own PromptTooLongError is.
   */
  promptFit?(prompt: string): { promptTokens: number; contextTokens: number };
  /** Prompt length in tokens, for `usage.prompt_tokens`; without it the server counts whitespace-separated words. */
  countPromptTokens?(prompt: string): number;
}

export type ServableBackend = ModelBackend & ServeExtensions;

/** Prompt tokens for `usage`: the backend's count when it has one, else a word-count estimate. */
export function promptTokens(backend: ServeExtensions, prompt: string): number {
  return backend.countPromptTokens?.(prompt) ?? prompt.split(/\s+/).filter(Boolean).length;
}
