import type { ChatModel, DecodingSettings } from '../../backend/types.ts';

/**
 * Complete the prompts that are present, skipping `undefined` ones, while keeping the seed of prompt i
 * equal to `seed + i` whatever is skipped: each run of present prompts is one `complete` call seeded
 * at its start index (ChatModel samples prompt j of a call with `options.seed + j`). So an item's
 * output depends on its position and the seed only, not on which other items needed a call.
 *
 * `await completeSparse(chat, ['a', undefined, 'b'], s, 7)` calls `complete(['a'], seed 7)` and
 * `complete(['b'], seed 9)` and returns `[outA, undefined, outB]`.
 */
export async function completeSparse(
  chat: ChatModel, prompts: ReadonlyArray<string | undefined>, sampling: DecodingSettings, seed: number,
): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = new Array(prompts.length).fill(undefined);
  const options = { temperature: sampling.temperature, topP: sampling.topP, maxTokens: sampling.maxTokens };
  let i = 0;
  while (i < prompts.length) {
    if (prompts[i] === undefined) { i++; continue; }
    const start = i;
    while (i < prompts.length && prompts[i] !== undefined) i++;
    const run = prompts.slice(start, i) as string[];
    const texts = await chat.complete(run, { ...options, seed: seed + start });
    if (texts.length !== run.length) {
      throw new Error(`chat model '${chat.name}' returned ${texts.length} completions for ${run.length} prompts; a ChatModel must return one per prompt`);
    }
    texts.forEach((t, j) => { out[start + j] = t; });
  }
  return out;
}
