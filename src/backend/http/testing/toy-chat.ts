/**
 * A toy tokenizer and Vicuna-style chat template for the fake server, so that vLLM's
 * prompt_logprobs + /tokenize scoring path can be exercised end to end without a model:
 *   <s> USER: <image>x4 words... ASSISTANT: words... </s> <nl>
 * Tokens are whitespace-separated words; ids are hashes; each token has a fixed log-probability.
 */
import { deriveSeed } from '../../../util/rng.ts';

/** Image placeholder tokens per image: the scored prompt has them, text-only /tokenize renders do not. */
export const IMAGE_TOKENS = 4;
export const EOS = '</s>';

export interface RenderOptions {
  addGenerationPrompt: boolean;
  continueFinalMessage: boolean;
}

interface Message {
  role?: unknown;
  content?: unknown;
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** `tokenId('cube')`: a stable id for a token string. */
export function tokenId(token: string): number {
  return deriveSeed('toy-token', token) % 100_000;
}

/** The fixed log-probability the toy model gives a token, in [-4, -0.1]. */
export function tokenLogprob(token: string): number {
  return -(1 + (deriveSeed('toy-logprob', token) % 40)) / 10;
}

/** Render chat messages to toy tokens, honouring vLLM's add_generation_prompt / continue_final_message. */
export function render(messages: readonly Message[], o: RenderOptions): string[] {
  const out = ['<s>'];
  messages.forEach((m, i) => {
    if (m.role === 'assistant') {
      out.push('ASSISTANT:', ...words(typeof m.content === 'string' ? m.content : ''));
      if (!(o.continueFinalMessage && i === messages.length - 1)) out.push(EOS, '<nl>');
      return;
    }
    out.push('USER:');
    if (typeof m.content === 'string') out.push(...words(m.content));
    else if (Array.isArray(m.content)) {
      for (const part of m.content as Array<{ type?: string; text?: string }>) {
        if (part.type === 'image_url') out.push(...Array<string>(IMAGE_TOKENS).fill('<image>'));
        else if (part.type === 'text') out.push(...words(part.text ?? ''));
      }
    }
  });
  if (o.addGenerationPrompt) out.push('ASSISTANT:');
  return out;
}

/** What `rlaifv serve` would answer: the response's tokens and end-of-sequence, with their log-probabilities. */
export function responseLogprobs(response: string): { tokens: string[]; token_logprobs: number[]; sum: number } {
  const tokens = [...words(response), EOS];
  const token_logprobs = tokens.map(tokenLogprob);
  return { tokens, token_logprobs, sum: token_logprobs.reduce((a, b) => a + b, 0) };
}
