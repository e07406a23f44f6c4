/**
 * The RLAIF-V reward of candidates scored by the shipped models, against log-probabilities read
 * independently: the distribution of the first answer token after the prompt (the path the yes/no
 * labeler uses). What it checks is the response-token boundary: the first scored token is the
 * answer's first, conditioned on the whole prompt, and no prompt token is scored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckpoint } from '../model/index.ts';
import { EOS } from '../model/tokenizer.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { openStore } from '../store/index.ts';
import { initEngine } from '../tensor/tf.ts';
import { createWorld, renderScene } from '../world/index.ts';
import { scoreUnder } from './score.ts';
import { rlaifvReward } from './select.ts';

test('reward = (β/T) Σ (log π - log π_ref) over the answer\'s tokens and <eos> only, read against each model\'s first-token distribution', async () => {
  await initEngine();
  const settings = loadSettings();
  const policy = loadCheckpoint(shippedModel(settings, 'policy-aligned'));
  const reference = loadCheckpoint(shippedModel(settings, 'policy-base'));
  const image = renderScene(createWorld({ worldSeed: 0 }).scene('test', 0));
  const store = openStore(':memory:');
  const prompts = ['Describe the image.', 'Describe the image in detail, naming every shape you can see in it.'];
  for (const prompt of prompts) {
    const candidates = [{ image, prompt, response: '' }, { image, prompt, response: 'circle' }];
    const [p, r] = [await scoreUnder(policy, 'aligned', candidates, { store }), await scoreUnder(reference, 'base', candidates, { store })];
    const [firstP, firstR] = [(await policy.firstTokenLogProbs([{ image, prompt }]))[0]!, (await reference.firstTokenLogProbs([{ image, prompt }]))[0]!];
    // The empty answer is one token, <eos>: T = 1 whatever the prompt's length, and its log-prob is
    // the first-token distribution's at <eos>.
    assert.deepEqual([p[0]!.tokens, r[0]!.tokens], [1, 1], prompt);
    assert.ok(Math.abs(p[0]!.sum - firstP[EOS]!) < 1e-4, `${p[0]!.sum} vs ${firstP[EOS]}`);
    assert.ok(Math.abs(r[0]!.sum - firstR[EOS]!) < 1e-4, `${r[0]!.sum} vs ${firstR[EOS]}`);
    const handReward = 0.1 * (firstP[EOS]! - firstR[EOS]!);
    assert.ok(Math.abs(rlaifvReward({ policy: p[0]!, reference: r[0]! }, 0.1) - handReward) < 1e-5);
    // 'circle' is one word token plus <eos>: T = 2, and the first scored token is 'circle' after the prompt.
    assert.deepEqual([p[1]!.tokens, r[1]!.tokens], [2, 2], prompt);
    const [detailP, detailR] = [(await policy.logProbs([candidates[1]!]))[0]!, (await reference.logProbs([candidates[1]!]))[0]!];
    const circle = policy.tokenizer.id('circle');
    assert.notEqual(circle, policy.tokenizer.id('<unk>'), "'circle' is a word of the vocabulary");
    assert.ok(Math.abs(detailP.tokenLogProbs[0]! - firstP[circle]!) < 1e-4);
    assert.ok(Math.abs(detailR.tokenLogProbs[0]! - firstR[circle]!) < 1e-4);
    const reward = rlaifvReward({ policy: p[1]!, reference: r[1]! }, 0.1);
    assert.ok(Math.abs(reward - (0.1 / 2) * (detailP.tokenLogProbs[0]! + detailP.tokenLogProbs[1]! - detailR.tokenLogProbs[0]! - detailR.tokenLogProbs[1]!)) < 1e-5);
  }
  store.close();
  policy.dispose();
  reference.dispose();
});
