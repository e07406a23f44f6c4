import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine, tf } from '../tensor/tf.ts';
import type { RgbImage } from '../image/rgb.ts';
import { Rng } from '../util/rng.ts';
import { AdamW, createModel, loadCheckpoint, saveCheckpoint, sftLoss, Tokenizer, trainStep, CheckpointError } from './index.ts';
import { batchPatches } from './batch.ts';
import { VisionLanguageModel } from './vlm.ts';

const tok = Tokenizer.fromTexts(['There is a red circle .', 'There is a blue square .', 'Describe the image .', 'Is there a circle ? Please answer yes or no .', 'Yes No yes no']);
const tiny = { dModel: 32, nLayers: 2, nHeads: 2, maxText: 40 };

function image(seed: number, colour: [number, number, number]): RgbImage {
  const rng = new Rng(seed);
  const data = new Uint8Array(48 * 48 * 3);
  for (let i = 0; i < 48 * 48; i++) {
    const inObject = (i % 48) < 16 && Math.floor(i / 48) < 16;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = inObject ? colour[c]! : 230 + rng.int(20);
  }
  return { width: 48, height: 48, data };
}
const red = image(1, [220, 30, 30]);
const blue = image(2, [30, 30, 220]);

before(async () => { await initEngine(); });

test('same seed gives the same samples, different seeds differ, independent of batching', async () => {
  const m = createModel('t', tok, tiny, 7);
  const opts = { n: 4, seed: 100, temperature: 1, topP: 1, maxTokens: 12 };
  const a = await m.generate([{ image: red, prompt: 'Describe the image.' }], opts);
  const b = await m.generate([{ image: blue, prompt: 'Is there a circle?' }, { image: red, prompt: 'Describe the image.' }], opts);
  assert.deepEqual(a[0]!.map((c) => c.text), b[1]!.map((c) => c.text));
  assert.deepEqual(a[0]!.map((c) => c.seed), [100, 101, 102, 103]);
  assert.ok(new Set(a[0]!.map((c) => c.text)).size > 1, 'an untrained model sampled at T=1 should give different texts for different seeds');
  const again = await m.generate([{ image: red, prompt: 'Describe the image.', seed: 100 }], { ...opts, seed: 5 });
  assert.deepEqual(again[0]!.map((c) => c.text), a[0]!.map((c) => c.text));
  m.net.dispose();
});

test('per-token log-probs sum to the sequence log-prob and agree with generation (KV cache = full forward)', async () => {
  const m = createModel('t', tok, tiny, 3);
  const [cands] = await m.generate([{ image: red, prompt: 'Describe the image.' }], { n: 3, seed: 1, temperature: 1, topP: 1, maxTokens: 10 });
  const scored = await m.logProbs(cands!.map((c) => ({ image: red, prompt: 'Describe the image.', response: c.text })));
  cands!.forEach((c, i) => {
    const s = scored[i]!;
    assert.ok(Math.abs(s.sum - s.tokenLogProbs.reduce((a, x) => a + x, 0)) < 1e-6);
    const expectedLen = c.tokens + (c.finishReason === 'stop' ? 1 : 1); // response tokens + <eos>
    assert.equal(s.tokenLogProbs.length, expectedLen);
    // Generation-time log-probs (incremental, KV cache) match the full forward on the same tokens.
    const gen = c.tokenLogProbs!;
    for (let t = 0; t < c.tokens; t++) assert.ok(Math.abs(gen[t]! - s.tokenLogProbs[t]!) < 1e-3, `token ${t}: ${gen[t]} vs ${s.tokenLogProbs[t]}`);
    if (c.finishReason === 'stop') assert.ok(Math.abs(gen[c.tokens]! - s.tokenLogProbs[c.tokens]!) < 1e-3);
  });
  m.net.dispose();
});

test('yes/no probabilities are sums over the case variants and at most 1', async () => {
  const m = createModel('t', tok, tiny, 5);
  const [r] = await m.yesNo([{ image: red, question: 'Is there a circle?' }]);
  const top = await m.firstTokenTopLogprobs(red, 'Is there a circle? Please answer yes or no.', 200);
  const p = (w: string) => Math.exp(top.find((t) => t.token === w)!.logprob);
  assert.ok(Math.abs(r!.yes - (p('yes') + p('Yes'))) < 1e-6);
  assert.ok(Math.abs(r!.no - (p('no') + p('No'))) < 1e-6);
  assert.ok(r!.yes + r!.no < 1);
  m.net.dispose();
});

test('a few SFT steps lower the loss and teach the image-dependent answer', async () => {
  const m = createModel('t', tok, tiny, 11);
  const opt = new AdamW(m.net.params);
  const data = [
    { image: red, prompt: 'Describe the image.', response: 'There is a red circle.' },
    { image: blue, prompt: 'Describe the image.', response: 'There is a blue square.' },
  ];
  const batch = m.scoredBatch(data);
  const loss = () => sftLoss(m.tokenLogProbs(batch), batch.targetMask);
  const first = trainStep(m.net.params, opt, 3e-3, loss).loss;
  let last = first;
  for (let i = 0; i < 60; i++) last = trainStep(m.net.params, opt, 3e-3, loss).loss;
  assert.ok(last < first * 0.3, `loss ${first} -> ${last}`);
  const out = await m.generate([{ image: red, prompt: 'Describe the image.' }, { image: blue, prompt: 'Describe the image.' }], { n: 1, seed: 0, temperature: 0, topP: 1, maxTokens: 10 });
  assert.equal(out[0]![0]!.text, 'There is a red circle.');
  assert.equal(out[1]![0]!.text, 'There is a blue square.');
  assert.equal(tf.memory().numTensors < 1000, true);
  opt.dispose();
  m.net.dispose();
});

test('checkpoint round-trip reproduces outputs; bad checkpoints give clear errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
  try {
    const m = createModel('t', tok, tiny, 9);
    await saveCheckpoint(m, join(dir, 'a'), { seed: 9 });
    const back = loadCheckpoint(join(dir, 'a'));
    const q = [{ image: red, prompt: 'Describe the image.', response: 'There is a red circle.' }];
    assert.deepEqual(await back.logProbs(q), await m.logProbs(q));
    assert.equal(back.name, 'a');

    assert.throws(() => loadCheckpoint(join(dir, 'nope')), (e: Error) => e instanceof CheckpointError && /does not exist/.test(e.message));
    cpSync(join(dir, 'a'), join(dir, 'cut'), { recursive: true });
    const w = readFileSync(join(dir, 'cut', 'model.safetensors'));
    writeFileSync(join(dir, 'cut', 'model.safetensors'), w.subarray(0, w.length - 100));
    assert.throws(() => loadCheckpoint(join(dir, 'cut')), /truncated or corrupt/);
    cpSync(join(dir, 'a'), join(dir, 'cfg'), { recursive: true });
    const cfg = JSON.parse(readFileSync(join(dir, 'cfg', 'config.json'), 'utf8'));
    cfg.model.dModel = 64;
    writeFileSync(join(dir, 'cfg', 'config.json'), JSON.stringify(cfg));
    assert.throws(() => loadCheckpoint(join(dir, 'cfg')), /has shape \[.*\] but config.json needs/);
    cpSync(join(dir, 'a'), join(dir, 'voc'), { recursive: true });
    writeFileSync(join(dir, 'voc', 'vocab.json'), JSON.stringify([...tok.words, 'extra']));
    assert.throws(() => loadCheckpoint(join(dir, 'voc')), /different checkpoints/);
    writeFileSync(join(dir, 'voc', 'config.json'), '{not json');
    assert.throws(() => loadCheckpoint(join(dir, 'voc')), /config.json: not valid JSON/);
    m.net.dispose();
    back.net.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('positionTokens add the place words\' embeddings to each visual token, and nothing else', () => {
  const m = createModel('t', tok, tiny, 5);
  const places = Array.from({ length: 9 }, (_, n) => [n % 4, 4 + (n % 3)]);
  const placed = new VisionLanguageModel({ ...m.cfg, positionTokens: places }, m.net.params);
  const diff = tf.tidy(() => {
    const patches = tf.tensor3d(batchPatches([red], m.cfg), [1, 9, 16 * 16 * 3]);
    return (placed.embedImage(patches).sub(m.net.embedImage(patches)).arraySync() as number[][][])[0]!;
  });
  const emb = m.net.params.get('tok_emb')!.arraySync() as number[][];
  places.forEach(([a, b], n) => diff[n]!.forEach((v, j) => assert.ok(Math.abs(v - emb[a!]![j]! - emb[b!]![j]!) < 1e-5)));
  assert.throws(() => new VisionLanguageModel({ ...m.cfg, positionTokens: places.slice(1) }, m.net.params), /positionTokens lists 8 patches, the image has 9/);
  m.net.dispose();
});
