/**
 * The fetch the OpenAI SDK sends through, on node:http(s) with keep-alive agents instead of
 * Node's built-in fetch (undici). The data engine sends a few hundred small requests a second;
 * built-in fetch spent about 0.5 ms of CPU on each (WHATWG streams, spec bookkeeping), as much as
 * the rest of the SDK, and the engine is single-threaded. This one reads the whole body before
 * answering, then hands the SDK an ordinary `Response`.
 *
 * What it keeps from built-in fetch: redirects are followed (303, and 301/302 after a POST,
 * turn into a GET without body, as the fetch spec says), gzip/deflate/br bodies are decoded,
 * an aborted signal rejects with the signal's reason (an AbortError, which the SDK reports as a
 * time-out), and a failed connection rejects with `TypeError('fetch failed', { cause })` where
 * the cause carries the socket error's code (ECONNREFUSED...), as undici does. Bodies it does
 * not handle (streams, FormData, Blobs) go to the built-in fetch unchanged.
 */
import http from 'node:http';
import https from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Fetch } from './error-bodies.ts';

export interface NodeFetchOptions {
  /**
   * How long an idle keep-alive connection is kept, in ms (undici's default, 4 s); a server's
   * `Keep-Alive: timeout=` hint shortens it, so a connection the server is about to close is not reused.
   */
  idleTimeoutMs?: number;
  /** For bodies this fetch does not send itself; default: the built-in fetch. */
  fallback?: Fetch;
}

const MAX_REDIRECTS = 20;

/** Keep-alive agents for http: and https:, and requests on them that follow redirects. */
export class NodeTransport {
  private readonly agents: Record<'http:' | 'https:', http.Agent>;

  constructor(options: Pick<NodeFetchOptions, 'idleTimeoutMs'> = {}) {
    const timeout = options.idleTimeoutMs ?? 4000;
    this.agents = { 'http:': new http.Agent({ keepAlive: true, timeout }), 'https:': new https.Agent({ keepAlive: true, timeout }) };
  }

  /**
   * Send a request and read its whole answer; redirects are followed unless `redirect` says otherwise.
   * Rejects with the signal's reason when aborted, with `TypeError('fetch failed', { cause })` when the connection fails.
   */
  async request(
    input: URL, method: string, headers: Record<string, string>, payload: string | Uint8Array | undefined,
    signal?: AbortSignal, redirect: RequestRedirect = 'follow',
  ): Promise<RawResponse> {
    let url = input;
    headers = { ...headers };
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('fetch failed', { cause: new Error(`unsupported URL ${url.href}`) });
      const res = await send(url, method, headers, payload, signal, this.agents[url.protocol]);
      const location = res.headers.location;
      if (!isRedirect(res.statusCode) || location === undefined || redirect === 'manual') return res;
      if (redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`redirect mode is 'error' and ${url.href} answered ${res.statusCode}`) });
      if (redirects >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const next = new URL(location, url);
      if (res.statusCode === 303 ? method !== 'HEAD' : (res.statusCode === 301 || res.statusCode === 302) && method === 'POST') {
        method = 'GET';
        payload = undefined;
        for (const name of Object.keys(headers)) if (/^content-/i.test(name)) delete headers[name];
      }
      if (next.origin !== url.origin) for (const name of Object.keys(headers)) if (/^(authorization|cookie|proxy-authorization)$/i.test(name)) delete headers[name];
      url = next;
    }
  }

  /** Close idle connections (open ones close when their request ends). */
  close(): void {
    for (const agent of Object.values(this.agents)) for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }
}

/** A fetch over node:http(s) with its own keep-alive agents: `new OpenAI({ fetch: nodeFetch() })`. */
export function nodeFetch(options: NodeFetchOptions & { transport?: NodeTransport } = {}): Fetch {
  const transport = options.transport ?? new NodeTransport(options);
  const fallback = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const body = init?.body;
    if (!(typeof input === 'string' || input instanceof URL) || !(body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array)) {
      return fallback(input, init);
    }
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fallback(input, init);
    const res = await transport.request(url, (init?.method ?? 'GET').toUpperCase(), headerRecord(init?.headers), body ?? undefined, init?.signal ?? undefined, init?.redirect);
    return toResponse(res);
  };
}

/** A whole answer, its body decoded (gzip, deflate, br). */
export interface RawResponse {
  statusCode: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

function send(
  url: URL, method: string, headers: Record<string, string>, payload: string | Uint8Array | undefined, signal: AbortSignal | undefined, agent: http.Agent,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const request = (url.protocol === 'https:' ? https.request : http.request)(url, { method, headers, agent });
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(abortReason(signal!));
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(new TypeError('fetch failed', { cause: err }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', fail);
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      // The connection closed before the body was complete (no 'error' is guaranteed for that).
      res.on('close', () => { if (!res.complete) fail(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })); });
      res.on('end', () => {
        if (settled) return;
        let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        try {
          body = decode(body, res.headers['content-encoding']);
        } catch (err) {
          fail(err as Error);
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve({ statusCode: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, rawHeaders: res.rawHeaders, body });
      });
    });
    request.end(payload);
  });
}

function toResponse(res: RawResponse): Response {
  const headers = new Headers();
  const decoded = res.headers['content-encoding'] !== undefined;
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!;
    // The body is handed over decoded, so its encoding and length headers no longer describe it.
    if (decoded && /^content-(encoding|length)$/i.test(name)) continue;
    headers.append(name, res.rawHeaders[i + 1]!);
  }
  // A Response with status 204, 205 or 304 may not have a body, and its status must be 200-599.
  const nullBody = res.statusCode === 204 || res.statusCode === 205 || res.statusCode === 304;
  if (res.statusCode < 200 || res.statusCode > 599) throw new TypeError('fetch failed', { cause: new Error(`unexpected HTTP status ${res.statusCode}`) });
  return new Response(nullBody ? null : new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength) as Uint8Array<ArrayBuffer>, { status: res.statusCode, statusText: res.statusMessage, headers });
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || body.length === 0) return body;
  // Codings are listed in the order applied; undo them last to first.
  for (const coding of encoding.split(',').map((c) => c.trim().toLowerCase()).reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') body = gunzipSync(body);
    else if (coding === 'deflate') body = body[0]! % 16 === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0 ? inflateSync(body) : inflateRawSync(body); // zlib-wrapped or raw, as servers differ
    else if (coding === 'br') body = brotliDecompressSync(body);
    else if (coding !== 'identity' && coding !== '') throw new Error(`unsupported content-encoding '${coding}'`);
  }
  return body;
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Headers of any HeadersInit as a plain record with lower-case names. */
export function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (init instanceof Headers) {
    init.forEach((value, name) => { out[name] = value; });
  } else if (Array.isArray(init)) {
    for (const [name, value] of init) out[name.toLowerCase()] = out[name.toLowerCase()] === undefined ? value! : `${out[name.toLowerCase()]}, ${value}`;
  } else {
    for (const [name, value] of Object.entries(init)) if (value !== undefined) out[name.toLowerCase()] = String(value);
  }
  return out;
}
