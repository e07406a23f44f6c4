/**
 * `rlaifv audit`: a small web server over one `generate` folder, where a person reads every
 * candidate with its claims highlighted by verdict and answers the claims' questions. Answers go
 * to `DIR/audit.jsonl` as they are given; `rlaifv generate` rerun on the folder scores with them.
 * Binds 127.0.0.1 unless told otherwise: the page can write to the run folder.
 *
 * Any page the person visits can send requests here, so the server answers only its own page
 * (../http/guards.ts): every request must name this server in Host (421), an answer must come from
 * the page's own origin (403) as JSON (415), and the page is sent with a Content-Security-Policy
 * that runs only its own inline script and style, and forbids framing.
 *
 * `createAuditApp` is the socket-free app (routes below); `startAuditServer` puts it on node:http.
 */
import { HttpApp } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { jsonBody, ownHost, sameOrigin, type BoundAddress } from '../http/guards.ts';
import { listen } from '../http/node.ts';
import { bodyText, bytes, html, json, parseJson } from '../http/responses.ts';
import { AuditRequestError, AuditRun } from './data.ts';
import { auditPageHtml, pageSecurityPolicy } from './page.ts';
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

/** A verdict is a few hundred bytes; anything near this is not the page talking. */
const MAX_BODY = 64 * 1024;

/**
 * The audit routes over an opened run, answered in-process for a server at `bound` (read per
 * request: a server on port 0 knows its port once listening):
 * `await createAuditApp(run, page, () => ({ host: '127.0.0.1', port: 8090 }))
 *   .handle({ method: 'GET', url: '/api/run', headers: { host: '127.0.0.1:8090' } })`.
 */
export function createAuditApp(run: AuditRun, page: string, bound: () => BoundAddress | undefined): HttpApp {
  const pageHeaders = { 'content-security-policy': pageSecurityPolicy(page) };
  return new HttpApp({
    maxBodyBytes: MAX_BODY,
    tooLarge: () => new AuditRequestError(`the body is over ${MAX_BODY} bytes`, 400),
    headers: {
      // The page reads every answer fresh: a cached /api/instructions would hide the person's own answers.
      'cache-control': 'no-store',
      // No other page may frame this one (clickjacking the answer buttons); the CSP says it too, for newer browsers.
      'x-frame-options': 'DENY',
      // JSON stays JSON: never sniffed into a script or a page.
      'x-content-type-options': 'nosniff',
    },
    // The person at the page is the one who can act on a failure (a moved input file, say): show it.
    onError: (err) => new HttpError(500, (err as Error).message, { expose: true, cause: err }),
    notFound: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
    methodNotAllowed: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
  })
    .use(ownHost(bound))
    .use(sameOrigin())
    .use(jsonBody())
    .get('/', () => withHeaders(html(page), pageHeaders))
    .get('/index.html', () => withHeaders(html(page), pageHeaders))
    .get('/api/run', () => json(run.info()))
    .get('/api/instructions', () => json(run.rows()))
    .get('/api/instructions/*id', async ({ params: { id } }) => {
      const detail = run.instruction(id!);
      // Say here why an image cannot be served (a moved input file), so that the page can show it.
      const problem = await run.imageProblem(id!);
      return json({ ...detail, ...(problem === undefined ? { image: `/image/${encodeURIComponent(id!)}` } : { image: null, imageError: problem }) });
    })
    .get('/image/*id', async ({ params: { id } }) => bytes(await run.imagePng(id!), 'image/png'))
    .post('/api/verdict', ({ body }) => {
      const parsed = parseJson(bodyText(body), () => new AuditRequestError('the body is not JSON; send {"instructionId","question","answer":"yes"|"no"|null}', 400));
      if (typeof parsed !== 'object' || parsed === null) throw new AuditRequestError('the body must be a JSON object', 400);
      return json({ agreement: run.answer(parsed as VerdictRequest) });
    })
    .all('/api/verdict', () => {
      throw new AuditRequestError('POST a JSON {"instructionId","question","answer"} to /api/verdict', 400);
    });
}

function withHeaders<R extends { headers: Record<string, string> }>(response: R, headers: Record<string, string>): R {
  return { ...response, headers: { ...response.headers, ...headers } };
}

/**
 * `const s = await startAuditServer({ dir: 'runs/gen', port: 0 }); // open s.url; later await s.close()`
 */
export async function startAuditServer(options: AuditServerOptions): Promise<RunningAuditServer> {
  const run = await AuditRun.open(options.dir);
  const host = options.host ?? '127.0.0.1';
  let bound: BoundAddress | undefined;
  const app = createAuditApp(run, auditPageHtml(), () => bound);
  const { log } = options;
  const server = await listen(app, {
    host,
    port: options.port ?? 8090,
    ...(log && { log: (e) => log(`${e.method} ${e.url} ${e.status}${e.error === undefined ? '' : ` ${e.error}`}`) }),
    // The page keeps keep-alive connections open: cut them, or closing would wait for the browser.
    closing: 'drop',
  });
  bound = { host, port: server.port };
  return { url: server.url, run, close: server.close };
}
