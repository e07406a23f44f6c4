/**
 * The model specification (ModelBackend for the vision-language model, ChatModel for the text
 * LLM) over any OpenAI-compatible server: vLLM, SGLang, llama.cpp server, Ollama, `rlaifv serve`.
 * Requests go through a ClientPool (several replicas, bounded in-flight, retries); call
 * `probe()` first so that a server lacking a capability fails before the run starts.
 */
import type {
  Candidate, ChatModel, DecodingSettings, GenerateOptions, GenerateRequest, ModelBackend, ScoreRequest, SequenceLogProbs, YesNoQuery, YesNoResult,
} from '../types.ts';
import { PromptTooLongError, type PromptOverflow } from '../context-length.ts';
import { capabilityError, type Engine } from './capabilities.ts';
import { toCandidates } from './candidates.ts';
import { contextOverflowOf } from './context-overflow.ts';
import { ResponseFormatError, ServerError } from './errors.ts';
import { ImageUrlCache } from './image-url.ts';
import { chooseModel, type Listing, type ModelChoice } from './models.ts';
import { ClientPool, whereOf, type Endpoint, type PoolDeps, type PoolStats } from './pool.ts';
import { probeEndpoint, type EndpointReport, type ProbeNeeds } from './probe.ts';
import { completeBody, generateBody, yesNoBody, type ChatBody } from './requests.ts';
import { ServerScorer } from './scoring.ts';
import type { HttpBackendSettings } from './settings.ts';
import { CHAT, chatOn, listModels } from './transport.ts';
import type { ChatCompletion } from './wire.ts';
import { yesNoFromTopLogprobs, type TokenLogprob } from './yes-no.ts';

export interface ProbeReport {
  model: string;
  endpoints: EndpointReport[];
}

export class OpenAICompatibleBackend implements ModelBackend, ChatModel {
  /** What the start-up check found (set by openHttpBackend). */
  probed?: ProbeReport;
  readonly pool: ClientPool;
  /** Each image's PNG data URL, encoded once however many requests carry it. */
  readonly images = new ImageUrlCache();
  private readonly scorer: ServerScorer;
  private discovery: Promise<ModelChoice> | undefined;
  private choice: ModelChoice | undefined;
  /** supportsN 'auto', once learnt: false as soon as one server refuses or ignores n > 1. */
  private learntN: boolean | undefined;

  /**
   * `new OpenAICompatibleBackend(parseHttpSettings({ baseUrls: 'http://gpu1:8000/v1,http://gpu2:8000/v1' }))`.
   * `deps.fetch` replaces global fetch (tests, proxies).
   */
  constructor(readonly settings: HttpBackendSettings, deps: PoolDeps = {}) {
    this.pool = new ClientPool(settings, deps);
    this.scorer = new ServerScorer(this.pool, settings, (ep) => this.engineOf(ep));
  }

  /** The model name once known (configured or discovered); 'http' before discovery. */
  get name(): string {
    return this.choice?.model ?? this.settings.model ?? 'http';
  }

  /** Requests, attempts, retries, failures and tokens, for the run summary. */
  stats(): PoolStats {
    return this.pool.stats();
  }

  /**
   * Check every server for what the run needs; throws CapabilityError naming the gap and the fix.
   * `await backend.probe({ generate: true, yesNo: true })`.
   */
  async probe(needs: ProbeNeeds = { generate: true, yesNo: true }): Promise<ProbeReport> {
    const { model } = await this.resolve();
    const endpoints = await Promise.all(this.pool.endpoints.map((ep) =>
      probeEndpoint({ pool: this.pool, settings: this.settings, scorer: this.scorer, model, engine: this.engineOf(ep) }, ep, needs)));
    if (endpoints.some((e) => e.supportsN === false)) this.learntN = false;
    else if (endpoints.some((e) => e.supportsN === true)) this.learntN = true;
    return { model, endpoints };
  }

  /**
   * n candidates per request; candidate j has seed `(request.seed ?? options.seed) + j` (docs/method.md §1).
   * A request the server refuses for its length (a 400 that reads as one, see context-overflow.ts)
   * makes a PromptTooLongError naming it, which carries the other requests' candidates; any other
   * failure fails the batch, as it did.
   */
  async generate(batch: GenerateRequest[], options: GenerateOptions): Promise<Candidate[][]> {
    const { model } = await this.resolve();
    const settled = await Promise.allSettled(batch.map((request) => this.generateOne(model, request, options)));
    const overflows: PromptOverflow[] = [];
    for (const [index, s] of settled.entries()) {
      if (s.status === 'fulfilled') continue;
      const overflow = contextOverflowOf(s.reason, index);
      if (!overflow) throw s.reason;
      overflows.push(overflow);
    }
    const answered = settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    if (overflows.length > 0) throw new PromptTooLongError(model, overflows, answered);
    return answered as Candidate[][];
  }

  /** P(yes)+P(Yes) and P(no)+P(No) at the first answer token (docs/method.md §2.3). */
  async yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]> {
    const { model } = await this.resolve();
    return Promise.all(batch.map(async (q) => {
      const body = yesNoBody(model, this.images.dataUrl(q.image), q.question, this.settings.topLogprobs);
      return this.pool.request(CHAT, async (ep) => yesNoFromTopLogprobs(this.firstStepAlternatives(await chatOn(this.pool, ep, body), ep)));
    }));
  }

  /** Summed log-probabilities of each response, end-of-sequence included (see scoring.ts). */
  async logProbs(batch: ScoreRequest[]): Promise<SequenceLogProbs[]> {
    const { model } = await this.resolve();
    return Promise.all(batch.map((r) => this.scorer.score({ model, imageUrl: this.images.dataUrl(r.image), prompt: r.prompt, response: r.response })));
  }

  /** Text-only completions; prompt i is sampled with seed `options.seed + i`. */
  async complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]> {
    const { model } = await this.resolve();
    return Promise.all(prompts.map(async (prompt, i) => {
      const { res } = await this.sample(completeBody(model, prompt, options, options.seed + i));
      return res.choices[0]!.message.content ?? '';
    }));
  }

  async close(): Promise<void> {
    // Idle keep-alive connections; they are unref'd, so an unclosed backend does not hold the process either.
    this.pool.close();
  }

  private engineOf(ep: Endpoint): Engine {
    return this.choice?.engines.get(ep.url) ?? 'unknown';
  }

  /** Model and engines, from GET /v1/models on every server, once. */
  private resolve(): Promise<ModelChoice> {
    this.discovery ??= (async () => {
      const listings = await Promise.all(this.pool.endpoints.map(async (ep): Promise<Listing> => {
        try {
          return { url: ep.url, models: (await listModels(this.pool, ep)).data };
        } catch (err) {
          if (err instanceof ServerError && err.status === 404) return { url: ep.url, models: null };
          throw err;
        }
      }));
      this.choice = chooseModel(this.settings.model, listings);
      return this.choice;
    })();
    // A failed discovery (servers still starting) is tried again by the next call.
    this.discovery.catch(() => { this.discovery = undefined; });
    return this.discovery;
  }

  private useN(): boolean {
    return this.settings.supportsN === 'auto' ? this.learntN ?? true : this.settings.supportsN;
  }

  private async generateOne(model: string, request: GenerateRequest, o: GenerateOptions): Promise<Candidate[]> {
    const seed0 = request.seed ?? o.seed;
    const imageUrl = this.images.dataUrl(request.image);
    const one = async (j: number): Promise<Candidate> => {
      const { res } = await this.sample(generateBody(model, imageUrl, request.prompt, o, seed0 + j, 1));
      return toCandidates(res.choices.slice(0, 1), res.usage?.completion_tokens, seed0 + j, model, o)[0]!;
    };
    let have: Candidate[] = [];
    let refusedN = false;
    if (o.n > 1 && this.useN()) {
      try {
        const { res, where } = await this.sample(generateBody(model, imageUrl, request.prompt, o, seed0, o.n));
        have = toCandidates(res.choices.slice(0, o.n), res.usage?.completion_tokens, seed0, model, o);
        if (have.length >= o.n) {
          if (this.settings.supportsN === 'auto') this.learntN ??= true;
          return have;
        }
        if (this.settings.supportsN === true) {
          throw new ResponseFormatError(where, `asked for n = ${o.n} choices and got ${have.length}; set supportsN to false (or 'auto')`, '');
        }
        this.learntN = false; // Ollama ignores n: keep what came back, sample the rest one by one
      } catch (err) {
        // llama.cpp refuses n > 1 with 400; single requests tell whether n was the reason. A prompt
        // too long for the context is not about n: single requests would be refused the same.
        if (!(this.settings.supportsN === 'auto' && err instanceof ServerError && (err.status === 400 || err.status === 422))) throw err;
        if (contextOverflowOf(err, 0)) throw err;
        refusedN = true;
      }
    }
    const rest = await Promise.all(Array.from({ length: o.n - have.length }, (_, k) => one(have.length + k)));
    if (refusedN) this.learntN = false;
    return [...have, ...rest];
  }

  /** A chat completion with at least one choice, and where it was answered. */
  private sample(body: ChatBody): Promise<{ res: ChatCompletion; where: string }> {
    return this.pool.request(CHAT, async (ep) => {
      const res = await chatOn(this.pool, ep, body);
      const where = whereOf(CHAT, ep);
      if (res.choices.length === 0) throw new ResponseFormatError(where, 'the answer has no choices', '');
      return { res, where };
    });
  }

  /** Top alternatives at the first generated token, the generated token itself included. */
  private firstStepAlternatives(res: ChatCompletion, ep: Endpoint): TokenLogprob[] {
    const step = res.choices[0]?.logprobs?.content?.[0];
    if (!step?.top_logprobs?.length) {
      throw capabilityError('logprobs', ep.url, `${whereOf(CHAT, ep)}: asked for top_logprobs = ${this.settings.topLogprobs}, the answer carries ${step ? 'no top_logprobs' : 'no logprobs'}`, this.engineOf(ep));
    }
    const top: TokenLogprob[] = step.top_logprobs.map(({ token, logprob }) => ({ token, logprob }));
    if (!top.some((t) => t.token === step.token)) top.push({ token: step.token, logprob: step.logprob });
    return top;
  }
}

/**
 * Build and probe in one step, for the CLI: `await openHttpBackend(settings, { generate: true })`.
 */
export async function openHttpBackend(settings: HttpBackendSettings, needs?: ProbeNeeds, deps?: PoolDeps): Promise<OpenAICompatibleBackend> {
  const backend = new OpenAICompatibleBackend(settings, deps);
  backend.probed = await backend.probe(needs);
  return backend;
}
