import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockBackend } from '../backend/mock.ts';
import { openStore } from '../store/index.ts';
import { answerAll, BenchDecodingSchema, type BenchQuestion } from './answers.ts';

const image = (v: number) => ({ width: 2, height: 1, data: new Uint8Array([v, v, v, v, v, v]) });
const questions: BenchQuestion[] = [
  { id: 'q1', image: image(1), prompt: 'Describe the image.' },
  { id: 'q2', image: image(2), prompt: 'Describe the image.' },
  { id: 'q3', image: image(1), prompt: 'Is there a cat?' },
];

test('every question is asked once, greedy by default; a rerun replays from the store with no model call', async () => {
  const store = openStore(':memory:');
  const model = new MockBackend('m', { text: (r) => `${r.prompt} (${r.image.data[0]})` });
  const decoding = BenchDecodingSchema.parse({});
  assert.deepEqual(decoding, { temperature: 0, topP: 1, maxTokens: 1024, seed: 0 });
  const first = await answerAll(model, questions, { store, modelId: 'm', decoding, batchSize: 2 });
  assert.deepEqual(first, ['Describe the image. (1)', 'Describe the image. (2)', 'Is there a cat? (1)']);
  assert.equal(model.calls.generate.length, 2, 'three questions in batches of two');
  assert.equal(model.calls.generate[0]!.options.temperature, 0);
  const again = await answerAll(model, questions, { store, modelId: 'm', decoding });
  assert.deepEqual(again, first);
  assert.equal(model.calls.generate.length, 2, 'replayed: no new call');
  // Another image under the same id and prompt is another question; other decoding settings are other answers.
  await answerAll(model, [{ ...questions[0]!, image: image(9) }], { store, modelId: 'm', decoding });
  assert.equal(model.calls.generate.length, 3);
  await answerAll(model, questions.slice(0, 1), { store, modelId: 'm', decoding: { ...decoding, maxTokens: 64 } });
  assert.equal(model.calls.generate.length, 4);
  store.close();
});
