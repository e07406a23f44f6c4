import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GenerateOptions, GenerateRequest } from '../backend/types.ts';
import { MockBackend } from '../backend/mock.ts';
import { BatchingBackend } from './batching-backend.ts';
import { image } from './test-helpers.ts';

const options: GenerateOptions = { n: 2, seed: 100, temperature: 0.7, topP: 1, maxTokens: 16 };
const requests: GenerateRequest[] = [
  { image, prompt: 'a' }, { image, prompt: 'b', seed: 7 }, { image, prompt: 'c' }, { image, prompt: 'd', seed: 1 }, { image, prompt: 'e' },
];
// Output depends on the prompt, the seed and the settings, never on the batch.
const text = (r: GenerateRequest, seed: number) => `${r.prompt}|${seed}|${r.image.data[0]}`;

test('concurrent generate calls become one backend call with identical results', async () => {
  const direct = new MockBackend('m', { text });
  const expected = await Promise.all(requests.map((r) => direct.generate([r], options)));
  const inner = new MockBackend('m', { text });
  const batching = new BatchingBackend(inner, 8, 20);
  const got = await Promise.all(requests.map((r) => batching.generate([r], options)));
  assert.deepEqual(got, expected);
  assert.equal(inner.calls.generate.length, 1);
  assert.equal(inner.calls.generate[0]!.batch.length, 5);
  // Each request carries its own seed into the merged call, so its samples do not depend on the batch.
  assert.deepEqual(inner.calls.generate[0]!.batch.map((r) => r.seed), [100, 7, 100, 1, 100]);
});

test('calls with different decoding settings are never merged; maxBatch caps a call', async () => {
  const inner = new MockBackend('m', { text });
  const batching = new BatchingBackend(inner, 8, 20);
  const hot = { ...options, temperature: 1 };
  const [a, b] = await Promise.all([batching.generate([requests[0]!], options), batching.generate([requests[1]!], hot)]);
  assert.equal(inner.calls.generate.length, 2);
  assert.deepEqual(inner.calls.generate.map((c) => c.options.temperature).sort(), [0.7, 1]);
  assert.equal(a[0]![0]!.settings.temperature, 0.7);
  assert.equal(b[0]![0]!.settings.temperature, 1);

  const capped = new MockBackend('m', { text });
  const two = new BatchingBackend(capped, 2, 1000);
  const started = Date.now();
  await Promise.all(requests.slice(0, 4).map((r) => two.generate([r], options)));
  assert.deepEqual(capped.calls.generate.map((c) => c.batch.length), [2, 2]);
  assert.ok(Date.now() - started < 900, 'a full batch goes at once, without waiting for the window');
});

test('yesNo and logProbs calls are merged and split back in order', async () => {
  const inner = new MockBackend('m', {
    yesNo: (q) => ({ yes: q.question.length / 10, no: 0.1 }),
    logProbs: (r) => ({ sum: -r.response.length, tokenLogProbs: [-r.response.length], tokens: [r.response] }),
  });
  const batching = new BatchingBackend(inner, 8, 20);
  const yn = await Promise.all(['a', 'bb', 'ccc'].map((question) => batching.yesNo([{ image, question }])));
  assert.deepEqual(yn.map((r) => r[0]!.yes), [0.1, 0.2, 0.3]);
  assert.equal(inner.calls.yesNo.length, 1);
  const lp = await Promise.all(['x', 'yy'].map((response) => batching.logProbs([{ image, prompt: 'p', response }])));
  assert.deepEqual(lp.map((r) => r[0]!.sum), [-1, -2]);
  assert.equal(inner.calls.logProbs.length, 1);
});

test('a failing request in a batch fails alone: the others are retried unbatched', async () => {
  const inner = new MockBackend('m', {
    text: (r, seed) => {
      if (r.prompt === 'bad') throw new Error('cannot sample "bad"');
      return text(r, seed);
    },
  });
  const batching = new BatchingBackend(inner, 8, 20);
  const results = await Promise.allSettled(['a', 'bad', 'c'].map((prompt) => batching.generate([{ image, prompt }], options)));
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.match(String((results[1] as PromiseRejectedResult).reason), /cannot sample "bad"/);
  assert.equal((results[2] as PromiseFulfilledResult<unknown[][]>).value[0]!.length, 2);
});

test('a backend returning the wrong number of results is an error, not a silent mismatch', async () => {
  const inner = new MockBackend('m');
  inner.yesNo = async () => [];
  const batching = new BatchingBackend(inner, 8, 5);
  await assert.rejects(batching.yesNo([{ image, question: 'q' }]), /returned 0 results for a batch of 1/);
});

test('one backend call at a time: requests that arrive while a call runs join the next call instead of running beside it', async () => {
  const inner = new MockBackend('m', { text });
  let running = 0;
  let most = 0;
  const generate = inner.generate.bind(inner);
  inner.generate = async (batch, o) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 60));
    running--;
    return generate(batch, o);
  };
  const yesNo = inner.yesNo.bind(inner);
  inner.yesNo = async (batch) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 10));
    running--;
    return yesNo(batch);
  };
  const batching = new BatchingBackend(inner, 8, 5);
  const first = batching.generate([requests[0]!], options);
  await new Promise((r) => setTimeout(r, 20)); // the first call is running now
  const later = requests.slice(1, 4).map(async (r, i) => {
    await new Promise((w) => setTimeout(w, 10 * i)); // arriving 0, 10, 20 ms apart, each past the 5 ms window
    return batching.generate([r], options);
  });
  const yn = batching.yesNo([{ image, question: 'q' }]);
  await Promise.all([first, ...later, yn]);
  assert.deepEqual(inner.calls.generate.map((c) => c.batch.map((r) => r.prompt)), [['a'], ['b', 'c', 'd']]);
  assert.equal(most, 1, 'never two backend calls at once, yes/no included');
});
