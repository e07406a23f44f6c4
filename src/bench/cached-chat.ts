/**
 * A judge (any text chat model) whose answers go through the run store, so that a rerun of a
 * benchmark replays every judgement with no call, and a killed run asks only what was missing.
 */
import type { ChatModel, DecodingSettings } from '../backend/types.ts';
import { cached, type RunStore } from '../store/index.ts';

interface ChatKey {
  prompt: string;
  seed: number;
}

/**
 * `chat` with its completions stored under `modelId` (the judge's served name): the same prompt,
 * seed and decoding settings are answered from the store.
 * @example
 * const judge = cachedChat(await openChatModel(url, { role: 'judge' }).backend, store, 'gpt-4-0613');
 */
export function cachedChat(chat: ChatModel, store: RunStore, modelId: string): ChatModel {
  return {
    name: chat.name,
    async complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]> {
      const { seed, ...decoding } = options;
      const keys: ChatKey[] = prompts.map((prompt, i) => ({ prompt, seed: seed + i }));
      const outcome = await cached(store, { stage: 'bench-judge', model: modelId, settings: decoding }, keys, (missing) =>
        // One call per prompt: each keeps its own seed, whichever others are missing with it.
        Promise.all(missing.map(async (k) => (await chat.complete([k.prompt], { ...decoding, seed: k.seed }))[0] ?? '')));
      return outcome.results;
    },
  };
}
