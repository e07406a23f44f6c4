/**
 * Crafted best-of-N models for tests: a sampler whose even candidates add an absent shape to a
 * scene's exact description, and scorers that give every word a fixed log-probability.
 */
import type { Candidate, GenerateOptions, GenerateRequest, ResponseScorer, Sampler, ScoreRequest, SequenceLogProbs } from '../backend/types.ts';
import { imageDigest } from '../image/digest.ts';
import { Rng } from '../util/rng.ts';
import { describe, renderScene, SHAPES, type Scene } from '../world/index.ts';

/** Candidate j of a scene: the exact description, with an absent shape added when j is even (scenes found by their image's digest). */
export function craftedSampler(scenes: readonly Scene[]): Sampler & { calls: number } {
  const byDigest = new Map(scenes.map((scene) => [imageDigest(renderScene(scene)), scene]));
  return {
    name: 'crafted', calls: 0,
    async generate(batch: GenerateRequest[], o: GenerateOptions): Promise<Candidate[][]> {
      this.calls++;
      return batch.map((r) => {
        const scene = byDigest.get(imageDigest(r.image));
        if (!scene) throw new Error('craftedSampler: an image of no known scene');
        const truth = describe(scene, new Rng(1)).text;
        const absent = SHAPES.find((shape) => !scene.objects.some((x) => x.shape === shape))!;
        return Array.from({ length: o.n }, (_, j) => {
          const text = j % 2 === 1 ? truth : `${truth} There is a red ${absent} at the top left.`;
          return { text, seed: j, model: 'crafted', settings: { temperature: o.temperature, topP: o.topP, maxTokens: o.maxTokens }, tokens: 1, finishReason: 'stop' as const };
        });
      });
    },
  };
}

/** A scorer giving each word of a response `perWord(text)`. */
export function wordScorer(name: string, perWord: (text: string) => number): ResponseScorer & { calls: number } {
  return {
    name, calls: 0,
    async logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
      this.calls++;
      return batch.map((r) => { const words = r.response.split(/\s+/); return { sum: perWord(r.response) * words.length, tokenLogProbs: words.map(() => perWord(r.response)), tokens: words }; });
    },
  };
}

/** The aligned policy dislikes the added (hallucinated) sentence, the reference does not. */
export function craftedModels(scenes: readonly Scene[]) {
  return {
    sampler: craftedSampler(scenes), samplerId: 's',
    policy: wordScorer('aligned', (t) => (/top left\.$/.test(t) ? -2 : -1)), policyId: 'p',
    reference: wordScorer('base', () => -1), referenceId: 'r',
  };
}
