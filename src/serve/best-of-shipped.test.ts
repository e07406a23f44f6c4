import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { loadCheckpoint } from '../model/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { initEngine } from '../tensor/tf.ts';
import type { BestOfCompletion } from './best-of.ts';
import { openBestOf } from './best-of-open.ts';
import { startServer } from './server.ts';
import { parseServeSettings } from './settings.ts';
import { image, userTurn } from './test-helpers.ts';

test('in front of a server: the shipped aligned policy picks among the reference\'s candidates, sampled and scored through its URL, by the reward recomputed from independent logProbs', async () => {
  await initEngine();
  const settings = loadSettings();
  const base = loadCheckpoint(shippedModel(settings, 'policy-base'));
  const aligned = loadCheckpoint(shippedModel(settings, 'policy-aligned'));
  // The reference (and so the sampler) is a second rlaifv serve, as a vLLM server would be.
  const upstream = await startServer({ backend: base, name: 'policy-base', port: 0, logRequests: false });
  const opened = await openBestOf(shippedModel(settings, 'policy-aligned'), parseServeSettings({ bestOf: 6, reference: `${upstream.url}/v1` }));
  const server = await startServer({ backend: opened.policy, bestOfModels: opened.bestOfModels, bestOf: 6, name: 'policy-aligned-bo6', port: 0, logRequests: false });
  try {
    assert.ok(opened.capabilities.some((l) => l.includes(upstream.url) && /response scoring/.test(l)), opened.capabilities.join('\n'));
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const res = await client.chat.completions.create({
      model: 'policy-aligned-bo6', messages: userTurn('Describe the image.') as OpenAI.Chat.ChatCompletionMessageParam[],
      n: 2, seed: 5, temperature: 1, max_tokens: 24, rlaifv: { candidates: true },
    } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming) as BestOfCompletion;
    const x = res.rlaifv!;
    assert.deepEqual(x.models, { policy: 'policy-aligned', reference: 'policy-base', sampler: 'policy-base' });

    // The candidates are the reference's own samples at seeds 5..10.
    const [sampled] = await base.generate([{ image, prompt: 'Describe the image.', seed: 5 }], { n: 6, seed: 5, temperature: 1, topP: 1, maxTokens: 24 });
    assert.deepEqual(x.candidates.map((c) => c.text), sampled!.map((c) => c.text));
    assert.ok(new Set(x.candidates.map((c) => c.text)).size > 1, 'temperature 1 gives different candidates');

    // Each reward by hand from independent scoring calls: (β/T) (Σ log π - Σ log π_ref), T the scored answer tokens.
    const requests = sampled!.map((c) => ({ image, prompt: 'Describe the image.', response: c.text }));
    const [underPolicy, underReference] = [await aligned.logProbs(requests), await base.logProbs(requests)];
    const rewards = underPolicy.map((p, k) => {
      const r = underReference[k]!;
      assert.equal(p.tokenLogProbs.length, r.tokenLogProbs.length);
      const T = p.tokenLogProbs.length;
      assert.equal(x.candidates[k]!.tokens, T);
      assert.ok(Math.abs(x.candidates[k]!.policyLogProb - p.sum) < 1e-4 && Math.abs(x.candidates[k]!.referenceLogProb - r.sum) < 1e-4, `candidate ${k}`);
      const reward = (0.1 / T) * (p.sum - r.sum);
      assert.ok(Math.abs(x.candidates[k]!.reward - reward) < 1e-5, `candidate ${k}: ${x.candidates[k]!.reward} vs ${reward}`);
      return reward;
    });
    const byReward = rewards.map((_, k) => k).sort((a, b) => rewards[b]! - rewards[a]! || a - b);
    assert.deepEqual(x.picked, byReward.slice(0, 2), `rewards ${rewards.map((r) => r.toFixed(4)).join(' ')}`);
    assert.deepEqual(res.choices.map((c) => c.message.content), byReward.slice(0, 2).map((k) => sampled![k]!.text));
    const sampledTokens = sampled!.reduce((s, c) => s + c.tokens, 0);
    assert.equal(x.cost.sampledTokens, sampledTokens);
    assert.equal(x.cost.scoredTokens.policy, underPolicy.reduce((s, p) => s + p.tokenLogProbs.length, 0));
    // Over HTTP a candidate's own count is the server's total split by text length (the API reports the total only),
    // so the exact figure is that of all candidates: n = best_of returns them all, best first.
    const all = await client.chat.completions.create({
      model: 'policy-aligned-bo6', messages: userTurn('Describe the image.') as OpenAI.Chat.ChatCompletionMessageParam[], n: 6, seed: 5, temperature: 1, max_tokens: 24,
    });
    assert.deepEqual(all.choices.map((c) => c.message.content), byReward.map((k) => sampled![k]!.text));
    assert.equal(all.usage!.completion_tokens, sampledTokens);
  } finally {
    await server.close();
    await opened.close();
    await upstream.close();
    base.dispose();
    aligned.dispose();
  }
});
