/**
 * Asking the evaluated model every question of a benchmark, through the run store: a rerun sends
 * only the questions that had no answer yet, and a finished run replays with no model call.
 * Answers are greedy by default; the authors decoded with 3-beam search, which OpenAI-compatible
 * servers do not offer (docs/benchmarks.md), so the decoding settings are recorded with the results.
 */
import { z } from 'zod';
import type { Sampler } from '../backend/types.ts';
import { imageDigest } from '../image/digest.ts';
import type { RgbImage } from '../image/rgb.ts';
import { cached, type RunStore } from '../store/index.ts';

export const BenchDecodingSchema = z.strictObject({
  temperature: z.number().min(0).max(2).default(0).describe('0 = greedy (the authors: 3-beam search, which servers do not offer)'),
  topP: z.number().gt(0).max(1).default(1).describe('nucleus cut; 1 = none'),
  maxTokens: z.number().int().positive().default(1024).describe('the authors\' limit on new tokens'),
  seed: z.number().int().min(0).default(0).describe('sampling seed when temperature > 0'),
});
export type BenchDecoding = z.infer<typeof BenchDecodingSchema>;

/** One question of a benchmark: its id in the benchmark's file, the image, the prompt sent. */
export interface BenchQuestion {
  id: string;
  image: RgbImage;
  prompt: string;
}

export interface AnswerOptions {
  store: RunStore;
  /** What the run store keys the model's answers by (a checkpoint's fingerprint, a served model's name). */
  modelId: string;
  decoding: BenchDecoding;
  /** Questions per model call; also what a killed run loses at most. */
  batchSize?: number;
  progress?: (done: number, total: number) => void;
}

/** One prompt to sample: `key` names it in the run store (a question id, a scene id), `seed` its first candidate's seed. */
export interface SampleRequest {
  key: string;
  image: RgbImage;
  prompt: string;
  seed: number;
}

export interface SampleOptions {
  store: RunStore;
  /** The cache's stage name ('bench-answer', 'bon-sample'). */
  stage: string;
  modelId: string;
  /** Candidates per prompt. */
  n: number;
  decoding: { temperature: number; topP: number; maxTokens: number };
  batchSize: number;
  /** `hits`: of `done`, how many came from the store. */
  progress?: (done: number, total: number, hits: number) => void;
}

/**
 * `n` candidate texts per request through the run store: only requests with no stored answer
 * reach the model, so a rerun resumes and a finished run replays. The image enters the cache key
 * as a digest, never as pixels.
 */
export async function sampleThroughStore(model: Sampler, requests: readonly SampleRequest[], o: SampleOptions): Promise<string[][]> {
  const keys = requests.map((r) => ({ id: r.key, prompt: r.prompt, image: imageDigest(r.image), seed: r.seed, n: o.n }));
  const byKey = new Map(keys.map((k, i) => [JSON.stringify(k), requests[i]!]));
  const outcome = await cached(o.store, { stage: o.stage, model: o.modelId, settings: o.decoding }, keys, async (missing) => {
    const batch = missing.map((k) => byKey.get(JSON.stringify(k))!);
    const out = await model.generate(batch.map((r) => ({ image: r.image, prompt: r.prompt, seed: r.seed })), { n: o.n, seed: batch[0]!.seed, ...o.decoding });
    return out.map((candidates) => candidates.map((c) => c.text));
  }, { batchSize: o.batchSize, ...(o.progress && { onProgress: (p) => o.progress!(p.done, p.total, p.hits) }) });
  return outcome.results;
}

/**
 * The model's answer to every question, in order.
 * @example
 * const answers = await answerAll(policy, questions, { store, modelId: 'llava', decoding: BenchDecodingSchema.parse({}) });
 */
export async function answerAll(model: Sampler, questions: readonly BenchQuestion[], o: AnswerOptions): Promise<string[]> {
  const { seed, ...decoding } = o.decoding;
  const answers = await sampleThroughStore(model, questions.map((q) => ({ key: q.id, image: q.image, prompt: q.prompt, seed })), {
    store: o.store, stage: 'bench-answer', modelId: o.modelId, n: 1, decoding, batchSize: o.batchSize ?? 8, ...(o.progress && { progress: o.progress }),
  });
  return answers.map((candidates) => candidates[0] ?? '');
}
