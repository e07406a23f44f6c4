/**
 * `rlaifv audit`: a small web server over one `generate` folder, where a person reads every
 * candidate with its claims highlighted by verdict and answers the claims' questions. Answers go
 * to `DIR/audit.jsonl` as they are given; `rlaifv generate` rerun on the folder scores with them.
 * Binds 127.0.0.1 unless told otherwise: the page can write to the run folder.
 *
 * `createAuditApp` is the socket-free app (routes below); `startAuditServer` puts it on node:http.
 */
import { HttpApp } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { listen } from '../http/node.ts';
import { bodyText, bytes, html, json, parseJson } from '../http/responses.ts';
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

/** A verdict is a few hundred bytes; anything near this is not the page talking. */
const MAX_BODY = 64 * 1024;

/**
 * The audit routes over an opened run, answered in-process:
 * `await createAuditApp(run, page).handle({ method: 'GET', url: '/api/run' })`.
 */
export function createAuditApp(run: AuditRun, page: string): HttpApp {
  return new HttpApp({
    maxBodyBytes: MAX_BODY,
    tooLarge: () => new AuditRequestError(`the body is over ${MAX_BODY} bytes`, 400),
    // The page reads every answer fresh: a cached /api/instructions would hide the person's own answers.
    headers: { 'cache-control': 'no-store' },
    // The person at the page is the one who can act on a failure (a moved input file, say): show it.
    onError: (err) => new HttpError(500, (err as Error).message, { expose: true, cause: err }),
    notFound: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
    methodNotAllowed: (miss) => new AuditRequestError(`no route ${miss.method} ${miss.rawPath}`, 404),
  })
    .get('/', () => html(page))
    .get('/index.html', () => html(page))
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

/**
 * `const s = await startAuditServer({ dir: 'runs/gen', port: 0 }); // open s.url; later await s.close()`
 */
export async function startAuditServer(options: AuditServerOptions): Promise<RunningAuditServer> {
  const run = await AuditRun.open(options.dir);
  const app = createAuditApp(run, auditPageHtml());
  const { log } = options;
  const server = await listen(app, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8090,
    ...(log && { log: (e) => log(`${e.method} ${e.url} ${e.status}${e.error === undefined ? '' : ` ${e.error}`}`) }),
    // The page keeps keep-alive connections open: cut them, or closing would wait for the browser.
    closing: 'drop',
  });
  return { url: server.url, run, close: server.close };
}
