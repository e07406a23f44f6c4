/**
 * Error bodies differ between engines: OpenAI, llama.cpp, Ollama and recent vLLM send
 * `{"error": {"message": ...}}`, SGLang and older vLLM `{"object": "error", "message": ...}`,
 * FastAPI validation `{"detail": [...]}`, proxies plain text or HTML. The SDK only reads the
 * first shape and would report "400 status code (no body)" for the others, so a fetch wrapper
 * rewrites every error body into the first shape before the SDK sees it.
 */
import type { ClientOptions } from 'openai';

export type Fetch = NonNullable<ClientOptions['fetch']>;

/**
 * The human-readable message of an error body, whatever its shape:
 * `serverErrorMessage('{"object":"error","message":"bad n"}') === 'bad n'`.
 */
export function serverErrorMessage(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '(empty body)';
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return clip(trimmed.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return clip(messageOf(json) ?? trimmed);
}

function messageOf(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  if (o.error !== undefined) return messageOf(o.error);
  if (typeof o.message === 'string') return o.message;
  if (typeof o.detail === 'string') return o.detail;
  if (Array.isArray(o.detail)) {
    // FastAPI: [{loc: ['body', 'n'], msg: '...'}]
    return o.detail.map((d) => {
      const item = d as { loc?: unknown[]; msg?: unknown };
      return `${Array.isArray(item.loc) ? item.loc.join('.') + ': ' : ''}${String(item.msg ?? JSON.stringify(d))}`;
    }).join('; ');
  }
  return undefined;
}

function clip(s: string, max = 1000): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** Wrap a fetch so that non-2xx bodies read `{"error": {"message": <server's message>}}`. */
export function withReadableErrors(inner: Fetch): Fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.ok) return res;
    const text = await res.text().catch((err: unknown) => `(body unreadable: ${(err as Error).message})`);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
    const body = JSON.stringify({ error: { message: serverErrorMessage(text), status: res.status } });
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
