/**
 * An app on a node:http socket: read the body (up to the app's limit), answer with `app.handle`,
 * log one line per request. The app itself knows nothing of sockets.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './responses.ts';

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
  /** Longest a request may take, 0 for no limit; default node's (5 minutes). */
  requestTimeoutMs?: number;
  closing?: keyof typeof CLOSE_MODES;
}

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
  const { host, port, log, requestTimeoutMs, closing = 'drain' } = options;
  if (typeof host !== 'string' || host === '') throw new Error(`listen: host must be an interface name or address such as 127.0.0.1, got ${JSON.stringify(host)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`listen: port must be a whole number from 0 to 65535 (0 = any free port), got ${port}`);
  if (!Object.hasOwn(CLOSE_MODES, closing)) throw new Error(`listen: closing must be one of ${Object.keys(CLOSE_MODES).join(', ')}, got ${JSON.stringify(closing)}`);

  const server = createServer((req, res) => {
    const started = performance.now();
    void respond(app, req).then((out) => {
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
      res.end(out.body);
      log?.({ method: req.method ?? 'GET', url: req.url ?? '/', status: out.status, ms: performance.now() - started, ...(out.error !== undefined && { error: out.error }) });
    }, (err: unknown) => {
      // respond() turns every failure into a response; this is a last resort so a request never hangs.
      res.destroy(err as Error);
    });
  });
  if (requestTimeoutMs !== undefined) server.requestTimeout = requestTimeoutMs;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`)));
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

async function respond(app: Answering, req: IncomingMessage): Promise<HttpResponse> {
  let read: { body: Buffer; bytes: number };
  try {
    read = await readBody(req, app.maxBodyBytes);
  } catch (err) {
    return app.errorResponse(new HttpError(400, `cannot read the request body: ${(err as Error).message}`));
  }
  return app.handle({ method: req.method ?? 'GET', url: req.url ?? '/', body: read.body, bodyBytes: read.bytes });
}

/**
 * The body, kept up to `limit` bytes; past that it is read to the end and dropped, so the client
 * gets the app's 413 rather than a cut connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), bytes }));
    req.on('error', reject);
  });
}
