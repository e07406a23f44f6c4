/**
 * The pages talking to their server: JSON in and out, every change sent with the session's CSRF
 * token, and failures turned into one line a person can act on (a 401 says the session ended, a
 * 429 how long to wait). Failures also show in the page's error banner.
 */
import type { FeedbackEvent } from '../../feedback/types.ts';
import { byId } from './dom.ts';
import { errorMessage, failureText, retryAfterSeconds } from './feedback-helpers.ts';

/** A refused or failed request; `message` is what the page shows, `status` 0 when the server was not reached. */
export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly retryAfter: number | null) {
    super(message);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : String(err);
}

/** Set once from `GET /api/me`; sent as `X-CSRF-Token` with every POST. */
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called on a 401, so the page can say once, prominently, that the session ended. */
let onSessionEnded: (() => void) | null = null;

export function whenSessionEnds(f: () => void): void {
  onSessionEnded = f;
}

/**
 * GET (or `init`) a JSON answer from the server; a failure throws an ApiError with the server's
 * own message and the status, e.g. `no instruction "x" in runs/gen (HTTP 404)`.
 */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (e) {
    throw new ApiError('the server cannot be reached (' + messageOf(e) + '); is it still running?', 0, null);
  }
  const body = await res.text();
  let json: unknown = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const retry = retryAfterSeconds(res.headers.get('retry-after'), Date.now());
    const msg = errorMessage(json) ?? (body ? body.slice(0, 300) : res.statusText);
    if (res.status === 401 && onSessionEnded) onSessionEnded();
    throw new ApiError(failureText(res.status, msg, retry), res.status, retry);
  }
  if (json === null) throw new ApiError('the server answered ' + path + ' with something that is not JSON', res.status, null);
  return json as T;
}

/** POST a JSON body with the CSRF token. */
export function post<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
}

/** Record one event; resolves once the server has committed it (`{ seq }`). */
export function postEvent(event: FeedbackEvent): Promise<{ seq: number }> {
  return post<{ seq: number }>('/api/feedback', event);
}

export function showError(what: string, err: unknown): void {
  byId('error-message').textContent = what + ': ' + messageOf(err);
  byId('error').hidden = false;
}

export function hideError(): void {
  byId('error').hidden = true;
}
