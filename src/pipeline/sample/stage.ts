/**
 * The sample stage: deconfounded candidate generation (docs/method.md §1). Every instruction gets `n` candidates
 * from the current policy under identical decoding settings, differing only in the seed:
 * instruction k uses `deriveSeed(sampling.seed, k.id)`, candidate j that seed + j. The seed is
 * sent with each request, so a candidate does not depend on which batch it travelled in.
 */
import type { Candidate, DecodingSettings, Sampler } from '../../backend/types.ts';
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

/**
 * `n` candidates per instruction, in instruction order, each list in seed order.
 * `await generateCandidates(ctx, policy, policyId, instructions, config.sampling)`
 */
export async function generateCandidates(
  ctx: StageContext, policy: Sampler, policyId: string, instructions: readonly Instruction[], sampling: Sampling,
): Promise<CandidateRecord[][]> {
  const settings: DecodingSettings = { temperature: sampling.temperature, topP: sampling.topP, maxTokens: sampling.maxTokens };
  const inputs: GenerateInput[] = instructions.map((ins) => ({ imageKey: ins.imageKey, prompt: ins.question, seed: instructionSeed(sampling.seed, ins.id) }));
  const results = await cachedStage<GenerateInput, StoredCandidate[]>(
    ctx, { stage: 'generate', model: policyId, settings: { ...settings, n: sampling.n, ...(sampling.mixed && { mixed: sampling.mixed }) } }, inputs,
    async (batch) => {
      const requests = await Promise.all(batch.map(async (b) => ({ image: await ctx.images.load(b.imageKey), prompt: b.prompt, seed: b.seed })));
      const out = sampling.mixed?.length
        ? await generateMixed(policy, requests, sampling.n, sampling.mixed, sampling.maxTokens)
        : await policy.generate(requests, { ...settings, n: sampling.n, seed: sampling.seed });
      return out.map((cands) => {
        if (cands.length !== sampling.n) {
          throw new Error(`policy '${policy.name}' returned ${cands.length} candidates for a request with n = ${sampling.n}; a Sampler must return n per request`);
        }
        // Per-token log-probs are not needed downstream and would dominate the store.
        return cands.map(({ tokenLogProbs: _drop, ...c }) => c);
      });
    }, 'req',
  );
  return results.map((cands, k) => cands.map((c, j) => ({
    id: `${instructions[k]!.id}#${j}`, instructionId: instructions[k]!.id, index: j,
    text: c.text, seed: c.seed, model: c.model, settings: c.settings, tokens: c.tokens, finishReason: c.finishReason,
  })));
}

/**
 * The ablation without deconfounding: candidate j of a request is sampled under
 * `mixed[j % mixed.length]` (still with seed request.seed + j), so chosen and rejected answers
 * can differ in decoding style as well as in trustworthiness.
 */
async function generateMixed(
  policy: Sampler, requests: Array<{ image: RgbImage; prompt: string; seed: number }>, n: number,
  mixed: ReadonlyArray<{ temperature: number; topP: number }>, maxTokens: number,
): Promise<Candidate[][]> {
  const out: Candidate[][] = requests.map(() => []);
  for (let j = 0; j < n; j++) {
    const m = mixed[j % mixed.length]!;
    const res = await policy.generate(requests.map((r) => ({ ...r, seed: r.seed + j })), { n: 1, seed: 0, temperature: m.temperature, topP: m.topP, maxTokens });
    res.forEach((cands, i) => out[i]!.push(cands[0]!));
  }
  return out;
}
