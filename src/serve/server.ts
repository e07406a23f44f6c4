/**
 * `rlaifv serve`: the app over node:http. Binds 127.0.0.1 by default, so the model is reachable
 * from this machine only; pass host '0.0.0.0' (CLI: --host 0.0.0.0) to expose it to the network.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, errorResponse, type AppOptions, type ServeApp, type ServeResponse } from './app.ts';
import { HttpError } from './errors.ts';

export type StartServerOptions = AppOptions & {
  /** Where request lines go when `logRequests` is on; default stderr. */
  log?: (line: string) => void;
};

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`; OpenAI clients take `${url}/v1`. */
  url: string;
  port: number;
  name: string;
  close(): Promise<void>;
}

/**
 * Start serving; resolves once listening.
 * Example: `const s = await startServer({ backend, port: 0 });`
 * `new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'unused' })`; later `await s.close()`.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { log = (line: string) => process.stderr.write(`${line}\n`), ...appOptions } = options;
  const app = createApp(appOptions);
  const { host, port, maxBodyBytes, logRequests } = app.settings;

  const server = createServer((req, res) => {
    const started = performance.now();
    void respond(req, maxBodyBytes, app.handle).then((out) => {
      res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
      res.end(out.body);
      if (logRequests) {
        const ms = (performance.now() - started).toFixed(0);
        log(`${req.method} ${req.url} ${out.status} ${ms}ms${out.error ? ` ${out.error}` : ''}`);
      }
    }, (err: unknown) => {
      // respond() turns every failure into a response; this is a last resort so a request never hangs.
      res.destroy(err as Error);
    });
  });
  // Candidates of a large n can take minutes on CPU: no request timeout.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    port: bound,
    name: app.name,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeIdleConnections();
    }),
  };
}

async function respond(req: IncomingMessage, maxBodyBytes: number, handle: ServeApp['handle']): Promise<ServeResponse> {
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (err) {
    return errorResponse(err instanceof HttpError ? err : new HttpError(400, `cannot read the request body: ${(err as Error).message}`));
  }
  return handle({ method: req.method ?? 'GET', url: req.url ?? '/', body });
}

/** The whole body, or a 413 once it passes the limit (the rest is read and dropped so the client sees the 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > limit) {
        reject(new HttpError(413, `request body of ${size} bytes exceeds the limit of ${limit} bytes (setting maxBodyBytes); send a smaller image`, null, 'request_too_large'));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}
