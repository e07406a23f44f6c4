/**
 * The divide stage's LLM method (docs/method.md §2.1): a text LLM splits each question-answer pair into
 * atomic, self-contained claims.
 */
import type { ChatModel } from '../../backend/types.ts';
import { completeSparse } from './complete.ts';
import { parseFacts } from './parse.ts';
import { buildDividePrompt } from './prompt.ts';
import type { DivideSettings } from './settings.ts';

/** One response to divide: the instruction's question and one sampled answer. */
export interface QaItem {
  question: string;
  answer: string;
}

/** The claims of one item and the raw LLM output they were parsed from (undefined when no call was made). */
export interface LlmDivision {
  claims: string[];
  raw: string | undefined;
}

/**
 * Divide with a text LLM. Item i is sampled with seed `seed + i`, so a caller that works in chunks
 * passes `seed + offset`. An answer that is blank gets no call and no claims: an LLM asked about an
 * empty answer can only invent facts from the question, and such a response must never be paired.
 *
 * `await divideWithLlm(chat, [{ question: 'Describe.', answer: 'A red car.' }], parseDivideSettings(), 0)`
 * -> `[{ claims: ['There is a red car.'], raw: '### Facts:\n- There is a red car.' }]`
 */
export async function divideWithLlm(
  chat: ChatModel, items: readonly QaItem[], settings: DivideSettings, seed: number,
): Promise<LlmDivision[]> {
  const prompts = items.map((it) =>
    it.answer.trim() === '' ? undefined : buildDividePrompt(it.question, it.answer, settings.promptWords, settings.template));
  const raws = await completeSparse(chat, prompts, settings, seed);
  return raws.map((raw) => ({ claims: raw === undefined ? [] : parseFacts(raw), raw }));
}
