import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../store/index.ts';
import { tempDir } from '../util/temp-dir.ts';
import { Rng } from '../util/rng.ts';
import { createWorld, describe } from '../world/index.ts';
import { craftedModels } from './testing.ts';
import { worldBonCurve } from './world.ts';

const world = createWorld({ worldSeed: 0 });
const scenes = Array.from({ length: 6 }, (_, k) => world.scene('test', k));

test('the world curve: the reward picks hallucination-free answers from N=2 on, the reference perplexity cannot tell; a rerun calls no model', async () => {
  const store = openStore(':memory:');
  const models = craftedModels(scenes);
  const curve = await worldBonCurve(models, { n: [1, 2, 4], limit: 6 }, store);
  const at = (selector: keyof typeof curve.selectors, n: number) => curve.selectors[selector].find((p) => p.n === n)!;
  // Candidate 0 hallucinates in every scene, candidate 1 does not: N=1 is never clean, the reward is from N=2 on.
  assert.equal(at('reward', 1).hallucinationFree, 0);
  assert.equal(at('reward', 2).hallucinationFree, 1);
  assert.equal(at('reward', 4).chairI, 0);
  // The reference scores every word -1: its perplexities tie, so it keeps the first (hallucinated) candidate.
  assert.equal(at('referencePerplexity', 4).hallucinationFree, 0);
  // The unnormalised sum also prefers the truthful (shorter) answer here: its log-ratio is 0, the other's negative.
  assert.equal(at('sum', 4).hallucinationFree, 1);
  assert.ok(at('reward', 4).meanWords < at('reward', 1).meanWords, 'the truthful answers are the shorter ones');
  assert.deepEqual(curve.selectors.reward.map((p) => p.n), [1, 2, 4]);
  assert.deepEqual(curve.source, { bench: 'world', prompts: 6 });
  const calls = [models.sampler.calls, models.policy.calls, models.reference.calls];
  const again = await worldBonCurve(models, { n: [1, 2, 4], limit: 6 }, store);
  assert.deepEqual(again, curve);
  assert.deepEqual([models.sampler.calls, models.policy.calls, models.reference.calls], calls, 'replayed from the store');
  store.close();
});

test('cost: tokens sampled and scored per answer from the candidates\' lengths; model time only for calls made, summed over a resume', async () => {
  const path = `${tempDir('bon-cost-')}/run.sqlite`;
  const models = craftedModels(scenes);
  // Sampling is killed after the first batch (4 prompts): the rerun resumes with the other 2.
  const failing = { ...models, sampler: { name: 'crafted', generate: async (batch: Parameters<typeof models.sampler.generate>[0], o: Parameters<typeof models.sampler.generate>[1]) => {
    if (models.sampler.calls === 1) throw new Error('killed');
    return models.sampler.generate(batch, o);
  } } };
  let store = openStore(path);
  await assert.rejects(worldBonCurve(failing, { n: [1, 4], limit: 6 }, store), /killed/);
  assert.equal(models.sampler.calls, 1);
  store.close();
  store = openStore(path);
  const curve = await worldBonCurve(models, { n: [1, 4], limit: 6 }, store);
  assert.equal(models.sampler.calls, 2, 'the rerun samples only the prompts the first run did not finish');
  // The scorer counts words: per scene two exact descriptions and two with the 9-word added sentence
  // ("There is a red X at the top left."), so the mean is the description's mean length + 4.5.
  const descriptionWords = scenes.map((scene) => describe(scene, new Rng(1)).text.split(/\s+/).length);
  const { cost } = curve;
  assert.equal(cost.meanCandidateTokens, descriptionWords.reduce((a, b) => a + b, 0) / scenes.length + 4.5);
  assert.deepEqual(cost.perAnswer.map((p) => p.n), [1, 4]);
  assert.equal(cost.perAnswer[1]!.sampledTokens, 4 * cost.meanCandidateTokens);
  assert.equal(cost.perAnswer[1]!.scoredTokens, 8 * cost.meanCandidateTokens);
  assert.ok(cost.seconds.sampling > 0 && cost.seconds.scoring > 0 && cost.scoringShare! > 0 && cost.scoringShare! < 1);
  const stages: Array<{ label: string; total: number; last: [number, number] }> = [];
  const progress = { stage: (label: string, total: number) => {
    const s = { label, total, last: [0, 0] as [number, number] };
    stages.push(s);
    return { update: (done: number, hits: number) => { s.last = [done, hits]; }, finish: () => s };
  } };
  const replay = await worldBonCurve(models, { n: [1, 4], limit: 6 }, store, progress);
  assert.deepEqual(replay.cost, cost, 'a replay makes no call and adds no time');
  // Progress per stage, counted; on a replay everything comes from the store.
  assert.deepEqual(stages.map((st) => [st.label, st.total, st.last]), [
    ['sampling 4 candidates per prompt', 6, [6, 6]], ['scoring under the policy', 24, [24, 24]], ['scoring under the reference', 24, [24, 24]],
    ['measuring every selector at every N', 10, [10, 0]],
  ]);
  store.close();
});
