/**
 * The sample stage: deconfounded candidate generation (docs/method.md §1). Every instruction gets `n` candidates
 * from the current policy under identical decoding settings, differing only in the seed:
 * instruction k uses `deriveSeed(sampling.seed, k.id)`, candidate j that seed + j. The seed is
 * sent with each request, so a candidate does not depend on which batch it travelled in.
 *
 * An instruction whose prompt does not fit the policy's context (the policy throws
 * PromptTooLongError: the embedded model itself, a server with vLLM's 400) is skipped with the
 * reason, not answered from a cut prompt; the run store keeps the skip like any answer, so a
 * resumed run skips it again without asking.
 */
import { PromptTooLongError, type PromptOverflow } from '../../backend/context-length.ts';
import type { Candidate, DecodingSettings, GenerateOptions, GenerateRequest, Sampler } from '../../backend/types.ts';
import type { RgbImage } from '../../image/rgb.ts';
import { deriveSeed } from '../../util/rng.ts';
import type { Instruction } from '../instructions/instructions.ts';
import type { Sampling } from './settings.ts';
import { cachedStage, type StageContext } from '../stage.ts';

/** A candidate as the run store keeps it: per-token log-probs are not needed downstream and would dominate the store. */
type StoredCandidate = Omit<Candidate, 'tokenLogProbs'>;

/** One candidate as the run keeps it (a line of candidates.jsonl, before scoring). */
export interface CandidateRecord extends StoredCandidate {
  /** `<instruction id>#<j>`. */
  id: string;
  instructionId: string;
  /** j: 0 .. n-1. */
  index: number;
}

/** The seed of instruction `instructionId`'s first candidate: `instructionSeed(0, 'w0-train-3')`. */
export function instructionSeed(samplingSeed: number, instructionId: string): number {
  return deriveSeed(samplingSeed, instructionId);
}

/** The cached input of one generate request: everything the candidates depend on besides model and settings. */
interface GenerateInput {
  imageKey: string;
  prompt: string;
  seed: number;
}

/** What the run store keeps for an instruction the policy refused: the reason in its words. */
interface StoredSkip {
  promptTooLong: string;
}

/** An instruction left out because its prompt does not fit the policy's context. */
export interface SkippedInstruction {
  id: string;
  /** The stage that left it out: 'generate'. */
  where: string;
  reason: string;
}

/** The stage's outcome: the instructions sampled with their candidates, and those skipped. */
export interface SampledInstructions {
  /** In input order, without the skipped ones. */
  instructions: Instruction[];
  /** One list per sampled instruction, in seed order. */
  candidates: CandidateRecord[][];
  skipped: SkippedInstruction[];
}

/**
 * `n` candidates per instruction, in instruction order, each list in seed order; instructions
 * whose prompt does not fit the policy's context are left out and listed in `skipped`.
 * `const { instructions, candidates, skipped } = await generateCandidates(ctx, policy, policyId, set.instructions, config.sampling)`
 */
export async function generateCandidates(
  ctx: StageContext, policy: Sampler, policyId: string, instructions: readonly Instruction[], sampling: Sampling,
): Promise<SampledInstructions> {
  const settings: DecodingSettings = { temperature: sampling.temperature, topP: sampling.topP, maxTokens: sampling.maxTokens };
  const inputs: GenerateInput[] = instructions.map((ins) => ({ imageKey: ins.imageKey, prompt: ins.question, seed: instructionSeed(sampling.seed, ins.id) }));
  const results = await cachedStage<GenerateInput, StoredCandidate[] | StoredSkip>(
    ctx, { stage: 'generate', model: policyId, settings: { ...settings, n: sampling.n, ...(sampling.mixed && { mixed: sampling.mixed }) } }, inputs,
    async (batch) => {
      const requests = await Promise.all(batch.map(async (b) => ({ image: await ctx.images.load(b.imageKey), prompt: b.prompt, seed: b.seed })));
      const out = sampling.mixed?.length
        ? await generateMixed(policy, requests, sampling.n, sampling.mixed, sampling.maxTokens)
        : await generateFitting(policy, requests, { ...settings, n: sampling.n, seed: sampling.seed });
      return out.map((cands) => {
        if (!Array.isArray(cands)) return { promptTooLong: cands.message };
        if (cands.length !== sampling.n) {
          throw new Error(`policy '${policy.name}' returned ${cands.length} candidates for a request with n = ${sampling.n}; a Sampler must return n per request`);
        }
        // Per-token log-probs are not needed downstream and would dominate the store.
        return cands.map(({ tokenLogProbs: _drop, ...c }) => c);
      });
    }, 'req',
  );
  const sampled: SampledInstructions = { instructions: [], candidates: [], skipped: [] };
  results.forEach((cands, k) => {
    const ins = instructions[k]!;
    if (!Array.isArray(cands)) {
      sampled.skipped.push({ id: ins.id, where: 'generate', reason: `the prompt does not fit the context of policy '${policy.name}': ${cands.promptTooLong}` });
      return;
    }
    sampled.instructions.push(ins);
    sampled.candidates.push(cands.map((c, j) => ({
      id: `${ins.id}#${j}`, instructionId: ins.id, index: j,
      text: c.text, seed: c.seed, model: c.model, settings: c.settings, tokens: c.tokens, finishReason: c.finishReason,
    })));
  });
  return sampled;
}

/**
 * `policy.generate`, with the requests whose prompt does not fit answered by their PromptOverflow
 * instead of failing the batch: the others are taken from the error when the policy answered them
 * anyway, else asked again without the overflows.
 */
async function generateFitting(policy: Sampler, requests: GenerateRequest[], options: GenerateOptions): Promise<Array<Candidate[] | PromptOverflow>> {
  try {
    return await policy.generate(requests, options);
  } catch (err) {
    if (!(err instanceof PromptTooLongError) || err.overflows.length === 0 || err.overflows.some((o) => !(o.index >= 0 && o.index < requests.length))) throw err;
    const out: Array<Candidate[] | PromptOverflow | undefined> = requests.map((_, i) => err.answered[i]);
    for (const o of err.overflows) out[o.index] = o;
    const rest = out.flatMap((r, i) => (r === undefined ? [i] : []));
    if (rest.length > 0) {
      const again = await generateFitting(policy, rest.map((i) => requests[i]!), options);
      rest.forEach((i, k) => { out[i] = again[k]; });
    }
    return out as Array<Candidate[] | PromptOverflow>;
  }
}

/**
 * The ablation without deconfounding: candidate j of a request is sampled under
 * `mixed[j % mixed.length]` (still with seed request.seed + j), so chosen and rejected answers
 * can differ in decoding style as well as in trustworthiness. A request that does not fit is
 * not asked again for the next j.
 */
async function generateMixed(
  policy: Sampler, requests: Array<{ image: RgbImage; prompt: string; seed: number }>, n: number,
  mixed: ReadonlyArray<{ temperature: number; topP: number }>, maxTokens: number,
): Promise<Array<Candidate[] | PromptOverflow>> {
  const out: Array<Candidate[] | PromptOverflow> = requests.map(() => []);
  for (let j = 0; j < n; j++) {
    const m = mixed[j % mixed.length]!;
    const live = out.flatMap((r, i) => (Array.isArray(r) ? [i] : []));
    if (live.length === 0) break;
    const res = await generateFitting(policy, live.map((i) => ({ ...requests[i]!, seed: requests[i]!.seed + j })), { n: 1, seed: 0, temperature: m.temperature, topP: m.topP, maxTokens });
    res.forEach((cands, k) => {
      const i = live[k]!;
      if (Array.isArray(cands)) (out[i] as Candidate[]).push(cands[0]!);
      else out[i] = { ...cands, index: i };
    });
  }
  return out;
}
