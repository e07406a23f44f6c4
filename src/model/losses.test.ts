import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initEngine, tf } from '../tensor/tf.ts';
import { exampleWeights, sftLoss } from './losses.ts';

await initEngine();

// Two rows: a 3-token caption and a 1-token answer (log-probs are zero where not scored).
const logProbs = [[-1, -1, -1, 0], [-4, 0, 0, 0]];
const mask = Float32Array.from([1, 1, 1, 0, 1, 0, 0, 0]);

const cases: Array<{ weighting: 'token' | 'example'; expected: number; why: string }> = [
  { weighting: 'token', expected: (3 + 4) / 4, why: 'every scored token counts once: 7 nats over 4 tokens' },
  { weighting: 'example', expected: (3 / 3 + 4 / 1) / 2, why: 'each row is averaged first: (1 + 4) / 2' },
];
for (const c of cases) {
  test(`sftLoss '${c.weighting}': ${c.why}`, () => {
    const loss = tf.tidy(() => sftLoss(tf.tensor2d(logProbs), mask, c.weighting).dataSync()[0]!);
    assert.ok(Math.abs(loss - c.expected) < 1e-6, `${loss} != ${c.expected}`);
  });
}

test('exampleWeights skip rows with nothing scored and sum to one', () => {
  const w = tf.tidy(() => Array.from(exampleWeights(Float32Array.from([1, 1, 0, 0, 0, 1]), 3, 2).dataSync()));
  assert.deepEqual(w, [0.25, 0.25, 0, 0, 0, 0.5]);
});
