/**
 * The server's core, free of sockets: `handle({method, url, body})` -> `{status, headers, body}`.
 * Routing, the body limit and error responses come from the HTTP core (../http); server.ts puts
 * the app on node:http; tests call it in-process.
 */
import { HttpApp, type Miss } from '../http/app.ts';
import { PromptTooLongError } from '../backend/context-length.ts';
import { bodyText, json, mediaType, parseJson, type HttpRequest, type HttpResponse } from '../http/responses.ts';
import { BatchingBackend } from './batching-backend.ts';
import { chatCompletion, type ChatContext } from './chat-completion.ts';
import { OpenAIError, openAIErrorBody } from './errors.ts';
import type { ServableBackend } from './extensions.ts';
import { parseServeSettings, type ServeSettings, type ServeSettingsInput } from './settings.ts';
import type { ModelCard, ModelList } from './wire.ts';

export type ServeRequest = HttpRequest;

/** Every answer of this server is JSON text. */
export type ServeResponse = HttpResponse<string>;

export type AppOptions = ServeSettingsInput & {
  backend: ServableBackend;
  /** Clock for `created` (ms since the epoch); tests pin it. */
  now?: () => number;
};

export interface ServeApp {
  readonly name: string;
  readonly settings: ServeSettings;
  /** The limit the socket layer reads bodies up to (settings.maxBodyBytes). */
  readonly maxBodyBytes: number;
  handle(request: ServeRequest): Promise<ServeResponse>;
  /** The response for a failure outside `handle` (the socket layer's unreadable body). */
  errorResponse(err: unknown): ServeResponse;
}

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
    // Also with maxBatch 1 (no merging): it still makes one backend call at a time.
    backend: new BatchingBackend(backend, settings.maxBatch, settings.batchWindowMs),
    extensions: backend,
    name,
    settings,
    nextId: () => `chatcmpl-rlaifv-${startedAt}-${++completions}`,
    now,
  };
  const card: ModelCard = { id: name, object: 'model', created: startedAt, owned_by: 'rlaifv', root: name, parent: null };
  const paths = ['/health', '/v1/models', `/v1/models/${name}`, '/v1/chat/completions'];
  const notAllowed = (miss: Pick<Miss, 'method' | 'path'>, allowed: string[]) => new OpenAIError(
    405, `${miss.method} is not allowed on ${miss.path}; use ${allowed.join(', ')}`, null, 'method_not_allowed', 'invalid_request_error', { allow: allowed.join(', ') },
  );

  const app = new HttpApp<string>({
    maxBodyBytes: settings.maxBodyBytes,
    // `/v1/models/` is `/v1/models`: clients join base URLs and paths carelessly.
    strict: false,
    errorBody: openAIErrorBody,
    onError: (err) => (err instanceof PromptTooLongError
      // The backend refused a prompt that promptFit did not (or could not) catch first.
      ? new OpenAIError(400, err.overflows[0]?.message ?? err.message, 'messages', 'context_length_exceeded')
      : new OpenAIError(500, `internal error: ${(err as Error)?.message ?? String(err)}`)),
    notFound: (miss) => new OpenAIError(404, `no route ${miss.method} ${miss.path}; this server answers ${paths.join(', ')}`),
    methodNotAllowed: notAllowed,
    tooLarge: (bytes, limit) => new OpenAIError(413, `request body of ${bytes} bytes exceeds the limit of ${limit} bytes (setting maxBodyBytes); send a smaller image`, null, 'request_too_large'),
  })
    .get('/health', () => json({ status: 'ok', model: name }))
    .get('/v1/models', () => json({ object: 'list', data: [card] } satisfies ModelList))
    // Any method, so that another model's card is a 404 naming the served model, not a 405.
    .all('/v1/models/*model', (c) => {
      if (c.params.model !== name) {
        throw new OpenAIError(404, `The model '${c.params.model}' does not exist; this server serves '${name}'`, 'model', 'model_not_found');
      }
      if (c.method.toUpperCase() !== 'GET') throw notAllowed(c, ['GET']);
      return json(card);
    })
    .post('/v1/chat/completions', async (c) => json(await chatCompletion(parseBody(c.headers, c.body), ctx)));

  return {
    name,
    settings,
    maxBodyBytes: app.maxBodyBytes,
    handle: (request) => app.handle(request),
    errorResponse: (err) => app.errorResponse(err),
  };
}

/**
 * The JSON body of a request declared `application/json` (415 otherwise): a web
 * page can send text/plain (or untyped) bodies to any server without asking, but JSON only to a
 * server that grants it in a CORS preflight, which this one never does.
 */
function parseBody(headers: Readonly<Record<string, string>>, body: HttpRequest['body']): unknown {
  const type = mediaType(headers['content-type']);
  if (type !== 'application/json') {
    throw new OpenAIError(415, `send the request body as JSON with Content-Type: application/json; got ${type === '' ? 'no Content-Type' : type}`, null, 'unsupported_media_type');
  }
  const text = bodyText(body);
  if (text.trim() === '') throw new OpenAIError(400, 'the request body is empty; send a JSON chat completion request', null, 'invalid_json');
  return parseJson(text, (detail) => new OpenAIError(
    400, `the request body is not valid JSON (${detail}); send Content-Type: application/json with a JSON object`, null, 'invalid_json',
  ));
}
