/**
 * The divide stage: each candidate becomes atomic claims (docs/method.md §2.1), by the method its section
 * names (see DIVIDE_METHODS). Rule methods are pure and recomputed on every run; LLM results are
 * cached per candidate (answer, question and seed), each candidate sampled with its own seed so its
 * claims do not depend on the batch it was sent in.
 */
import type { ChatModel } from '../../backend/types.ts';
import { pick, withoutMethod } from '../../util/registry.ts';
import { deriveSeed } from '../../util/rng.ts';
import { atomicClaims, splitClaims } from '../../world/index.ts';
import type { Instruction } from '../instructions/instructions.ts';
import type { CandidateRecord } from '../sample/stage.ts';
import { cachedStage, pureStageDone, reporter, type StageContext } from '../stage.ts';
import { divideWithLlm } from './llm.ts';
import type { DivideMethod, DivideStage } from './settings.ts';

export interface Division {
  claims: string[];
  /** The LLM's raw output (method llm). */
  raw?: string;
}

/** A text LLM and the identity its results are cached under. */
export interface ChatRole {
  model: ChatModel;
  id: string;
}

/** What a divide method is given: the stage's section, the run's sampling seed, a chunk's candidates. */
interface DivideJob {
  ctx: StageContext;
  section: DivideStage;
  seed: number;
  instructions: readonly Instruction[];
  candidates: readonly CandidateRecord[];
  chat: ChatRole | undefined;
}

type Divider = (job: DivideJob) => Promise<Division[]>;

const DIVIDERS: Record<DivideMethod, Divider> = {
  rules: byRule(splitClaims),
  atomic: byRule(atomicClaims),
  llm: withLlm,
  // The ablation without divide-and-conquer: the labeler judges the answer as one claim.
  whole: byRule((text) => (text.trim() ? [text.trim()] : [])),
};

/**
 * Claims of every candidate, in candidate order.
 * `await divideCandidates(ctx, config.divide, config.sampling.seed, instructions, candidates, undefined)`
 * -> `[{ claims: ['There is a red circle.'] }, ...]`
 */
export function divideCandidates(
  ctx: StageContext, section: DivideStage, seed: number, instructions: readonly Instruction[], candidates: readonly CandidateRecord[],
  chat: ChatRole | undefined,
): Promise<Division[]> {
  return pick('divide.method', DIVIDERS, section.method)({ ctx, section, seed, instructions, candidates, chat });
}

/** A method that splits each answer by a rule, with no model: shown as a stage that computed everything. */
function byRule(split: (text: string) => string[]): Divider {
  return async ({ ctx, candidates }) => {
    const progress = reporter(ctx, 'divide', candidates.length, 'ans');
    const out = candidates.map((c) => ({ claims: split(c.text) }));
    progress.update(candidates.length);
    pureStageDone(ctx, progress, candidates.length);
    return out;
  };
}

interface DivideInput {
  question: string;
  answer: string;
  seed: number;
}

async function withLlm({ ctx, section, seed, instructions, candidates, chat }: DivideJob): Promise<Division[]> {
  if (!chat) throw new Error("divide.method is 'llm' but no text LLM was given: set models.llm to the base URL of an OpenAI-compatible server (or use divide.method 'rules')");
  const settings = withoutMethod(section);
  const question = new Map(instructions.map((i) => [i.id, i.question]));
  const inputs = candidates.map((c): DivideInput => ({
    question: question.get(c.instructionId)!, answer: c.text, seed: deriveSeed(seed, 'divide', c.id),
  }));
  return cachedStage<DivideInput, Division>(ctx, { stage: 'divide', model: chat.id, settings }, inputs, (batch) =>
    Promise.all(batch.map(async (b) => {
      const [d] = await divideWithLlm(chat.model, [{ question: b.question, answer: b.answer }], settings, b.seed);
      return d!.raw === undefined ? { claims: d!.claims } : { claims: d!.claims, raw: d!.raw };
    })), 'ans');
}
