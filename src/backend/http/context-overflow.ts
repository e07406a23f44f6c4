/**
 * A server's 400 for a prompt that does not fit the model's context, told apart from other 400s
 * by its wording, which differs between engines; the lengths are read when the message gives them.
 * `generate` turns such a refusal into PromptTooLongError (../context-length.ts), so the data
 * engine skips that instruction instead of failing the run.
 */
import type { PromptOverflow } from '../context-length.ts';
import { ServerError } from './errors.ts';

/** Each engine's phrasing, with the capture groups holding the prompt's and the context's lengths. */
const PHRASINGS: ReadonlyArray<{ engine: string; pattern: RegExp; prompt?: number; context?: number }> = [
  // vLLM (and rlaifv serve): "This model's maximum context length is 4096 tokens. However, your request has 5000 input tokens. ..."
  { engine: 'vllm', pattern: /maximum context length is (\d+) tokens\. However, your request has (\d+) input tokens/i, context: 1, prompt: 2 },
  // vLLM, max_tokens too large for the room left: "... maximum context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778)"
  { engine: 'vllm', pattern: /maximum context length is (\d+) tokens and your request has (\d+) input tokens/i, context: 1, prompt: 2 },
  // older vLLM, OpenAI: "... maximum context length is 4096 tokens. However, you requested 5000 tokens (4500 in the messages, 500 in the completion)"
  { engine: 'openai', pattern: /maximum context length is (\d+) tokens\. However, you requested \d+ tokens \((\d+) in the messages/i, context: 1, prompt: 2 },
  // SGLang: "The input (5000 tokens) is longer than the model's context length (4096 tokens)."
  { engine: 'sglang', pattern: /input \((\d+) tokens\) is longer than the model's context length \((\d+) tokens\)/i, prompt: 1, context: 2 },
  // llama.cpp: "request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it", or without the numbers.
  { engine: 'llama.cpp', pattern: /\((\d+) tokens\) exceeds the available context size \((\d+) tokens\)/i, prompt: 1, context: 2 },
  { engine: 'llama.cpp', pattern: /exceeds the available context size/i },
  // Any other "maximum context length is N" (a proxy's rewording).
  { engine: 'other', pattern: /maximum context length is (\d+)/i, context: 1 },
];

/**
 * The lengths a context-length refusal states, or undefined when `message` is not one:
 * `readContextOverflow("This model's maximum context length is 4096 tokens. However, your request has 5000 input tokens. ...")`
 * -> `{ promptTokens: 5000, contextTokens: 4096 }`.
 */
export function readContextOverflow(message: string): { promptTokens?: number; contextTokens?: number } | undefined {
  for (const { pattern, prompt, context } of PHRASINGS) {
    const m = pattern.exec(message);
    if (!m) continue;
    return {
      ...(prompt !== undefined && { promptTokens: Number(m[prompt]) }),
      ...(context !== undefined && { contextTokens: Number(m[context]) }),
    };
  }
  return undefined;
}

/** The PromptOverflow (for request `index`) that `err` is: a 400 whose message reads as a context-length refusal; else undefined. */
export function contextOverflowOf(err: unknown, index: number): PromptOverflow | undefined {
  if (!(err instanceof ServerError) || err.status !== 400) return undefined;
  const lengths = readContextOverflow(err.detail);
  return lengths && { index, ...lengths, message: err.detail };
}
