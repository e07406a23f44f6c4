/**
 * The questions stage's LLM method (docs/method.md §2.2): a text LLM rewrites each claim as a yes/no question
 * for the labeler.
 */
import type { ChatModel } from '../../backend/types.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import { completeSparse } from '../divide/complete.ts';
import { parseQuestions, type Conversion } from './parse.ts';
import { buildConvertPrompt } from './prompt.ts';
import type { ConvertSettings } from './settings.ts';

/**
 * Convert with a text LLM. Item i is sampled with seed `seed + i` (chunked callers pass
 * `seed + offset`). An item with no non-empty claims gets no call and `{ ok: true, questions: [] }`;
 * scoring then reports it as having no claims.
 *
 * `await convertWithLlm(chat, [['There is a dog.']], parseConvertSettings(), 0)`
 * -> `[{ ok: true, questions: ['Is there a dog?'], raw: '### Modified sentences:\n- Is there a dog?' }]`
 */
export async function convertWithLlm(
  chat: ChatModel, claimsPerItem: ReadonlyArray<readonly string[]>, settings: ConvertSettings, seed: number,
): Promise<Conversion[]> {
  const claims = claimsPerItem.map(nonEmptyClaims);
  const prompts = claims.map((c) => (c.length === 0 ? undefined : buildConvertPrompt(c, settings.template)));
  const raws = await completeSparse(chat, prompts, settings, seed);
  return raws.map((raw, i) => (raw === undefined ? { ok: true, questions: [] } : { ...parseQuestions(raw, claims[i]!.length), raw }));
}
