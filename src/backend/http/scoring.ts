/**
 * logProbs over HTTP: the log-probabilities of a given response. `rlaifv serve` answers the
 * contract request with `response_logprobs`; vLLM answers with `prompt_logprobs`, and the
 * response's tokens are then located with POST /tokenize (vllm-scoring.ts). Which one a server
 * speaks is learnt from its first answer (logprobsMode 'auto') and remembered per URL.
 */
import type { SequenceLogProbs } from '../types.ts';
import { capabilityError, type Engine } from './capabilities.ts';
import { ResponseFormatError, ServerError } from './errors.ts';
import { whereOf, type ClientPool, type Endpoint, type PoolRequestOptions } from './pool.ts';
import { scoreBody, tokenizeBody } from './requests.ts';
import type { HttpBackendSettings } from './settings.ts';
import { CHAT, chatOn, tokenize, TOKENIZE } from './transport.ts';
import { responseLogProbs } from './vllm-scoring.ts';
import type { ChatCompletion, PromptLogprobEntry, Tokenized } from './wire.ts';

export type ScoringMode = 'response_logprobs' | 'prompt_logprobs';

export interface ScoreInput {
  model: string;
  imageUrl: string;
  prompt: string;
  response: string;
}

type Scored = { done: SequenceLogProbs } | { ep: Endpoint; promptLogprobs: PromptLogprobEntry[] };

export class ServerScorer {
  /** Learnt per base URL; a mixed fleet (rlaifv serve beside vLLM) still works. */
  readonly modes = new Map<string, ScoringMode>();

  constructor(
    private readonly pool: ClientPool,
    private readonly settings: Pick<HttpBackendSettings, 'logprobsMode'>,
    private readonly engineOf: (ep: Endpoint) => Engine,
  ) {}

  /** Log-probabilities of `input.response`, end-of-sequence included. */
  async score(input: ScoreInput, options?: PoolRequestOptions): Promise<SequenceLogProbs> {
    const scored = await this.pool.request(CHAT, (ep) => this.scoreOn(ep, input), options);
    if ('done' in scored) return scored.done;
    const { ep, promptLogprobs } = scored;
    const [full, open, head] = await Promise.all(
      (['full', 'open', 'head'] as const).map((render) => this.tokenizeOn(ep, tokenizeBody(input.model, input.prompt, input.response, render))),
    );
    return responseLogProbs(promptLogprobs, { full: full!.tokens, fullStrs: full!.token_strs, open: open!.tokens, head: head!.tokens }, whereOf(CHAT, ep));
  }

  private modeOf(ep: Endpoint): ScoringMode | undefined {
    return this.settings.logprobsMode === 'auto' ? this.modes.get(ep.url) : this.settings.logprobsMode;
  }

  private async scoreOn(ep: Endpoint, input: ScoreInput): Promise<Scored> {
    const mode = this.modeOf(ep);
    const engine = this.engineOf(ep);
    if (mode !== 'prompt_logprobs') {
      const res = await chatOn(this.pool, ep, scoreBody(input.model, input.imageUrl, input.prompt, input.response, 'open'));
      if (res.response_logprobs) {
        this.modes.set(ep.url, 'response_logprobs');
        return { done: fromResponseLogprobs(res, whereOf(CHAT, ep)) };
      }
      if (mode === 'response_logprobs') {
        throw capabilityError('scoring', ep.url, 'logprobsMode is response_logprobs but the answer has no response_logprobs field (is this `rlaifv serve`?)', engine);
      }
      if (!res.prompt_logprobs) {
        throw capabilityError('scoring', ep.url, 'the answer to a scoring request has neither response_logprobs (rlaifv serve) nor prompt_logprobs (vLLM)', engine);
      }
      // vLLM: learnt now; score again with the turn closed so that end-of-turn is scored too.
      this.modes.set(ep.url, 'prompt_logprobs');
    }
    const res = await chatOn(this.pool, ep, scoreBody(input.model, input.imageUrl, input.prompt, input.response, 'closed'));
    if (!res.prompt_logprobs) {
      throw capabilityError('scoring', ep.url, 'logprobsMode is prompt_logprobs but the answer has no prompt_logprobs field (is this vLLM?)', engine);
    }
    return { ep, promptLogprobs: res.prompt_logprobs };
  }

  private async tokenizeOn(ep: Endpoint, body: Record<string, unknown>): Promise<Tokenized> {
    try {
      return await tokenize(this.pool, ep, body);
    } catch (err) {
      if (err instanceof ServerError && (err.status === 404 || err.status === 405)) {
        throw capabilityError('tokenize', ep.root, `${whereOf(TOKENIZE, ep)} answered ${err.status}: ${err.detail}`, this.engineOf(ep));
      }
      throw err;
    }
  }
}

function fromResponseLogprobs(res: ChatCompletion, where: string): SequenceLogProbs {
  const r = res.response_logprobs!;
  if (r.tokens.length !== r.token_logprobs.length) {
    throw new ResponseFormatError(where, `response_logprobs has ${r.tokens.length} tokens but ${r.token_logprobs.length} token_logprobs`, '');
  }
  return { sum: r.sum, tokenLogProbs: r.token_logprobs, tokens: r.tokens };
}
