import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockBackend } from '../backend/mock.ts';
import type { YesNoQuery, YesNoResult } from '../backend/types.ts';
import { cached, type CachedProgress } from './cached.ts';
import { openStore } from './run-store.ts';

const scope = { stage: 'double', model: 'arith', settings: { factor: 2 } };

test('cached computes only the missing inputs, in batches, and returns every result in input order', async () => {
  const store = openStore(':memory:');
  const calls: number[][] = [];
  const double = async (batch: number[]) => { calls.push(batch); return batch.map((x) => ({ x, y: 2 * x })); };

  const first = await cached(store, scope, [1, 2, 3], double);
  assert.deepEqual(first, { results: [{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 6 }], hits: 0, misses: 3 });

  calls.length = 0;
  const progress: CachedProgress[] = [];
  const second = await cached(store, scope, [5, 3, 4, 1, 6, 7, 2, 8], double, { batchSize: 2, onProgress: (p) => progress.push(p) });
  assert.deepEqual(calls, [[5, 4], [6, 7], [8]]);
  assert.deepEqual(second.results.map((r) => r.y), [10, 6, 8, 2, 12, 14, 4, 16]);
  assert.equal(second.hits, 3);
  assert.equal(second.misses, 5);
  assert.deepEqual(progress.map((p) => p.done), [3, 5, 7, 8]);
  assert.ok(progress.every((p) => p.total === 8 && p.hits === 3));

  // Other settings are other results.
  calls.length = 0;
  await cached(store, { ...scope, settings: { factor: 3 } }, [1], async (b) => b.map((x) => ({ x, y: 3 * x })));
  assert.equal((await cached(store, scope, [1], double)).results[0]!.y, 2);
  assert.deepEqual(calls, []);
  store.close();
});

test('equal inputs are computed once; results come back as stored, identical fresh or resumed', async () => {
  const store = openStore(':memory:');
  let computed = 0;
  const image = { width: 1, height: 1, data: new Uint8Array([1, 2, 3]) };
  const inputs = [{ image, q: 'a' }, { image: { ...image, data: image.data.slice() }, q: 'a' }, { image, q: 'b' }];
  const compute = async (batch: typeof inputs) => {
    computed += batch.length;
    return batch.map((b) => ({ q: b.q, when: new Date(0), missing: undefined, score: -Infinity }));
  };
  const fresh = await cached(store, scope, inputs, compute);
  assert.equal(computed, 2);
  assert.equal(fresh.misses, 3);
  const resumed = await cached(store, scope, inputs, compute);
  assert.equal(computed, 2);
  assert.equal(resumed.hits, 3);
  assert.deepEqual(fresh.results, resumed.results);
  assert.deepEqual(fresh.results[0], { q: 'a', when: '1970-01-01T00:00:00.000Z', score: -Infinity });
  store.close();
});

test('a failing batch keeps the batches that landed and stops the rest', async () => {
  const store = openStore(':memory:');
  const sent: number[] = [];
  await assert.rejects(cached(store, scope, [1, 2, 3, 4, 5, 6], async (batch) => {
    sent.push(...batch);
    if (batch.includes(3)) throw new Error('server 503');
    return batch.map((x) => x * 2);
  }, { batchSize: 2 }), /server 503/);
  assert.deepEqual(sent, [1, 2, 3, 4]);
  assert.equal(store.countResults('double'), 2);
  const resumed = await cached(store, scope, [1, 2, 3, 4, 5, 6], async (batch) => batch.map((x) => x * 2), { batchSize: 2 });
  assert.equal(resumed.hits, 2);
  assert.deepEqual(resumed.results, [2, 4, 6, 8, 10, 12]);
  store.close();
});

test('concurrent batches all land, each written as it finishes', async () => {
  const store = openStore(':memory:');
  let inFlight = 0;
  let maxInFlight = 0;
  const inputs = Array.from({ length: 20 }, (_, i) => i);
  const outcome = await cached(store, scope, inputs, async (batch) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, (batch[0]! * 7) % 5)); // finish out of order
    inFlight--;
    return batch.map((x) => x + 100);
  }, { batchSize: 3, concurrency: 3 });
  assert.equal(maxInFlight, 3);
  assert.deepEqual(outcome.results, inputs.map((x) => x + 100));
  assert.equal(store.countResults(), 20);
  store.close();
});

test('a compute with the wrong number of results, or bad options, is a clear error', async () => {
  const store = openStore(':memory:');
  await assert.rejects(cached(store, scope, [1, 2], async () => [1]), /stage 'double'\): compute returned 1 results for a batch of 2 inputs/);
  await assert.rejects(cached(store, scope, [1], async () => [undefined]), /a result cannot be undefined/);
  await assert.rejects(cached(store, scope, [1], async () => [1], { batchSize: 0 }), /batchSize must be an integer >= 1, got 0/);
  assert.equal(store.countResults(), 0);
  store.close();
});

test('works with a model backend: a labeler is asked only for unanswered questions', async () => {
  const store = openStore(':memory:');
  const labeler = new MockBackend('labeler', { yesNo: (q) => (q.question.includes('cat') ? { yes: 0.9, no: 0.1 } : { yes: 0.2, no: 0.7 }) });
  const image = { width: 1, height: 1, data: new Uint8Array([0, 0, 0]) };
  const queries: YesNoQuery[] = ['Is there a cat?', 'Is there a dog?'].map((question) => ({ image, question }));
  const labelScope = { stage: 'label', model: labeler.name, settings: {} };
  await cached<YesNoQuery, YesNoResult>(store, labelScope, queries.slice(0, 1), (b) => labeler.yesNo(b));
  const { results } = await cached<YesNoQuery, YesNoResult>(store, labelScope, queries, (b) => labeler.yesNo(b));
  assert.deepEqual(results, [{ yes: 0.9, no: 0.1 }, { yes: 0.2, no: 0.7 }]);
  assert.deepEqual(labeler.calls.yesNo.map((batch) => batch.map((q) => q.question)), [['Is there a cat?'], ['Is there a dog?']]);
  store.close();
});
