/**
 * Retry policy in one place: which failures are worth another attempt (`isRetryable`), how long
 * to wait (`backoffDelayMs`, `retryAfterMs`). Pure functions, so the policy is tested without sockets.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CapabilityError, ResponseFormatError, ServerError } from './errors.ts';

/** 408 timeout, 409 conflict (lock contention), 429 rate limit, 5xx: transient by HTTP's own account. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Connection-level failures that a restart or a brief overload explains. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
/** Failures no retry will fix: a misspelt host, a bad URL, a TLS mismatch. */
const PERMANENT_CODES = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED']);
const TRANSIENT_MESSAGE = /socket hang up|other side closed|terminated|ECONNRESET|ECONNREFUSED|timed? ?out/i;
/** A 5xx that states a missing capability (llama.cpp without --mmproj answers 500) is not transient. */
const PERMANENT_5XX_MESSAGE = /mmproj|image input is not supported|does not support (image|vision)/i;

/**
 * The single retry decision: `isRetryable(new ServerError({ status: 503, retryable: true, ... })) === true`.
 * Our typed errors carry their own verdict; SDK errors are judged by status or by the connection
 * failure underneath; anything else only when it looks like a dropped or refused connection.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ServerError) return err.retryable;
  if (err instanceof CapabilityError || err instanceof ResponseFormatError) return false;
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionTimeoutError) return true;
  if (err instanceof APIConnectionError) return !causeChain(err).some((e) => PERMANENT_CODES.has(codeOf(e)));
  if (err instanceof APIError && typeof err.status === 'number') {
    return isRetryableStatus(err.status) && !PERMANENT_5XX_MESSAGE.test(err.message);
  }
  const chain = causeChain(err);
  if (chain.some((e) => PERMANENT_CODES.has(codeOf(e)))) return false;
  return chain.some((e) => TRANSIENT_CODES.has(codeOf(e)) || TRANSIENT_MESSAGE.test(messageOf(e)));
}

/** Full jitter: uniform in [0, min(max, base * 2^attempt)]; `attempt` counts from 0. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

/**
 * The wait a response asks for: `retry-after-ms` (milliseconds, an OpenAI convention) or
 * `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable.
 * `retryAfterMs(headers({ 'retry-after': '2' })) === 2000`.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The headers of a failed response, when the error carries them. */
export function headersOf(err: unknown): Headers | undefined {
  return err instanceof APIError && err.headers instanceof Headers ? err.headers : undefined;
}

/** `err`, its `cause`, the cause's cause... (bounded, in case of cycles). */
export function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = err;
  while (e !== undefined && e !== null && out.length < 8) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : '';
}
