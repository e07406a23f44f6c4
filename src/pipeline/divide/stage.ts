/**
 * Stage 3: divide each candidate into atomic claims (SPEC §2.1), by the world's rules or with a
 * text LLM. LLM results are cached per candidate (answer, question and seed), each candidate
 * sampled with its own seed so its claims do not depend on the batch it was sent in.
 */
import type { ChatModel } from '../../backend/types.ts';
import { divideWithLlm } from './divide.ts';
import type { DivideSettings } from './settings.ts';
import { deriveSeed } from '../../util/rng.ts';
import { atomicClaims, splitClaims } from '../../world/index.ts';
import type { DataEngineConfig } from '../config.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import type { Instruction } from '../instructions/instructions.ts';
import { cachedStage, pureStageDone, reporter, type StageContext } from '../stage.ts';

export interface Division {
  claims: string[];
  /** The LLM's raw output (method llm). */
  raw?: string;
}

interface DivideInput {
  question: string;
  answer: string;
  seed: number;
}

/** The divide settings without the method: what an LLM division depends on. */
export function divideSettings(divide: DataEngineConfig['divide']): DivideSettings {
  const { method: _method, ...settings } = divide;
  return settings;
}

/**
 * Claims of every candidate, in candidate order.
 * `await divideCandidates(ctx, config, instructions, candidates)` -> `[{ claims: ['There is a red circle.'] }, ...]`
 */
export async function divideCandidates(
  ctx: StageContext, config: DataEngineConfig, instructions: readonly Instruction[], candidates: readonly CandidateRecord[],
  chat: { model: ChatModel; id: string } | undefined,
): Promise<Division[]> {
  if (config.divide.method !== 'llm') {
    const progress = reporter(ctx, 'divide', candidates.length, 'ans');
    // 'whole' (the ablation without divide-and-conquer): the labeler judges the answer as one claim.
    const split = config.divide.method === 'whole' ? (t: string) => (t.trim() ? [t.trim()] : [])
      : config.divide.method === 'atomic' ? atomicClaims : splitClaims;
    const out = candidates.map((c) => ({ claims: split(c.text) }));
    progress.update(candidates.length);
    pureStageDone(ctx, progress, candidates.length);
    return out;
  }
  if (!chat) throw new Error("divide.method is 'llm' but no text LLM was given: set models.llm to the base URL of an OpenAI-compatible server (or use divide.method 'rules')");
  const settings = divideSettings(config.divide);
  const question = new Map(instructions.map((i) => [i.id, i.question]));
  const inputs = candidates.map((c): DivideInput => ({
    question: question.get(c.instructionId)!, answer: c.text, seed: deriveSeed(config.sampling.seed, 'divide', c.id),
  }));
  return cachedStage<DivideInput, Division>(ctx, { stage: 'divide', model: chat.id, settings }, inputs, (batch) =>
    Promise.all(batch.map(async (b) => {
      const [d] = await divideWithLlm(chat.model, [{ question: b.question, answer: b.answer }], settings, b.seed);
      return d!.raw === undefined ? { claims: d!.claims } : { claims: d!.claims, raw: d!.raw };
    })), 'ans');
}
