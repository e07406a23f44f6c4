import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Candidate, GenerateOptions, GenerateRequest, ResponseScorer, Sampler, ScoreRequest, SequenceLogProbs } from '../backend/types.ts';
import { imageDigest } from '../image/digest.ts';
import { openStore } from '../store/index.ts';
import { Rng } from '../util/rng.ts';
import { createWorld, describe, renderScene, SHAPES, type Scene } from '../world/index.ts';
import { worldBonCurve } from './world.ts';

const world = createWorld({ worldSeed: 0 });
const scenes = new Map<string, Scene>(Array.from({ length: 6 }, (_, k) => world.scene('test', k)).map((scene) => [imageDigest(renderScene(scene)), scene]));

/** Candidate j of a scene: the exact description, with an absent shape added when j is even. */
const sampler: Sampler & { calls: number } = {
  name: 'crafted', calls: 0,
  async generate(batch: GenerateRequest[], o: GenerateOptions): Promise<Candidate[][]> {
    this.calls++;
    return batch.map((r) => {
      const scene = scenes.get(imageDigest(r.image))!;
      const truth = describe(scene, new Rng(1)).text;
      const absent = SHAPES.find((shape) => !scene.objects.some((x) => x.shape === shape))!;
      return Array.from({ length: o.n }, (_, j) => {
        const text = j % 2 === 1 ? truth : `${truth} There is a red ${absent} at the top left.`;
        return { text, seed: j, model: 'crafted', settings: { temperature: o.temperature, topP: o.topP, maxTokens: o.maxTokens }, tokens: 1, finishReason: 'stop' as const };
      });
    });
  },
};

/** A scorer giving each word `perWord(text)`: the aligned policy dislikes hallucinated sentences, the reference does not. */
function scorer(name: string, perWord: (text: string) => number): ResponseScorer & { calls: number } {
  return {
    name, calls: 0,
    async logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
      this.calls++;
      return batch.map((r) => { const words = r.response.split(/\s+/); return { sum: perWord(r.response) * words.length, tokenLogProbs: words.map(() => perWord(r.response)), tokens: words }; });
    },
  };
}
const policy = scorer('aligned', (t) => (/top left\.$/.test(t) ? -2 : -1));
const reference = scorer('base', () => -1);

test('the world curve: the reward picks hallucination-free answers from N=2 on, the reference perplexity cannot tell; a rerun calls no model', async () => {
  const store = openStore(':memory:');
  const models = { sampler, samplerId: 's', policy, policyId: 'p', reference, referenceId: 'r' };
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
  assert.ok(at('reward', 4).meanWords > 0);
  const calls = [sampler.calls, policy.calls, reference.calls];
  const again = await worldBonCurve(models, { n: [1, 2, 4], limit: 6 }, store);
  assert.deepEqual(again, curve);
  assert.deepEqual([sampler.calls, policy.calls, reference.calls], calls, 'replayed from the store');
  store.close();
});
