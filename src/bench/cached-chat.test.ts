import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatModel } from '../backend/types.ts';
import { openStore } from '../store/index.ts';
import { cachedChat } from './cached-chat.ts';

test('judgements are stored: a rerun replays them with no call, and each prompt keeps its own seed', async () => {
  const calls: Array<{ prompts: string[]; seed: number }> = [];
  const judge: ChatModel = {
    name: 'judge',
    async complete(prompts, options) {
      calls.push({ prompts, seed: options.seed });
      return prompts.map((p, i) => `${p} @${options.seed + i}`);
    },
  };
  const store = openStore(':memory:');
  const decoding = { temperature: 0, topP: 1, maxTokens: 16 };
  const first = await cachedChat(judge, store, 'j').complete(['a', 'b'], { ...decoding, seed: 10 });
  assert.deepEqual(first, ['a @10', 'b @11']);
  const again = await cachedChat(judge, store, 'j').complete(['a', 'b'], { ...decoding, seed: 10 });
  assert.deepEqual(again, first);
  assert.equal(calls.length, 2, 'replayed, no new call');
  // Only the missing prompt is asked, with the seed it has in the whole list.
  const mixed = await cachedChat(judge, store, 'j').complete(['a', 'b', 'c'], { ...decoding, seed: 10 });
  assert.deepEqual(mixed, ['a @10', 'b @11', 'c @12']);
  assert.deepEqual(calls[2], { prompts: ['c'], seed: 12 });
  store.close();
});
