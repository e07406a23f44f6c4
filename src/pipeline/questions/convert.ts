/**
 * The convert step (SPEC §2.2): each claim becomes a yes/no question for the labeler. Stages depend on
 * the `Converter` interface; the LLM converter and the rule-based fallback are interchangeable.
 */
import type { ChatModel } from '../../backend/types.ts';
import { nonEmptyClaims } from '../divide/claims.ts';
import { completeSparse } from '../divide/complete.ts';
import { parseQuestions, type Conversion } from './parse.ts';
import { buildConvertPrompt } from './prompt.ts';
import type { ConvertSettings } from './settings.ts';

/**
 * One `Conversion` per item. When `ok`, `questions[i]` is the question for the i-th NON-EMPTY claim
 * of the item (blank claims are skipped, see `nonEmptyClaims`).
 */
export interface Converter {
  convert(claimsPerItem: ReadonlyArray<readonly string[]>): Promise<Conversion[]>;
}

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

/** `convertWithLlm` behind the `Converter` interface. */
export function llmConverter(chat: ChatModel, settings: ConvertSettings, seed: number): Converter {
  return { convert: (claimsPerItem) => convertWithLlm(chat, claimsPerItem, settings, seed) };
}
