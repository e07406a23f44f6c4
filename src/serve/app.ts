/**
 * The server's core, free of sockets: `handle({method, url, body})` -> `{status, headers, body}`.
 * server.ts adapts it to node:http; tests call it in-process.
 */
import { BatchingBackend } from './batching-backend.ts';
import { chatCompletion, type ChatContext } from './chat-completion.ts';
import { HttpError } from './errors.ts';
import type { ServableBackend } from './extensions.ts';
import { parseServeSettings, type ServeSettings, type ServeSettingsInput } from './settings.ts';
import type { ModelCard, ModelList } from './wire.ts';

export interface ServeRequest {
  method: string;
  /** Path, optionally with a query string (ignored). */
  url: string;
  body?: string | Uint8Array;
}

export interface ServeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** For the request log only: the error message of a 4xx/5xx. */
  error?: string;
}

export type AppOptions = ServeSettingsInput & {
  backend: ServableBackend;
  /** Clock for `created` (ms since the epoch); tests pin it. */
  now?: () => number;
};

export interface ServeApp {
  readonly name: string;
  readonly settings: ServeSettings;
  handle(request: ServeRequest): Promise<ServeResponse>;
}

type Route = (request: ServeRequest) => unknown;

/**
 * Build the request handler over a backend.
 * Example: `const app = createApp({ backend: new MockBackend('m'), maxBatch: 1 });`
 * `await app.handle({ method: 'GET', url: '/v1/models' })` -> `{ status: 200, body: '{"object":"list",...}' }`.
 */
export function createApp(options: AppOptions): ServeApp {
  const { backend, now = Date.now, ...input } = options;
  const settings = parseServeSettings(input);
  const name = settings.name ?? backend.name;
  const startedAt = Math.floor(now() / 1000);
  let completions = 0;
  const ctx: ChatContext = {
    backend: settings.maxBatch > 1 ? new BatchingBackend(backend, settings.maxBatch, settings.batchWindowMs) : backend,
    extensions: backend,
    name,
    settings,
    nextId: () => `chatcmpl-rlaifv-${startedAt}-${++completions}`,
    now,
  };
  const card: ModelCard = { id: name, object: 'model', created: startedAt, owned_by: 'rlaifv', root: name, parent: null };

  const routes: Record<string, Record<string, Route>> = {
    '/health': { GET: () => ({ status: 'ok', model: name }) },
    '/v1/models': { GET: (): ModelList => ({ object: 'list', data: [card] }) },
    [`/v1/models/${name}`]: { GET: () => card },
    '/v1/chat/completions': { POST: (r) => chatCompletion(parseJson(r.body), ctx) },
  };

  async function handle(request: ServeRequest): Promise<ServeResponse> {
    try {
      const path = decodePath(request.url);
      const methods = routes[path];
      if (!methods) {
        if (path.startsWith('/v1/models/')) {
          throw new HttpError(404, `The model '${path.slice('/v1/models/'.length)}' does not exist; this server serves '${name}'`, 'model', 'model_not_found');
        }
        throw new HttpError(404, `no route ${request.method} ${path}; this server answers ${Object.keys(routes).join(', ')}`);
      }
      const route = methods[request.method.toUpperCase()];
      if (!route) {
        const allowed = Object.keys(methods).join(', ');
        throw new HttpError(405, `${request.method} is not allowed on ${path}; use ${allowed}`, null, 'method_not_allowed', 'invalid_request_error', { allow: allowed });
      }
      return json(200, await route(request));
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, `internal error: ${(err as Error)?.message ?? String(err)}`);
      return { ...json(e.status, e.toBody(), e.headers), error: e.message };
    }
  }

  return { name, settings, handle };
}

/** An error response for failures outside the app (e.g. the socket layer's 413). */
export function errorResponse(error: HttpError): ServeResponse {
  return { ...json(error.status, error.toBody(), error.headers), error: error.message };
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): ServeResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

function decodePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path).replace(/\/+$/, '') || '/';
  } catch {
    throw new HttpError(400, `malformed URL path '${path}'`, null, 'invalid_url');
  }
}

function parseJson(body: string | Uint8Array | undefined): unknown {
  const text = typeof body === 'string' ? body : body ? Buffer.from(body).toString('utf8') : '';
  if (text.trim() === '') throw new HttpError(400, 'the request body is empty; send a JSON chat completion request', null, 'invalid_json');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the request body is not valid JSON (${(err as Error).message}); send Content-Type: application/json with a JSON object`, null, 'invalid_json');
  }
}
