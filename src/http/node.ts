/**
 * An app on a node:http socket: read the body (up to the app's limit), answer with `app.handle`,
 * log one line per request. The app itself knows nothing of sockets.
 *
 * A client cannot hold the server: a request must arrive whole within `requestTimeoutMs` (a body
 * that stalls is answered 408 and its connection closed; so is a connection that sends nothing),
 * and at most `maxConnections` connections are open at once.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './responses.ts';
import { RlaifvError } from '../util/errors.ts';

/** What the adapter needs of an app (an `HttpApp`, or anything built on one). */
export interface Answering {
  readonly maxBodyBytes: number;
  handle(request: HttpRequest): Promise<HttpResponse>;
  errorResponse(err: unknown): HttpResponse<string>;
}

export interface RequestLogEntry {
  method: string;
  /** As sent, query string included. */
  url: string;
  status: number;
  ms: number;
  /** The error message of a failed request. */
  error?: string;
}

/** What `close()` does with the connections still open. */
const CLOSE_MODES = {
  /** Requests in flight finish (a model answer can take minutes); idle keep-alive connections go at once. */
  drain: (server: Server) => server.closeIdleConnections(),
  /** Every connection is cut: for a server whose only client is a page that holds keep-alive connections. */
  drop: (server: Server) => server.closeAllConnections(),
};

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** One entry per answered request; format it with `requestLine`. */
  log?: (entry: RequestLogEntry) => void;
  /**
   * Longest a client may take to send a request: its headers from when the connection opens (or the
   * request starts), its body from when the headers arrived. Past it the app answers 408 and the
   * connection is closed. Answering takes as long as it takes: this does not limit the handler.
   * 0 = no limit; default 60 s.
   */
  requestTimeoutMs?: number;
  /** Connections open at once at most; one more is closed as it arrives. Default: no cap. */
  maxConnections?: number;
  closing?: keyof typeof CLOSE_MODES;
}

/** Default `requestTimeoutMs`: a minute, as node's own wait for headers. */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface Listening {
  /** Base URL of the bound address, e.g. `http://127.0.0.1:8000`. */
  url: string;
  port: number;
  /** Stop listening; safe to call more than once. */
  close(): Promise<void>;
}

/** `GET /health 200 3ms`, then the error message of a failed request. */
export function requestLine(e: RequestLogEntry): string {
  return `${e.method} ${e.url} ${e.status} ${e.ms.toFixed(0)}ms${e.error ? ` ${e.error}` : ''}`;
}

/**
 * Serve `app` until `close()`; resolves once listening.
 * Example: `const s = await listen(app, { host: '127.0.0.1', port: 0 }); await fetch(s.url); await s.close();`
 */
export async function listen(app: Answering, options: ListenOptions): Promise<Listening> {
  const { host, port, log, requestTimeoutMs = REQUEST_TIMEOUT_MS, maxConnections, closing = 'drain' } = options;
  if (typeof host !== 'string' || host === '') throw new Error(`listen: host must be an interface name or address such as 127.0.0.1, got ${JSON.stringify(host)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`listen: port must be a whole number from 0 to 65535 (0 = any free port), got ${port}`);
  if (!Object.hasOwn(CLOSE_MODES, closing)) throw new Error(`listen: closing must be one of ${Object.keys(CLOSE_MODES).join(', ')}, got ${JSON.stringify(closing)}`);
  if (!Number.isSafeInteger(requestTimeoutMs) || requestTimeoutMs < 0) throw new Error(`listen: requestTimeoutMs must be a whole number of milliseconds (0 = no limit), got ${requestTimeoutMs}`);
  if (maxConnections !== undefined && (!Number.isSafeInteger(maxConnections) || maxConnections < 1)) throw new Error(`listen: maxConnections must be a whole number >= 1, got ${maxConnections}`);

  const limited = requestTimeoutMs > 0;
  const server = createServer({
    // Node times the headers (and answers their 408 itself); the body is timed below, so that its
    // 408 is the app's and logged. Node checks every connectionsCheckingInterval, 30 s by default.
    requestTimeout: 0,
    ...(limited && { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeoutMs / 4))) }),
  }, (req, res) => {
    const started = performance.now();
    // The connection has a request now: its wait is over (node times keep-alive waits after this).
    if (limited) req.socket.setTimeout(0);
    void respond(app, req, requestTimeoutMs).then((out) => {
      const timedOut = out.status === 408;
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body), ...(timedOut && { connection: 'close' }) });
      res.end(out.body);
      // The rest of a stalled body would never come: do not wait for it.
      if (timedOut) res.once('finish', () => req.socket.destroy());
      log?.({ method: req.method ?? 'GET', url: req.url ?? '/', status: out.status, ms: performance.now() - started, ...(out.error !== undefined && { error: out.error }) });
    }, (err: unknown) => {
      // respond() turns every failure into a response; this is a last resort so a request never hangs.
      res.destroy(err as Error);
    });
  });
  if (limited) {
    // A connection that sends nothing is no request yet, so node's header timer never starts for it.
    server.on('connection', (socket) => socket.setTimeout(requestTimeoutMs, () => socket.destroy()));
  }
  if (maxConnections !== undefined) server.maxConnections = maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new RlaifvError(`cannot listen on ${host}:${port}: ${err.message}; pick another --port (0 = any free one) or stop what holds it`)));
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shown}:${bound.port}`,
    port: bound.port,
    close: () => (closed ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      CLOSE_MODES[closing](server);
    })),
  };
}

async function respond(app: Answering, req: IncomingMessage, timeoutMs: number): Promise<HttpResponse> {
  let read: { body: Buffer; bytes: number };
  try {
    read = await readBody(req, app.maxBodyBytes, timeoutMs);
  } catch (err) {
    if (err instanceof BodyTimeout) return app.errorResponse(new HttpError(408, err.message, { code: 'request_timeout' }));
    return app.errorResponse(new HttpError(400, `cannot read the request body: ${(err as Error).message}`));
  }
  return app.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: headerRecord(req.headers), body: read.body, bodyBytes: read.bytes, ...(req.socket.remoteAddress !== undefined && { remoteAddress: req.socket.remoteAddress }) });
}

/** Node's headers as the app's: several values of one header joined by ', '. */
function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

class BodyTimeout extends Error {}

/**
 * The body, kept up to `limit` bytes; past that it is read to the end and dropped, so the client
 * gets the app's 413 rather than a cut connection. Rejects with BodyTimeout when it has not all
 * arrived within `timeoutMs` (0: no limit).
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<{ body: Buffer; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const timer = timeoutMs > 0
      ? setTimeout(() => reject(new BodyTimeout(`the request body did not arrive within ${timeoutMs} ms (${bytes} bytes came)`)), timeoutMs)
      : undefined;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve({ body: Buffer.concat(chunks), bytes });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
