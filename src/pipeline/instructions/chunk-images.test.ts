import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkImages } from './chunk-images.ts';
import type { Instruction } from './instructions.ts';

test('chunkImages: one decode per image for the whole chunk, the same object each time; failures are not kept', async () => {
  const loads: Record<string, number> = {};
  let fail = true;
  const ins = (key: string): Instruction => ({
    id: key, question: 'Q?', kind: 'file', imageKey: key, originDataset: 'x',
    loadImage: async () => {
      loads[key] = (loads[key] ?? 0) + 1;
      if (key === 'bad' && fail) throw new Error('unreadable');
      return { width: 1, height: 1, data: new Uint8Array([key.length, 0, 0]) };
    },
    exportImage: async () => new Uint8Array(),
  });
  const images = chunkImages(['a', 'b', 'c', 'bad', 'a'].map(ins));
  const [a1, a2] = await Promise.all([images.load('a'), images.load('a')]);
  assert.equal(a1, a2, 'concurrent loads share one');
  for (const key of ['b', 'c', 'b', 'c']) await images.load(key);
  assert.equal(await images.load('a'), a1, 'a later stage gets the object the first one decoded');
  assert.deepEqual({ ...loads }, { a: 1, b: 1, c: 1 });
  await assert.rejects(images.load('bad'), /unreadable/);
  fail = false;
  assert.equal((await images.load('bad')).width, 1, 'a failed load is tried again');
  assert.equal(loads.bad, 2);
  await assert.rejects(images.load('nope'), /no instruction has image nope/);
});
