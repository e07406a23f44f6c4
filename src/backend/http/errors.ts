/**
 * Typed errors of the HTTP backend. Each says what is wrong, where (which server URL and
 * route), and what to do; `isRetryable` (retry.ts) is the only place that decides retries.
 */
import { RlaifvError } from '../../util/errors.ts';

/** Capabilities a server may lack; `probe()` checks the ones a run needs before the first real request. */
export type Capability =
  | 'model' // the configured model is not served
  | 'models-route' // GET /v1/models is missing, so the model cannot be discovered
  | 'images' // image_url parts are refused
  | 'logprobs' // no logprobs / top_logprobs in chat responses
  | 'top-logprobs' // top_logprobs = settings.topLogprobs refused (over the server's cap)
  | 'scoring' // neither response_logprobs (rlaifv serve) nor prompt_logprobs (vLLM)
  | 'tokenize'; // vLLM scoring needs POST /tokenize

/** The server cannot do something rlaifv needs; `fix` says how to make it able to. */
export class CapabilityError extends RlaifvError {
  constructor(
    readonly capability: Capability,
    readonly url: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${url}: missing capability '${capability}': ${problem}\n  fix: ${fix}`);
    this.name = 'CapabilityError';
  }
}

export interface ServerErrorInit {
  /** HTTP status; undefined for connection failures and time-outs. */
  status: number | undefined;
  retryable: boolean;
  /** Method, URL and route, e.g. `POST http://10.0.0.5:8000/v1/chat/completions`. */
  where: string;
  /** What the server said (its error message), or what went wrong on the connection. */
  detail: string;
  attempts: number;
  cause?: unknown;
}

/** A request that failed for good: a non-retryable status, or retries exhausted. */
export class ServerError extends RlaifvError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly where: string;
  readonly detail: string;
  readonly attempts: number;

  constructor(init: ServerErrorInit) {
    const what = init.status === undefined ? 'connection failed' : `HTTP ${init.status}`;
    const tail = init.retryable
      ? `gave up after ${init.attempts} attempt${init.attempts === 1 ? '' : 's'}; check that the server is up and not overloaded, or raise maxRetries / timeoutMs`
      : 'not retried: the request itself was refused; fix the request or the server settings';
    super(`${init.where}: ${what}: ${init.detail} (${tail})`, { cause: init.cause });
    this.name = 'ServerError';
    this.status = init.status;
    this.retryable = init.retryable;
    this.where = init.where;
    this.detail = init.detail;
    this.attempts = init.attempts;
  }
}

/** A 2xx response whose body is not what the OpenAI chat API promises (not JSON, missing fields). */
export class ResponseFormatError extends RlaifvError {
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly excerpt: string,
  ) {
    super(`${where}: unexpected response body: ${problem}${excerpt ? ` (body starts: ${excerpt})` : ''}; is this an OpenAI-compatible server?`);
    this.name = 'ResponseFormatError';
  }
}

/** The first `max` characters of a value, for error messages. */
export function excerptOf(value: unknown, max = 200): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
