/**
 * A small OpenAI-compatible server for tests and benchmarks (node:http on 127.0.0.1, port 0).
 * It imitates the engines' differences (n refused or ignored, logprobs missing, images refused,
 * vLLM's prompt_logprobs + /tokenize or rlaifv's response_logprobs), injects faults (status
 * codes with Retry-After, dropped connections, delays, garbage bodies), and serves with a fixed
 * latency through a fixed number of slots, recording how busy they were.
 * Answers are deterministic functions of the request: text from (prompt, seed), yes/no
 * alternatives from the question, log-probabilities from the toy model in toy-chat.ts.
 *
 *   const server = await FakeServer.start({ slots: 2, latencyMs: 20 });
 *   server.inject({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
 *   ... new OpenAICompatibleBackend(parseHttpSettings({ baseUrls: server.url })) ...
 *   await server.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeDataUrl } from '../../../image/codec.ts';
import { deriveSeed, Rng } from '../../../util/rng.ts';
import { render, responseLogprobs, tokenId, tokenLogprob, words } from './toy-chat.ts';

export interface FakeServerOptions {
  /** Served model ids (GET /v1/models). */
  models?: string[];
  /** `owned_by` in GET /v1/models: how clients guess the engine. */
  ownedBy?: string;
  /** GET /v1/models answers 404 when false. */
  modelsRoute?: boolean;
  /** Fixed service time of every request, inside its slot. */
  latencyMs?: number;
  /** Requests served at once; later ones wait in arrival order. */
  slots?: number;
  /** 'yes' samples n choices; 'reject' answers 400 to n > 1 (llama.cpp); 'ignore' returns one choice (Ollama). */
  n?: 'yes' | 'reject' | 'ignore';
  /** false: logprobs requests get answers without logprobs (old Ollama). */
  logprobs?: boolean;
  /** top_logprobs above this is refused with 400 (vLLM --max-logprobs). */
  maxLogprobs?: number;
  /** false: image parts get llama.cpp's 500 "image input is not supported ... mmproj". */
  images?: boolean;
  /** POST /tokenize exists (with scoring 'prompt_logprobs'); false imitates a vLLM without it. */
  tokenizeRoute?: boolean;
  /** How scoring requests are answered: rlaifv serve, vLLM, or not at all. */
  scoring?: 'response_logprobs' | 'prompt_logprobs' | 'none';
  /** vLLM's --max-model-len: a prompt of this many tokens or more (toy-chat tokens) is refused with vLLM's 400. */
  maxModelLen?: number;
  /** Error body shape: OpenAI's `{"error": {...}}` or SGLang's `{"object": "error", "message"}`. */
  errorStyle?: 'openai' | 'flat';
  /** Text of choice j: default words drawn from (prompt, seed + j). */
  text?: (prompt: string, seed: number) => string;
  /** Top alternatives at the first token of a logprobs request. */
  yesNo?: (question: string) => Array<{ token: string; logprob: number }>;
}

export type Fault =
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string>; path?: string }
  | { kind: 'drop'; path?: string }
  | { kind: 'delay'; ms: number; path?: string }
  | { kind: 'garbage'; body?: string; contentType?: string; path?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  fault?: Fault['kind'];
}

export interface SlotStats {
  served: number;
  maxInService: number;
  /** Time-weighted mean of requests in service, from the first arrival to the last completion. */
  meanInService: number;
  /** Time with at least one request in service. */
  busyMs: number;
  /** Slot-time used / slot-time available (undefined with unbounded slots). */
  utilisation: number | undefined;
  maxQueued: number;
}

const CHAT = '/v1/chat/completions';

/** Words for default answers: a small scene vocabulary. */
const VOCAB = ['the', 'image', 'shows', 'a', 'red', 'blue', 'green', 'cube', 'sphere', 'small', 'large', 'left', 'of', 'there', 'is'];

/** `defaultText('Describe.', 7)`: 3-8 words, the same for the same prompt and seed. */
export function defaultText(prompt: string, seed: number): string {
  const rng = new Rng(deriveSeed('fake-text', prompt, seed));
  return Array.from({ length: 3 + rng.int(6) }, () => rng.pick(VOCAB)).join(' ');
}

/** Yes-leaning alternatives, no-leaning when the question contains "not". */
export function defaultYesNo(question: string): Array<{ token: string; logprob: number }> {
  const yes = question.includes(' not ') ? 0.2 : 0.7;
  return [
    { token: 'Yes', logprob: Math.log(yes) },
    { token: '▁No', logprob: Math.log(0.9 - yes) },
    { token: ' yes', logprob: Math.log(0.04) },
    { token: 'Maybe', logprob: Math.log(0.03) },
  ].sort((a, b) => b.logprob - a.logprob);
}

export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly waiting: Array<() => void> = [];
  private inService = 0;
  private queued = 0;
  private clock = { last: 0, first: -1, end: 0, area: 0, busy: 0, max: 0, maxQueued: 0, served: 0 };

  private constructor(private readonly server: Server, readonly options: Required<Omit<FakeServerOptions, 'text' | 'yesNo'>> & Pick<FakeServerOptions, 'text' | 'yesNo'>) {}

  /** Listen on 127.0.0.1 with an OS-chosen port. */
  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const full = {
      models: ['fake-vlm'], ownedBy: 'vllm', modelsRoute: true, latencyMs: 0, slots: Infinity, n: 'yes' as const, logprobs: true,
      maxLogprobs: 20, images: true, tokenizeRoute: true, scoring: 'response_logprobs' as const, errorStyle: 'openai' as const, maxModelLen: Infinity, ...options,
    };
    let fake!: FakeServer;
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) fake.error(res, 500, `fake server bug: ${(err as Error).stack}`);
      });
    });
    fake = new FakeServer(server, full);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Server root, e.g. `http://127.0.0.1:40123` (vLLM's /tokenize lives here). */
  get root(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** OpenAI base URL: `${root}/v1`. */
  get url(): string {
    return `${this.root}/v1`;
  }

  /** Faults for the next matching requests, in order (path defaults to /v1/chat/completions). */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Chat requests received (including refused and faulted ones). */
  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === CHAT);
  }

  stats(): SlotStats {
    const c = this.clock;
    const window = c.first < 0 ? 0 : c.end - c.first;
    return {
      served: c.served,
      maxInService: c.max,
      meanInService: window > 0 ? c.area / window : 0,
      busyMs: c.busy,
      utilisation: Number.isFinite(this.options.slots) && window > 0 ? c.area / (this.options.slots * window) : undefined,
      maxQueued: c.maxQueued,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* recorded as text */ }
    const fault = this.takeFault(path);
    this.requests.push({ method: req.method ?? 'GET', path, body, ...(fault ? { fault: fault.kind } : {}) });
    await this.enter();
    try {
      if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
      if (fault?.kind === 'delay') await sleep(fault.ms);
      if (res.destroyed) return; // the client gave up (time-out)
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        this.error(res, fault.status, fault.message ?? `injected ${fault.status}`, fault.headers);
        return;
      }
      if (fault?.kind === 'garbage') {
        res.writeHead(200, { 'content-type': fault.contentType ?? 'application/json' });
        res.end(fault.body ?? '{"choices": [ this is not json');
        return;
      }
      await this.route(req.method ?? 'GET', path, body, res);
    } finally {
      this.leave();
    }
  }

  private async route(method: string, path: string, body: unknown, res: ServerResponse): Promise<void> {
    if (method === 'GET' && path === '/v1/models') {
      if (!this.options.modelsRoute) return json(res, 404, { detail: 'Not Found' });
      const data = this.options.models.map((id) => ({ id, object: 'model', created: 0, owned_by: this.options.ownedBy }));
      return json(res, 200, { object: 'list', data });
    }
    if (method === 'POST' && path === CHAT) return this.chat(body as ChatRequest, res);
    if (method === 'POST' && path === '/tokenize' && this.options.scoring === 'prompt_logprobs' && this.options.tokenizeRoute) {
      const b = body as ChatRequest & { add_generation_prompt?: boolean; continue_final_message?: boolean };
      const tokens = render(b.messages ?? [], { addGenerationPrompt: b.add_generation_prompt ?? true, continueFinalMessage: b.continue_final_message ?? false });
      return json(res, 200, { count: tokens.length, max_model_len: 4096, tokens: tokens.map(tokenId), token_strs: tokens });
    }
    json(res, 404, { detail: 'Not Found' });
  }

  private async chat(b: ChatRequest, res: ServerResponse): Promise<void> {
    const o = this.options;
    if (!b || !Array.isArray(b.messages)) return this.error(res, 400, 'messages: field required');
    if (!o.models.includes(b.model ?? '')) return this.error(res, 404, `The model \`${b.model}\` does not exist.`);
    const images = b.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((p) => p.type === 'image_url');
    if (images.length && !o.images) {
      return this.error(res, 500, 'image input is not supported - hint: if this is unexpected, you may need to provide the mmproj');
    }
    for (const part of images) {
      try {
        await decodeDataUrl(part.image_url?.url ?? '');
      } catch (err) {
        return this.error(res, 400, `image_url: ${(err as Error).message}`);
      }
    }
    if (b.logprobs && (b.top_logprobs ?? 0) > o.maxLogprobs) {
      return this.error(res, 400, `Requested top_logprobs of ${b.top_logprobs} exceeds the server's maximum of ${o.maxLogprobs} (--max-logprobs)`);
    }
    let n = b.n ?? 1;
    if (n > 1 && o.n === 'reject') return this.error(res, 400, 'Only one completion choice is allowed');
    if (o.n === 'ignore') n = 1;
    const last = b.messages[b.messages.length - 1]!;
    const promptTokens = render(b.messages, { addGenerationPrompt: true, continueFinalMessage: false }).length;
    if (promptTokens >= o.maxModelLen) {
      return this.error(res, 400, `This model's maximum context length is ${o.maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`);
    }
    const base = { id: 'chatcmpl-fake', object: 'chat.completion', created: 0, model: b.model };

    if (last.role === 'assistant') {
      const extra: Record<string, unknown> = {};
      if (o.scoring === 'response_logprobs') extra.response_logprobs = responseLogprobs(typeof last.content === 'string' ? last.content : '');
      if (o.scoring === 'prompt_logprobs' && b.prompt_logprobs !== undefined) {
        const tokens = render(b.messages, { addGenerationPrompt: b.add_generation_prompt ?? true, continueFinalMessage: b.continue_final_message ?? false });
        extra.prompt_logprobs = tokens.map((t, i) => (i === 0 ? null : { [tokenId(t)]: { logprob: tokenLogprob(t), rank: 1, decoded_token: t } }));
      }
      return json(res, 200, {
        ...base, ...extra,
        choices: [{ index: 0, message: { role: 'assistant', content: '.' }, finish_reason: 'length' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 },
      });
    }

    const prompt = textOf(last.content);
    if (b.logprobs) {
      const top = (o.yesNo ?? defaultYesNo)(prompt).slice(0, b.top_logprobs ?? 0);
      const first = (o.yesNo ?? defaultYesNo)(prompt)[0]!;
      const logprobs = o.logprobs ? { content: [{ token: first.token, logprob: first.logprob, top_logprobs: top }] } : null;
      return json(res, 200, {
        ...base,
        choices: [{ index: 0, message: { role: 'assistant', content: first.token.replace(/^[\s▁]+/u, '') }, logprobs, finish_reason: 'length' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 },
      });
    }
    const seed = b.seed ?? 0;
    const maxTokens = b.max_tokens ?? 512;
    let completion = 0;
    const choices = Array.from({ length: n }, (_, j) => {
      const all = words((o.text ?? defaultText)(prompt, seed + j));
      const kept = all.slice(0, maxTokens);
      completion += kept.length;
      return { index: j, message: { role: 'assistant', content: kept.join(' ') }, finish_reason: all.length > maxTokens ? 'length' : 'stop' };
    });
    json(res, 200, { ...base, choices, usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion } });
  }

  /** An error body in the configured engine's shape. */
  error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    const type = status >= 500 ? 'InternalServerError' : 'BadRequestError';
    const body = this.options.errorStyle === 'flat'
      ? { object: 'error', message, type, param: null, code: status }
      : { error: { message, type, param: null, code: status } };
    json(res, status, body, headers);
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.path ?? CHAT) === path);
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  private async enter(): Promise<void> {
    if (this.clock.first < 0) this.clock.first = performance.now();
    if (this.inService >= this.options.slots) {
      this.queued++;
      this.clock.maxQueued = Math.max(this.clock.maxQueued, this.queued);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.queued--;
    }
    this.tick(+1);
  }

  private leave(): void {
    this.tick(-1);
    this.clock.served++;
    this.clock.end = performance.now();
    this.waiting.shift()?.();
  }

  /** Integrate requests-in-service over time before changing the count. */
  private tick(delta: number): void {
    const now = performance.now();
    const c = this.clock;
    if (this.inService > 0) {
      c.area += this.inService * (now - c.last);
      c.busy += now - c.last;
    }
    c.last = now;
    this.inService += delta;
    c.max = Math.max(c.max, this.inService);
  }
}

interface ChatRequest {
  model?: string;
  messages: Array<{ role?: string; content?: string | Array<{ type?: string; text?: string; image_url?: { url?: string } }> }>;
  n?: number;
  seed?: number;
  max_tokens?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  prompt_logprobs?: number;
  add_generation_prompt?: boolean;
  continue_final_message?: boolean;
}

function textOf(content: ChatRequest['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).filter((p) => p.type === 'text').map((p) => p.text ?? '').join(' ');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Unref'd, so a pending delay never keeps a finished test process alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
