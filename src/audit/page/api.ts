/** The audit page talking to its server: JSON in and out, failures shown in the page's error banner. */
import { byId } from './dom.ts';

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : String(err);
}

/**
 * GET (or `init`) a JSON answer from the audit server; a failure throws an Error with the
 * server's own message and the status, e.g. `no instruction "x" in runs/gen (HTTP 404)`.
 */
export async function api<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new Error('the audit server cannot be reached (' + messageOf(e) + '); is it still running?');
  }
  const body = await res.text();
  let json: unknown = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const error = (json as { error?: { message?: unknown } } | null)?.error;
    const msg = error && typeof error.message === 'string' ? error.message : (body ? body.slice(0, 300) : res.statusText);
    throw new Error(msg + ' (HTTP ' + res.status + ')');
  }
  if (json === null) throw new Error('the server answered ' + path + ' with something that is not JSON');
  return json as T;
}

export function showError(what: string, err: unknown): void {
  byId('error-message').textContent = what + ': ' + messageOf(err);
  byId('error').hidden = false;
}

export function hideError(): void {
  byId('error').hidden = true;
}
