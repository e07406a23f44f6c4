/**
 * `POST /v1/chat/completions` on a best-of-N server (setting `bestOf`): sample `best_of` candidates
 * in one call, score each under the served aligned policy π and its reference π_ref (one batched
 * `logProbs` call per model, the answer's tokens only), and answer with the candidates of highest
 * RLAIF-V reward r(y) = (β/T) Σ_t [log π(y_t|x,y<t) - log π_ref(y_t|x,y<t)] (docs/method.md §5).
 *
 * `n` choices are the `n` best candidates by reward, best first (identical texts included: a
 * candidate is returned as sampled); `best_of` (default: the setting) must be at least `n`, as in
 * vLLM's parameter of that name, whose pick here is the reward instead of the sampler's likelihood.
 * A body field `"rlaifv": {"candidates": true}` adds an `rlaifv` field to the answer with every
 * candidate's scores and what the answer cost; without it the answer is a plain chat completion.
 * A model that fails to sample or score is a 502 naming it: an unranked answer is never returned.
 */
import { PromptTooLongError } from '../backend/context-length.ts';
import type { Candidate, ResponseScorer, ScoreRequest, SequenceLogProbs } from '../backend/types.ts';
import { pick, rlaifvReward, type ScoredCandidate } from '../bon/select.ts';
import type { BestOfModels } from './best-of-models.ts';
import type { ChatContext } from './chat-completion.ts';
import { badRequest, contextLengthError, OpenAIError } from './errors.ts';
import { promptTokens } from './extensions.ts';
import { extractTurn, type Turn } from './messages.ts';
import { parseChatRequest, type ChatRequest } from './parse-request.ts';
import type { ServeSettings } from './settings.ts';
import { jsonLogprob, type ChatCompletion } from './wire.ts';

export interface BestOfContext extends ChatContext {
  bestOfModels: BestOfModels;
  /** Milliseconds for the cost figures; default `performance.now`. */
  clock?: () => number;
}

/** One candidate in the `rlaifv` extension field, in sampling order (candidate j has seed `seed + j`). */
export interface BestOfCandidate {
  text: string;
  seed: number;
  finishReason: 'stop' | 'length';
  /** T: the answer tokens both models scored (end-of-sequence included). */
  tokens: number;
  reward: number;
  /** Σ_t log π(y_t|x,y<t) over the T tokens. */
  policyLogProb: number;
  /** Σ_t log π_ref(y_t|x,y<t) over the T tokens. */
  referenceLogProb: number;
}

/** The `rlaifv` extension field of a best-of answer. */
export interface BestOfExtension {
  bestOf: number;
  beta: number;
  models: { policy: string; reference: string; sampler: string };
  /** The reward of each returned choice, in choice order. */
  reward: number[];
  /** `choices[i]` is `candidates[picked[i]]`. */
  picked: number[];
  candidates: BestOfCandidate[];
  /** What this answer took: tokens sampled and scored, and wall milliseconds (queueing included) per phase. */
  cost: { sampledTokens: number; scoredTokens: { policy: number; reference: number }; samplingMs: number; scoringMs: number };
}

export type BestOfCompletion = ChatCompletion & { rlaifv?: BestOfExtension };

interface BestOfRequest {
  chat: ChatRequest;
  bestOf: number;
  /** The extension field was asked for. */
  withCandidates: boolean;
}

/**
 * Example: `bestOfCompletion({ messages, n: 2, best_of: 8, rlaifv: { candidates: true } }, ctx)`
 * -> the 2 best of 8 candidates, and every candidate's scores in `rlaifv`.
 */
export async function bestOfCompletion(body: unknown, ctx: BestOfContext): Promise<BestOfCompletion> {
  const req = parseBestOfRequest(body, ctx.settings);
  const lease = ctx.models.acquire(req.chat.model);
  try {
    return await answer(req, { ...ctx, policy: lease.backend, name: lease.name });
  } finally {
    lease.release();
  }
}

/** The request's best-of fields are taken out first; the rest is an ordinary chat request. */
export function parseBestOfRequest(body: unknown, settings: ServeSettings): BestOfRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { chat: parseChatRequest(body, settings), bestOf: 1, withCandidates: false };
  const { best_of: bestOfField, rlaifv, ...rest } = body as Record<string, unknown>;
  const chat = parseChatRequest(rest, settings);
  if (chat.continueFinalMessage) {
    throw badRequest('this server answers with the best of N candidates and does not score given responses; send continue_final_message to the policy\'s or the reference\'s own server', 'continue_final_message', 'unsupported_parameter');
  }
  if (chat.logprobs) {
    throw badRequest('logprobs are not returned by a best-of-N server; send "rlaifv": {"candidates": true} for every candidate\'s log-probabilities and reward', 'logprobs', 'unsupported_parameter');
  }
  const bestOf = bestOfField ?? settings.bestOf ?? 1;
  if (typeof bestOf !== 'number' || !Number.isInteger(bestOf) || bestOf < 1) {
    throw badRequest(`best_of must be an integer >= 1 (the candidates to choose from), got ${JSON.stringify(bestOf)}`, 'best_of');
  }
  if (bestOf > settings.maxN) throw badRequest(`best_of = ${bestOf} is above this server's limit of ${settings.maxN} candidates (setting maxN)`, 'best_of');
  if (chat.n > bestOf) {
    throw badRequest(`n = ${chat.n} is above best_of = ${bestOf}: the choices are the n best of best_of candidates; send n <= best_of`, 'n');
  }
  return { chat, bestOf, withCandidates: parseExtensionAsk(rlaifv) };
}

/** `"rlaifv": {"candidates": true}` asks for the extension field; absent, null or false does not. */
function parseExtensionAsk(value: unknown): boolean {
  if (value == null) return false;
  const keys = typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : null;
  const flag = (value as { candidates?: unknown } | null)?.candidates;
  if (!keys || keys.some((k) => k !== 'candidates') || (flag !== undefined && typeof flag !== 'boolean')) {
    throw badRequest(`rlaifv must be an object {"candidates": true | false}, got ${JSON.stringify(value)}`, 'rlaifv');
  }
  return flag === true;
}

type AnswerContext = BestOfContext & { policy: ResponseScorer; name: string };

async function answer(req: BestOfRequest, ctx: AnswerContext): Promise<BestOfCompletion> {
  const { chat, bestOf } = req;
  const { sampler, reference, samplerExtensions } = ctx.bestOfModels;
  const clock = ctx.clock ?? (() => performance.now());
  const turn = await extractTurn(chat.messages, false, { maxPixels: ctx.settings.maxImagePixels });
  const fit = samplerExtensions.promptFit?.(turn.prompt);
  if (fit && fit.promptTokens >= fit.contextTokens) throw contextLengthError(fit.contextTokens, fit.promptTokens);
  const promptCount = promptTokens(samplerExtensions, turn.prompt);

  const t0 = clock();
  const candidates = await sampleCandidates(sampler, turn, chat, bestOf);
  const t1 = clock();
  const requests = candidates.map((c) => ({ image: turn.image, prompt: turn.prompt, response: c.text }));
  const [underPolicy, underReference] = await Promise.all([
    scoreCandidates('policy', ctx.policy, requests), scoreCandidates('reference', reference, requests),
  ]);
  const t2 = clock();
  const scored = pairScores(underPolicy, underReference, ctx.policy.name, reference.name);

  const order = rankByReward(scored, ctx.settings.beta).slice(0, chat.n);
  const completionTokens = order.reduce((sum, k) => sum + candidates[k]!.tokens, 0);
  const completion: BestOfCompletion = {
    id: ctx.nextId(),
    object: 'chat.completion',
    created: Math.floor(ctx.now() / 1000),
    model: ctx.name,
    choices: order.map((k, index) => ({
      index, message: { role: 'assistant', content: candidates[k]!.text }, finish_reason: candidates[k]!.finishReason, logprobs: null,
    })),
    usage: { prompt_tokens: promptCount, completion_tokens: completionTokens, total_tokens: promptCount + completionTokens },
  };
  if (!req.withCandidates) return completion;
  const rewards = scored.map((s) => rlaifvReward(s, ctx.settings.beta));
  const scoredTokens = scored.reduce((sum, s) => sum + s.policy.tokens, 0);
  completion.rlaifv = {
    bestOf,
    beta: ctx.settings.beta,
    models: { policy: ctx.policy.name, reference: reference.name, sampler: sampler.name },
    reward: order.map((k) => rewards[k]!),
    picked: order,
    candidates: candidates.map((c, k) => ({
      text: c.text, seed: c.seed, finishReason: c.finishReason, tokens: scored[k]!.policy.tokens, reward: rewards[k]!,
      policyLogProb: jsonLogprob(scored[k]!.policy.sum), referenceLogProb: jsonLogprob(scored[k]!.reference.sum),
    })),
    cost: {
      sampledTokens: candidates.reduce((sum, c) => sum + c.tokens, 0),
      scoredTokens: { policy: scoredTokens, reference: scoredTokens },
      samplingMs: t1 - t0,
      scoringMs: t2 - t1,
    },
  };
  return completion;
}

/**
 * Candidate indices by reward, best first; ties keep sampling order. The best is `pick('reward', ...)`,
 * the selector `rlaifv bon` measures.
 * Example: rewards [0.1, 0.3, 0.2] -> [1, 2, 0].
 */
export function rankByReward(scored: readonly ScoredCandidate[], beta: number): number[] {
  const best = pick('reward', scored, scored.length, { beta, key: 'serve' });
  const rewards = scored.map((s) => rlaifvReward(s, beta));
  const rest = scored.map((_, k) => k).filter((k) => k !== best).sort((a, b) => rewards[b]! - rewards[a]! || a - b);
  return [best, ...rest];
}

/** `best_of` candidates from the sampler in one call (candidate j with seed `seed + j`); 502 naming the sampler if it fails. */
async function sampleCandidates(sampler: BestOfModels['sampler'], turn: Turn, chat: ChatRequest, bestOf: number): Promise<Candidate[]> {
  const { seed, temperature, topP, maxTokens } = chat;
  let candidates: Candidate[] | undefined;
  try {
    [candidates] = await sampler.generate([{ image: turn.image, prompt: turn.prompt, seed }], { n: bestOf, seed, temperature, topP, maxTokens });
  } catch (err) {
    throw upstreamError(err, 'sampler', sampler.name, `sample the ${bestOf} candidates`);
  }
  if (candidates?.length !== bestOf) {
    throw upstreamError(new Error(`it returned ${candidates?.length ?? 0} candidates, expected ${bestOf}`), 'sampler', sampler.name, `sample the ${bestOf} candidates`);
  }
  return candidates;
}

/** Every candidate's log-probabilities under one model, in one call; 502 naming the model if it cannot. */
async function scoreCandidates(role: 'policy' | 'reference', model: ResponseScorer, requests: ScoreRequest[]): Promise<SequenceLogProbs[]> {
  const what = `score the ${requests.length} candidates`;
  let scored: SequenceLogProbs[];
  try {
    scored = await model.logProbs(requests);
  } catch (err) {
    throw upstreamError(err, role, model.name, what);
  }
  const bad = scored.length !== requests.length ? `it returned ${scored.length} scores for ${requests.length} candidates`
    : scored.findIndex((s) => s.tokens.length !== s.tokenLogProbs.length) >= 0 ? 'it returned a score whose tokens and log-probabilities differ in number' : undefined;
  if (bad) throw upstreamError(new Error(bad), role, model.name, what);
  return scored;
}

/** Both models must score the same answer tokens (one tokenizer and chat template), else the reward compares different things. */
function pairScores(policy: SequenceLogProbs[], reference: SequenceLogProbs[], policyName: string, referenceName: string): ScoredCandidate[] {
  return policy.map((p, k) => {
    const r = reference[k]!;
    if (p.tokenLogProbs.length !== r.tokenLogProbs.length) {
      throw new OpenAIError(502, `the policy model '${policyName}' scored ${p.tokenLogProbs.length} answer tokens of candidate ${k} and the reference model '${referenceName}' ${r.tokenLogProbs.length}: the reward needs both to score the same tokens (one tokenizer and chat template); no answer is returned unranked`, null, 'scoring_failed', 'server_error');
    }
    return { policy: { sum: p.sum, tokens: p.tokenLogProbs.length }, reference: { sum: r.sum, tokens: r.tokenLogProbs.length } };
  });
}

/** A model behind the answer failed: 502 naming it (a prompt too long stays the app's 400). */
function upstreamError(err: unknown, role: 'sampler' | 'policy' | 'reference', name: string, what: string): unknown {
  if (err instanceof PromptTooLongError || err instanceof OpenAIError) return err;
  const detail = ((err as Error)?.message ?? String(err)).replace(/\s*\n\s*/g, '; ');
  const code = role === 'sampler' ? 'sampling_failed' : 'scoring_failed';
  const tail = role === 'sampler' ? '' : '; no answer is returned unranked';
  return new OpenAIError(502, `the ${role} model '${name}' could not ${what}: ${detail}${tail}`, null, code, 'server_error');
}
