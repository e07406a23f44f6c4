/**
 * The best-of-N curve on the world's test scenes (docs/method.md §5): N candidates per describe
 * prompt from the sampler, each scored under the aligned policy and its reference, and every
 * selector's pick at every N (prefixes of the same samples) measured against the exact truth.
 */
import { z } from 'zod';
import type { ResponseScorer, Sampler } from '../backend/types.ts';
import { sampleThroughStore } from '../bench/answers.ts';
import type { RunStore } from '../store/index.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import { analyseResponse, chairMetrics, createWorld, describeInstruction, renderScene } from '../world/index.ts';
import { scoreUnder } from './score.ts';
import { pick, SELECTORS, type ScoredCandidate, type Selector } from './select.ts';

export const BonSettingsSchema = z.strictObject({
  n: z.array(z.number().int().positive()).min(1).default([1, 2, 4, 8, 16, 32, 64]).describe('the N of the curve; the largest is sampled once, smaller N are its prefixes'),
  temperature: z.number().min(0).max(2).default(0.7).describe('candidate sampling temperature (the data engine\'s, docs/method.md §1)'),
  maxTokens: z.number().int().positive().default(128).describe('new tokens per candidate'),
  beta: z.number().positive().default(0.1).describe('β of the reward, the DPO β the policy was trained with'),
  limit: z.number().int().positive().default(100).describe('test scenes, one describe prompt each'),
  worldSeed: z.number().int().min(0).default(0),
  seed: z.number().int().min(0).default(0).describe('sampling and random-pick seed'),
});
export type BonSettings = z.infer<typeof BonSettingsSchema>;

/** One point of a selector's curve. */
export interface BonPoint {
  n: number;
  /** Share of picked answers with no hallucinated object (1 - CHAIRs). */
  hallucinationFree: number;
  chairS: number;
  chairI: number;
  coverage: number;
  /** Mean words of the picked answers: the unnormalised sum's bias shows here. */
  meanWords: number;
}

export interface BonCurve {
  selectors: Record<Selector, BonPoint[]>;
  settings: BonSettings;
}

export interface BonModels {
  sampler: Sampler;
  samplerId: string;
  policy: ResponseScorer;
  policyId: string;
  reference: ResponseScorer;
  referenceId: string;
}

/** Sample, score and pick on the world; every model call goes through `store`. */
export async function worldBonCurve(models: BonModels, input: z.input<typeof BonSettingsSchema>, store: RunStore, progress?: (stage: string) => void): Promise<BonCurve> {
  const s = BonSettingsSchema.parse(input);
  const maxN = Math.max(...s.n);
  const world = createWorld({ worldSeed: s.worldSeed });
  const scenes = Array.from({ length: s.limit }, (_, k) => world.scene('test', k));
  const images = scenes.map((scene) => renderScene(scene));
  const prompts = scenes.map((scene) => describeInstruction(new Rng(deriveSeed(s.seed, 'bon-prompt', scene.id))));

  progress?.(`sampling ${maxN} candidates for each of ${s.limit} prompts`);
  const texts = await sampleThroughStore(models.sampler, scenes.map((scene, k) => ({ key: scene.id, image: images[k]!, prompt: prompts[k]!, seed: deriveSeed(s.seed, 'bon-sample', scene.id) })), {
    store, stage: 'bon-sample', modelId: models.samplerId, n: maxN, decoding: { temperature: s.temperature, topP: 1, maxTokens: s.maxTokens }, batchSize: 4,
  });
  const short = texts.findIndex((answers) => answers.length < maxN);
  if (short >= 0) throw new Error(`the sampler returned ${texts[short]!.length} candidates for prompt ${short}, asked for ${maxN}`);

  progress?.(`scoring ${s.limit * maxN} candidates under the policy and the reference`);
  const flat = texts.flatMap((answers, k) => answers.map((response) => ({ image: images[k]!, prompt: prompts[k]!, response })));
  const [underPolicy, underReference] = [await scoreUnder(models.policy, models.policyId, flat, { store }), await scoreUnder(models.reference, models.referenceId, flat, { store })];
  const scored: ScoredCandidate[][] = texts.map((answers, k) => answers.map((_, j) => ({ policy: underPolicy[k * maxN + j]!, reference: underReference[k * maxN + j]! })));

  const selectors = Object.fromEntries(SELECTORS.map((selector) => [selector, [...s.n].sort((a, b) => a - b).map((n): BonPoint => {
    const picks = scenes.map((scene, k) => texts[k]![pick(selector, scored[k]!, n, { beta: s.beta, key: scene.id })]!);
    const chair = chairMetrics(picks.map((text, k) => analyseResponse(scenes[k]!, text)));
    return {
      n, hallucinationFree: 1 - chair.chairS, chairS: chair.chairS, chairI: chair.chairI, coverage: chair.coverage,
      meanWords: picks.reduce((sum, t) => sum + t.split(/\s+/).filter(Boolean).length, 0) / picks.length,
    };
  })])) as Record<Selector, BonPoint[]>;
  return { selectors, settings: s };
}
