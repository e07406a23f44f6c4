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

/** The cache key of a question: its id, prompt and image content (never the pixels themselves). */
interface AnswerKey {
  id: string;
  prompt: string;
  image: string;
}

/**
 * The model's answer to every question, in order.
 * @example
 * const answers = await answerAll(policy, questions, { store, modelId: 'llava', decoding: BenchDecodingSchema.parse({}) });
 */
export async function answerAll(model: Sampler, questions: readonly BenchQuestion[], o: AnswerOptions): Promise<string[]> {
  const byKey = new Map<string, BenchQuestion>();
  const keys: AnswerKey[] = questions.map((q) => {
    const key = { id: q.id, prompt: q.prompt, image: imageDigest(q.image) };
    byKey.set(JSON.stringify(key), q);
    return key;
  });
  const { decoding } = o;
  const outcome = await cached(o.store, { stage: 'bench-answer', model: o.modelId, settings: decoding }, keys, async (missing) => {
    const batch = missing.map((k) => byKey.get(JSON.stringify(k))!);
    const out = await model.generate(batch.map((q) => ({ image: q.image, prompt: q.prompt, seed: decoding.seed })),
      { n: 1, seed: decoding.seed, temperature: decoding.temperature, topP: decoding.topP, maxTokens: decoding.maxTokens });
    return out.map((candidates) => candidates[0]?.text ?? '');
  }, { batchSize: o.batchSize ?? 8, ...(o.progress && { onProgress: (p) => o.progress!(p.done, p.total) }) });
  return outcome.results;
}
