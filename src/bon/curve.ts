/**
 * The best-of-N curve (docs/method.md §5) on any set of prompts: N candidates per prompt from the
 * sampler, each scored under the aligned policy and its reference, and every selector's pick at
 * every N (prefixes of the same samples) measured by the prompts' own judge (the world's exact
 * truth, or a benchmark's scorer). Every model call goes through the run store.
 */
import type { ResponseScorer, Sampler } from '../backend/types.ts';
import { sampleThroughStore } from '../bench/answers.ts';
import type { RgbImage } from '../image/rgb.ts';
import type { RunStore } from '../store/index.ts';
import { deriveSeed } from '../util/rng.ts';
import { bonCost, timedSampler, timedScorer, type BonCost } from './cost.ts';
import { lengthBias, type LengthBias } from './length.ts';
import { scoreUnder } from './score.ts';
import { pick, SELECTORS, type ScoredCandidate, type Selector } from './select.ts';
import type { BonBench, BonSettings } from './settings.ts';

/** One prompt: `key` names it in the store and seeds its samples and its random pick. */
export interface BonPrompt {
  key: string;
  image: RgbImage;
  prompt: string;
}

/** How hallucinated a set of answers (one per prompt) is, as shares in [0, 1]. */
export interface BonMetrics {
  chairS: number;
  chairI: number;
  /** Truth recalled (the world's objects, AMBER's Cover, Object HalBench's recall). */
  coverage: number;
}

/** Measures one answer per prompt, in prompt order. */
export type MeasurePicks = (picks: readonly string[]) => Promise<BonMetrics>;

/** One point of a selector's curve. */
export interface BonPoint extends BonMetrics {
  n: number;
  /** Share of picked answers with no hallucinated object (1 - CHAIRs). */
  hallucinationFree: number;
  /** Mean words of the picked answers: the unnormalised sum's bias shows here. */
  meanWords: number;
}

export interface BonCurve {
  /** Where the prompts and the judge came from. */
  source: { bench: BonBench; data?: string; prompts: number };
  selectors: Record<Selector, BonPoint[]>;
  cost: BonCost;
  /** How each candidate's length moves the reward's and the sum's score (why the reward normalises). */
  length: LengthBias;
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

/** Where a run stands: one counted stage at a time (the CLI draws done/total, rate and ETA). */
export interface BonProgress {
  stage(label: string, total: number, unit: string): { update(done: number, hits: number): void; finish(): unknown };
}

export async function bonCurve(
  models: BonModels, prompts: readonly BonPrompt[], measure: MeasurePicks, s: BonSettings, store: RunStore, progress?: BonProgress,
): Promise<Omit<BonCurve, 'source' | 'settings'>> {
  const maxN = Math.max(...s.n);
  const sampling = progress?.stage(`sampling ${maxN} candidates per prompt`, prompts.length, 'prompts');
  const texts = await sampleThroughStore(timedSampler(models.sampler, store), prompts.map((p) => ({ ...p, seed: deriveSeed(s.seed, 'bon-sample', p.key) })), {
    store, stage: 'bon-sample', modelId: models.samplerId, n: maxN, decoding: { temperature: s.temperature, topP: 1, maxTokens: s.maxTokens }, batchSize: 4,
    ...(sampling && { progress: (done: number, _total: number, hits: number) => sampling.update(done, hits) }),
  });
  sampling?.finish();
  const short = texts.findIndex((answers) => answers.length < maxN);
  if (short >= 0) throw new Error(`the sampler returned ${texts[short]!.length} candidates for prompt ${prompts[short]!.key}, asked for ${maxN}`);

  const flat = texts.flatMap((answers, k) => answers.map((response) => ({ image: prompts[k]!.image, prompt: prompts[k]!.prompt, response })));
  const scoreAll = async (model: ResponseScorer, modelId: string, which: string) => {
    const bar = progress?.stage(`scoring under the ${which}`, flat.length, 'candidates');
    const out = await scoreUnder(timedScorer(model, store), modelId, flat, { store, ...(bar && { progress: (done: number, hits: number) => bar.update(done, hits) }) });
    bar?.finish();
    return out;
  };
  const underPolicy = await scoreAll(models.policy, models.policyId, 'policy');
  const underReference = await scoreAll(models.reference, models.referenceId, 'reference');
  const scored: ScoredCandidate[][] = texts.map((answers, k) => answers.map((_, j) => ({ policy: underPolicy[k * maxN + j]!, reference: underReference[k * maxN + j]! })));

  const ns = [...s.n].sort((a, b) => a - b);
  const measuring = progress?.stage('measuring every selector at every N', SELECTORS.length * ns.length, 'picks');
  const selectors = {} as Record<Selector, BonPoint[]>;
  for (const selector of SELECTORS) {
    selectors[selector] = [];
    for (const n of ns) {
      const picks = prompts.map((p, k) => texts[k]![pick(selector, scored[k]!, n, { beta: s.beta, key: p.key })]!);
      const m = await measure(picks);
      selectors[selector].push({ n, hallucinationFree: 1 - m.chairS, ...m, meanWords: picks.reduce((sum, t) => sum + wordCount(t), 0) / picks.length });
      measuring?.update(selectors[selector].length + SELECTORS.indexOf(selector) * ns.length, 0);
    }
  }
  measuring?.finish();
  return { selectors, cost: bonCost(scored.map((cs) => cs.map((c) => c.reference.tokens)), ns, store), length: lengthBias(scored, s.beta) };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
