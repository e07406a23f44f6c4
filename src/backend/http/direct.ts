/**
 * How the pool's endpoints send JSON requests. Two implementations with one behaviour:
 *
 * - `SdkHttp` goes through the OpenAI SDK client (used when the caller passes its own fetch);
 * - `DirectHttp` (the default) sends on node:http with the headers the SDK would send, and turns
 *   answers into exactly the values and errors the SDK (behind `withReadableErrors`) would give:
 *   parsed JSON, text for a non-JSON body, `APIError.generate(...)` for a non-2xx status,
 *   `APIConnectionTimeoutError` on time-out, `APIConnectionError` with the socket error as cause.
 *
 * The data engine keeps a few hundred requests a second in flight from one thread; the SDK's
 * per-call machinery (option merging, header building, logging hooks, WHATWG Response and
 * stream objects) cost more CPU than the rest of the engine, and slot utilisation suffered.
 */
import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { serverErrorMessage } from './error-bodies.ts';
import { headerRecord, type NodeTransport, type RawResponse } from './node-fetch.ts';

export interface HttpClient {
  /** POST a JSON body to a path under the API base (or an absolute URL); the parsed answer. */
  post(path: string, body: unknown): Promise<unknown>;
  /** GET a path under the API base (or an absolute URL); the parsed answer. */
  get(path: string): Promise<unknown>;
}

/** Through the SDK client, as `client.post(path, { body })` and `client.get(path)`. */
export class SdkHttp implements HttpClient {
  constructor(private readonly client: OpenAI) {}

  post(path: string, body: unknown): Promise<unknown> {
    return this.client.post(path, { body });
  }

  get(path: string): Promise<unknown> {
    return this.client.get(path);
  }
}

/** Straight on node:http(s), answering as the SDK does; see the file comment. */
export class DirectHttp implements HttpClient {
  private headers: Promise<{ post: Record<string, string>; get: Record<string, string> }> | undefined;
  private readonly urls = new Map<string, URL>();

  /** `client` supplies the URLs and headers (auth included) its requests would have; `timeoutMs` as the SDK's `timeout`. */
  constructor(private readonly client: OpenAI, private readonly transport: NodeTransport, private readonly timeoutMs: number) {}

  async post(path: string, body: unknown): Promise<unknown> {
    return this.send('POST', path, JSON.stringify(body));
  }

  async get(path: string): Promise<unknown> {
    return this.send('GET', path, undefined);
  }

  private async send(method: 'GET' | 'POST', path: string, payload: string | undefined): Promise<unknown> {
    const headers = await (this.headers ??= this.sdkHeaders());
    let url = this.urls.get(path);
    if (!url) {
      url = new URL(this.client.buildURL(path, undefined));
      this.urls.set(path, url);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: RawResponse;
    try {
      res = await this.transport.request(url, method, method === 'POST' ? headers.post : headers.get, payload, controller.signal);
    } catch (err) {
      // As the SDK's makeRequest: an abort (our time-out) or a cause that reads "timed out" is a time-out.
      const e = err instanceof Error ? err : new Error(String(err));
      if (isAbortError(e) || /timed? ?out/i.test(String(e) + ('cause' in e ? String(e.cause) : ''))) throw new APIConnectionTimeoutError();
      throw new APIConnectionError({ cause: e });
    } finally {
      clearTimeout(timer);
    }
    return answerOf(res);
  }

  /** The headers the SDK sends with a JSON POST and with a GET, from the SDK itself (auth, user agent, platform). */
  private async sdkHeaders(): Promise<{ post: Record<string, string>; get: Record<string, string> }> {
    const post = await this.client.buildRequest({ method: 'post', path: '/chat/completions', body: {} });
    const get = await this.client.buildRequest({ method: 'get', path: '/models' });
    return { post: headerRecord(post.req.headers), get: headerRecord(get.req.headers) };
  }
}

/** The SDK's reading of an answer (core/parse.ts), with error bodies rewritten as `withReadableErrors` does. */
function answerOf(res: RawResponse): unknown {
  const status = res.statusCode;
  if (status < 200 || status > 599) throw new APIConnectionError({ cause: new TypeError('fetch failed', { cause: new Error(`unexpected HTTP status ${status}`) }) });
  if (status < 200 || status >= 300) {
    const headers = responseHeaders(res, true);
    const error = { error: { message: serverErrorMessage(textOf(res.body)), status } };
    throw APIError.generate(status, error, undefined, headers);
  }
  if (status === 204) return null;
  const mediaType = headerValue(res, 'content-type')?.split(';')[0]?.trim();
  const isJson = mediaType?.includes('application/json') || mediaType?.endsWith('+json');
  if (isJson) {
    if (headerValue(res, 'content-length') === '0') return undefined;
    return JSON.parse(textOf(res.body));
  }
  return textOf(res.body);
}

/** UTF-8 text of a body, a leading byte-order mark dropped (as fetch's text() and json() do). */
function textOf(body: Buffer): string {
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function headerValue(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The response's headers as a Headers object; for an error, as `withReadableErrors` leaves them. */
function responseHeaders(res: RawResponse, rewritten: boolean): Headers {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  if (rewritten) {
    headers.delete('content-length');
    headers.delete('content-encoding');
    headers.set('content-type', 'application/json');
  }
  return headers;
}

function isAbortError(err: Error): boolean {
  return err.name === 'AbortError' || String(err.message).includes('FetchRequestCanceledException');
}
