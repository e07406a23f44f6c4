/**
 * `rlaifv audit`: a small web server over one `generate` folder, where a person reads every
 * candidate with its claims highlighted by verdict and answers the claims' questions. Answers go
 * to `DIR/audit.jsonl` as they are given; `rlaifv generate` rerun on the folder scores with them.
 * Binds 127.0.0.1 unless told otherwise: the page can write to the run folder.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditRequestError, AuditRun } from './data.ts';
import { auditPageHtml } from './page.ts';
import type { VerdictRequest } from './types.ts';

export interface AuditServerOptions {
  /** The `generate` output folder. */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Request lines (method, path, status); default: none. */
  log?: (line: string) => void;
}

export interface RunningAuditServer {
  url: string;
  run: AuditRun;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

/**
 * `const s = await startAuditServer({ dir: 'runs/gen', port: 0 }); // open s.url; later await s.close()`
 */
export async function startAuditServer(options: AuditServerOptions): Promise<RunningAuditServer> {
  const run = await AuditRun.open(options.dir);
  const page = auditPageHtml();
  const server = createServer((req, res) => {
    void handle(run, page, req, res).then(
      (status) => options.log?.(`${req.method} ${req.url} ${status}`),
      (e: unknown) => {
        const status = e instanceof AuditRequestError ? e.status : 500;
        send(res, status, 'application/json', JSON.stringify({ error: { message: (e as Error).message } }));
        options.log?.(`${req.method} ${req.url} ${status} ${(e as Error).message}`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8090, options.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    run,
    // Idempotent: a test may close it and then its cleanup close it again.
    close: () => (closing ??= new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    })),
  };
}

async function handle(run: AuditRun, page: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://audit');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'GET' && (path === '/' || path === '/index.html')) return send(res, 200, 'text/html; charset=utf-8', page);
  if (method === 'GET' && path === '/api/run') return json(res, run.info());
  if (method === 'GET' && path === '/api/instructions') return json(res, run.rows());
  if (method === 'GET' && path.startsWith('/api/instructions/')) {
    const id = decodeURIComponent(path.slice('/api/instructions/'.length));
    const detail = run.instruction(id);
    // Say here why an image cannot be served (a moved input file), so that the page can show it.
    const problem = await run.imageProblem(id);
    return json(res, { ...detail, ...(problem === undefined ? { image: `/image/${encodeURIComponent(id)}` } : { image: null, imageError: problem }) });
  }
  if (method === 'GET' && path.startsWith('/image/')) {
    const png = await run.imagePng(decodeURIComponent(path.slice('/image/'.length)));
    return send(res, 200, 'image/png', png);
  }
  if (path === '/api/verdict') {
    if (method !== 'POST') throw new AuditRequestError('POST a JSON {"instructionId","question","answer"} to /api/verdict', 400);
    const body = await readBody(req);
    let parsed: VerdictRequest;
    try {
      parsed = JSON.parse(body) as VerdictRequest;
    } catch {
      throw new AuditRequestError('the body is not JSON; send {"instructionId","question","answer":"yes"|"no"|null}', 400);
    }
    if (typeof parsed !== 'object' || parsed === null) throw new AuditRequestError('the body must be a JSON object', 400);
    return json(res, { agreement: run.answer(parsed) });
  }
  throw new AuditRequestError(`no route ${method} ${path}`, 404);
}

function json(res: ServerResponse, value: unknown): number {
  return send(res, 200, 'application/json', JSON.stringify(value));
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): number {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
  return status;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AuditRequestError(`the body is over ${MAX_BODY} bytes`, 400);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}
