import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockBackend } from '../backend/mock.ts';
import { openStore } from '../store/index.ts';
import { scoreUnder } from './score.ts';

test('candidates are scored once per model (response tokens only, as the backend counts them); a rerun scores nothing', async () => {
  // The mock scores each response word -0.5: 'a b c' has 3 tokens, sum -1.5; the prompt is not scored.
  const model = new MockBackend('m', { logProbs: (r) => { const t = r.response.split(' '); return { sum: -0.5 * t.length, tokenLogProbs: t.map(() => -0.5), tokens: t }; } });
  const image = { width: 1, height: 1, data: new Uint8Array([1, 2, 3]) };
  const store = openStore(':memory:');
  const candidates = [{ image, prompt: 'a long prompt here', response: 'a b c' }, { image, prompt: 'a long prompt here', response: 'd' }];
  assert.deepEqual(await scoreUnder(model, 'm', candidates, { store }), [{ sum: -1.5, tokens: 3 }, { sum: -0.5, tokens: 1 }]);
  assert.deepEqual(await scoreUnder(model, 'm', candidates, { store }), [{ sum: -1.5, tokens: 3 }, { sum: -0.5, tokens: 1 }]);
  assert.equal(model.calls.logProbs.length, 1, 'scored once, in one batch');
  await scoreUnder(model, 'another model', candidates, { store });
  assert.equal(model.calls.logProbs.length, 2, 'another model scores again');
  store.close();
});
