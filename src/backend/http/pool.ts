/**
 * A pool of OpenAI SDK clients over one or more base URLs (replicas of one model). Each URL has
 * a bound on requests in flight; the rest queue here, first come first served, and go to the
 * least-loaded URL. Failed attempts are retried with exponential back-off and full jitter, or
 * after the server's Retry-After; the SDK's own retries are off so these are the only ones.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { deriveSeed, Rng } from '../../util/rng.ts';
import { withReadableErrors, type Fetch } from './error-bodies.ts';
import { DirectHttp, SdkHttp, type HttpClient } from './direct.ts';
import { nodeFetch, NodeTransport } from './node-fetch.ts';
import { CapabilityError, ResponseFormatError, ServerError } from './errors.ts';
import { backoffDelayMs, causeChain, headersOf, isRetryable, retryAfterMs } from './retry.ts';
import { apiBaseUrl, serverRoot, type HttpBackendSettings } from './settings.ts';

export type PoolSettings = Pick<HttpBackendSettings,
  'baseUrls' | 'apiKey' | 'maxInFlightPerUrl' | 'timeoutMs' | 'maxRetries' | 'backoffBaseMs' | 'backoffMaxMs' | 'retryAfterMaxMs'>
  & Partial<Pick<HttpBackendSettings, 'client'>>;

/** One base URL: its SDK client and its load. */
export interface Endpoint {
  /** API base, e.g. `http://10.0.0.5:8000/v1`. */
  readonly url: string;
  /** Server root beside the API base (vLLM's /tokenize lives there). */
  readonly root: string;
  readonly client: OpenAI;
  /** How the routes send: straight on node:http, or through `client` when the caller gave a fetch (direct.ts). */
  readonly http: HttpClient;
  inFlight: number;
  maxInFlight: number;
  attempts: number;
  failedAttempts: number;
  /** Until then (epoch ms) the server asked for a pause (Retry-After); other URLs are preferred. */
  coolUntil: number;
}

/** Where a request goes, for error messages: `{ method: 'POST', path: '/tokenize', atRoot: true }`. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  atRoot?: boolean;
}

export interface PoolStats {
  /** Logical requests (each may take several attempts). */
  requests: number;
  attempts: number;
  retries: number;
  /** Logical requests that failed for good. */
  failures: number;
  /** Why attempts were retried: 'HTTP 429', 'timeout', 'connection'... */
  retryReasons: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  perUrl: Array<{ url: string; attempts: number; failedAttempts: number; maxInFlight: number }>;
}

export interface PoolDeps {
  /** Replaces global fetch (tests, proxies). */
  fetch?: Fetch;
  /** Uniform [0, 1) for jitter; defaults to a seeded Rng. */
  random?: () => number;
  now?: () => number;
}

export interface PoolRequestOptions {
  /** Send to this endpoint only (probes and discovery ask each server). */
  endpoint?: Endpoint;
  /** Overrides settings.maxRetries for this request. */
  maxRetries?: number;
}

interface Waiter {
  pin?: Endpoint;
  avoid?: Endpoint;
  resolve: (ep: Endpoint) => void;
}

export class ClientPool {
  readonly endpoints: Endpoint[];
  private readonly waiters: Waiter[] = [];
  private readonly random: () => number;
  private readonly now: () => number;
  private rotation = 0;
  private readonly transport: NodeTransport | undefined;
  private readonly counters = { requests: 0, attempts: 0, retries: 0, failures: 0, promptTokens: 0, completionTokens: 0 };
  private readonly retryReasons: Record<string, number> = {};

  /** `new ClientPool(parseHttpSettings({ baseUrls: ['http://a:8000/v1', 'http://b:8000/v1'] }))`. */
  constructor(private readonly settings: PoolSettings, deps: PoolDeps = {}) {
    const rng = new Rng(deriveSeed('http-backoff-jitter'));
    this.random = deps.random ?? (() => rng.next());
    this.now = deps.now ?? Date.now;
    // Without a fetch of the caller's, the SDK sends on node:http keep-alive connections, or with
    // client 'direct' the requests skip the SDK's per-call machinery (direct.ts): the built-in
    // fetch and the SDK took most of the engine's CPU per request.
    this.transport = deps.fetch ? undefined : new NodeTransport();
    const fetch = withReadableErrors(deps.fetch ?? nodeFetch({ transport: this.transport }));
    const urls = [...new Set(settings.baseUrls.map(apiBaseUrl))];
    this.endpoints = urls.map((url) => {
      // Explicit nulls keep the SDK from reading OPENAI_* variables; maxRetries 0 leaves retries to us.
      const client = new OpenAI({
        baseURL: url, apiKey: settings.apiKey, adminAPIKey: null, organization: null, project: null, webhookSecret: null,
        maxRetries: 0, timeout: settings.timeoutMs, fetch, logLevel: 'off',
      });
      return {
        url,
        root: serverRoot(url),
        client,
        http: this.transport && settings.client === 'direct' ? new DirectHttp(client, this.transport, settings.timeoutMs) : new SdkHttp(client),
        inFlight: 0, maxInFlight: 0, attempts: 0, failedAttempts: 0, coolUntil: 0,
      };
    });
  }

  /** Close idle keep-alive connections (they do not keep the process alive either way). */
  close(): void {
    this.transport?.close();
  }

  /**
   * Run `call` on an endpoint, retrying what `isRetryable` allows; failures end as ServerError,
   * CapabilityError or ResponseFormatError.
   * `await pool.request({ method: 'GET', path: '/models' }, (ep) => ep.client.get('/models'))`.
   */
  async request<T>(route: Route, call: (ep: Endpoint) => Promise<T>, options: PoolRequestOptions = {}): Promise<T> {
    this.counters.requests++;
    const maxRetries = options.maxRetries ?? this.settings.maxRetries;
    let avoid: Endpoint | undefined;
    for (let attempt = 0; ; attempt++) {
      const ep = await this.acquire(options.endpoint, avoid);
      let failure: unknown;
      try {
        this.counters.attempts++;
        ep.attempts++;
        return await call(ep);
      } catch (err) {
        failure = normalise(err, whereOf(route, ep));
        ep.failedAttempts++;
      } finally {
        this.release(ep);
      }
      if (!isRetryable(failure) || attempt >= maxRetries) {
        this.counters.failures++;
        throw this.finalError(failure, whereOf(route, ep), attempt + 1);
      }
      const askedFor = retryAfterMs(headersOf(failure), this.now());
      const wait = askedFor !== undefined
        ? Math.min(askedFor, this.settings.retryAfterMaxMs)
        : backoffDelayMs(attempt, this.settings.backoffBaseMs, this.settings.backoffMaxMs, this.random);
      if (askedFor !== undefined) ep.coolUntil = this.now() + wait;
      this.counters.retries++;
      const reason = reasonOf(failure);
      this.retryReasons[reason] = (this.retryReasons[reason] ?? 0) + 1;
      avoid = ep;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Add a response's `usage` to the token counts (absent or malformed usage is ignored). */
  recordUsage(usage: unknown): void {
    const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
    if (typeof u?.prompt_tokens === 'number') this.counters.promptTokens += u.prompt_tokens;
    if (typeof u?.completion_tokens === 'number') this.counters.completionTokens += u.completion_tokens;
  }

  /** Counts for the run summary. */
  stats(): PoolStats {
    return {
      ...this.counters,
      retryReasons: { ...this.retryReasons },
      perUrl: this.endpoints.map((e) => ({ url: e.url, attempts: e.attempts, failedAttempts: e.failedAttempts, maxInFlight: e.maxInFlight })),
    };
  }

  private acquire(pin: Endpoint | undefined, avoid: Endpoint | undefined): Promise<Endpoint> {
    return new Promise((resolve) => {
      this.waiters.push({ pin, avoid, resolve });
      this.dispatch();
    });
  }

  private release(ep: Endpoint): void {
    ep.inFlight--;
    this.dispatch();
  }

  /** Hand free slots to waiters in arrival order; a waiter pinned to a busy URL lets later ones pass. */
  private dispatch(): void {
    for (let i = 0; i < this.waiters.length;) {
      const w = this.waiters[i]!;
      const ep = this.pick(w.pin, w.avoid);
      if (!ep) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      ep.inFlight++;
      ep.maxInFlight = Math.max(ep.maxInFlight, ep.inFlight);
      this.rotation = (this.endpoints.indexOf(ep) + 1) % this.endpoints.length;
      w.resolve(ep);
    }
  }

  /** Least-loaded free endpoint; servers that asked for a pause and the one that just failed come last; ties rotate. */
  private pick(pin: Endpoint | undefined, avoid: Endpoint | undefined): Endpoint | undefined {
    const limit = this.settings.maxInFlightPerUrl;
    if (pin) return pin.inFlight < limit ? pin : undefined;
    const now = this.now();
    const n = this.endpoints.length;
    let best: Endpoint | undefined;
    let bestKey: number[] = [];
    this.endpoints.forEach((e, i) => {
      if (e.inFlight >= limit) return;
      const key = [e.coolUntil > now ? 1 : 0, e === avoid ? 1 : 0, e.inFlight, (i - this.rotation + n) % n];
      if (!best || lexLess(key, bestKey)) {
        best = e;
        bestKey = key;
      }
    });
    return best;
  }

  private finalError(err: unknown, where: string, attempts: number): Error {
    if (err instanceof ServerError || err instanceof CapabilityError || err instanceof ResponseFormatError) return err;
    const retryable = isRetryable(err);
    if (err instanceof APIConnectionTimeoutError) {
      return new ServerError({ status: undefined, retryable, where, attempts, detail: `no response within timeoutMs = ${this.settings.timeoutMs} ms`, cause: err });
    }
    if (err instanceof APIConnectionError) {
      return new ServerError({ status: undefined, retryable, where, attempts, detail: connectionDetail(err), cause: err });
    }
    if (err instanceof APIError && typeof err.status === 'number') {
      return new ServerError({ status: err.status, retryable, where, attempts, detail: apiErrorMessage(err), cause: err });
    }
    return err instanceof Error ? err : new Error(`${where}: ${String(err)}`);
  }
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** `POST http://h:8000/v1/chat/completions`: where a request went, for error messages. */
export function whereOf(route: Route, ep: Endpoint): string {
  return `${route.method} ${route.atRoot ? ep.root : ep.url}${route.path}`;
}

/** A 2xx body that is not JSON surfaces from the SDK as a SyntaxError: name it for what it is. */
function normalise(err: unknown, where: string): unknown {
  if (err instanceof SyntaxError) return new ResponseFormatError(where, `body is not valid JSON (${err.message})`, '');
  return err;
}

/** The server's own words: the error body's message (see error-bodies.ts), without the SDK's status prefix. */
function apiErrorMessage(err: APIError): string {
  const message = (err.error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : err.message;
}

function connectionDetail(err: APIConnectionError): string {
  const parts = causeChain(err).slice(1).map((e) => {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    return typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message;
  });
  return parts.length ? parts.join(': ') : err.message;
}

function reasonOf(err: unknown): string {
  if (err instanceof APIConnectionTimeoutError) return 'timeout';
  if (err instanceof APIError && typeof err.status === 'number') return `HTTP ${err.status}`;
  if (err instanceof ServerError) return err.status === undefined ? 'connection' : `HTTP ${err.status}`;
  return 'connection';
}
