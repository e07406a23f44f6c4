/**
 * EmbeddedModel's manners as a backend: it refuses a prompt that does not fit its context instead
 * of cutting it, and a generation hands the event loop back between decoding steps.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PromptTooLongError } from '../backend/context-length.ts';
import type { RgbImage } from '../image/rgb.ts';
import { initEngine } from '../tensor/tf.ts';
import { createModel, Tokenizer } from './index.ts';

const tok = Tokenizer.fromTexts(['There is a red circle .', 'Describe the image .']);
const tiny = { dModel: 32, nLayers: 2, nHeads: 2, maxText: 40 };
const image: RgbImage = { width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).fill(200) };
const words = (k: number) => Array.from({ length: k }, () => 'red').join(' ');
const options = { n: 2, seed: 1, temperature: 1, topP: 1, maxTokens: 30 };

before(async () => { await initEngine(); });

test('a prompt that leaves no room for an answer is refused with its lengths, before anything is computed', async () => {
  const m = createModel('t', tok, tiny, 3);
  // 9 visual tokens (48 px in 16 px patches) + <bos> prompt <sep> against 9 + maxText 40.
  assert.deepEqual(m.promptFit(words(37)), { promptTokens: 48, contextTokens: 49 });
  const [fits] = await m.generate([{ image, prompt: words(37) }], options);
  assert.deepEqual(fits!.map((c) => c.finishReason === 'stop' || c.tokens === 1), [true, true], 'the longest prompt that fits leaves one answer token');

  await assert.rejects(m.generate([{ image, prompt: 'Describe the image .' }, { image, prompt: words(38) }, { image, prompt: words(60) }], options), (err: unknown) => {
    assert.ok(err instanceof PromptTooLongError);
    assert.deepEqual(err.overflows, [
      { index: 1, promptTokens: 49, contextTokens: 49, message: "This model's maximum context length is 49 tokens. However, your request has 49 input tokens. Please reduce the length of the input messages." },
      { index: 2, promptTokens: 71, contextTokens: 49, message: "This model's maximum context length is 49 tokens. However, your request has 71 input tokens. Please reduce the length of the input messages." },
    ]);
    assert.match(err.message, /^model 't': request 1 of the batch does not fit the context \(and 1 more of the batch\): This model's maximum context length is 49 tokens/);
    return true;
  });
  m.net.dispose();
});

test('generate hands the event loop back between decoding steps, so a server keeps answering', async () => {
  const m = createModel('t', tok, tiny, 5);
  let turns = 0;
  let generating = true;
  const spin = () => {
    if (!generating) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const [cands] = await m.generate([{ image, prompt: 'Describe the image .' }], { ...options, temperature: 5 });
  generating = false;
  const steps = Math.max(...cands!.map((c) => c.tokens));
  assert.ok(steps >= 5, `a long enough answer to tell (${steps} tokens)`);
  assert.ok(turns >= steps, `the event loop turned ${turns} times during ${steps} decoding steps`);
  m.net.dispose();
});
