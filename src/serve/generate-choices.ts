/**
 * Sampling: `n` candidates, candidate j with seed `seed + j` (the specification's contract, which the
 * backend implements), one choice each.
 */
import type { ModelBackend } from '../backend/types.ts';
import type { Turn } from './messages.ts';
import type { ChatRequest } from './parse-request.ts';
import type { ChatChoice } from './wire.ts';

export interface Answer {
  choices: ChatChoice[];
  completionTokens: number;
}

/** Example: `generateChoices(backend, turn, { n: 3, seed: 7, ... })` -> choices sampled with seeds 7, 8, 9. */
export async function generateChoices(backend: ModelBackend, turn: Turn, req: ChatRequest): Promise<Answer> {
  const { n, seed, temperature, topP, maxTokens } = req;
  const [candidates] = await backend.generate([{ image: turn.image, prompt: turn.prompt, seed }], { n, seed, temperature, topP, maxTokens });
  if (!candidates || candidates.length !== n) {
    throw new Error(`backend ${backend.name} returned ${candidates?.length ?? 0} candidates, expected n = ${n}`);
  }
  return {
    choices: candidates.map((c, index) => ({
      index,
      message: { role: 'assistant', content: c.text },
      finish_reason: c.finishReason,
      logprobs: null,
    })),
    completionTokens: candidates.reduce((sum, c) => sum + c.tokens, 0),
  };
}
