/**
 * The server's core, free of sockets: `handle({method, url, body})` -> `{status, headers, body}`.
 * Routing, the body limit and error responses come from the HTTP core (../http); server.ts puts
 * the app on node:http; tests call it in-process.
 */
import { HttpApp, type Miss } from '../http/app.ts';
import { PromptTooLongError } from '../backend/context-length.ts';
import { bodyText, json, mediaType, parseJson, type HttpRequest, type HttpResponse } from '../http/responses.ts';
import { openCheckpoint } from '../model/open.ts';
import { bestOfCompletion } from './best-of.ts';
import { batchBestOfModels, type BestOfModelsInput } from './best-of-models.ts';
import { chatCompletion, type ChatContext } from './chat-completion.ts';
import { OpenAIError, openAIErrorBody } from './errors.ts';
import type { ServableBackend } from './extensions.ts';
import { adapterFolder, loraRoot, parseLoadRequest, parseUnloadRequest } from './lora-requests.ts';
import { ServedModels, type AdapterLoader } from './models.ts';
import { parseServeSettings, type ServeSettings, type ServeSettingsInput } from './settings.ts';
import type { ModelList } from './wire.ts';
import { ConfigError } from '../util/errors.ts';

export type ServeRequest = HttpRequest;

/** Every answer of this server is text: JSON, but for the adapter routes' success line (plain text, as vLLM). */
export type ServeResponse = HttpResponse<string>;

export type AppOptions = ServeSettingsInput & {
  backend: ServableBackend;
  /** Clock for `created` (ms since the epoch); tests pin it. */
  now?: () => number;
  /** How the adapter routes open a checkpoint folder; default `openCheckpoint` (what `rlaifv serve --model` opens). */
  loadAdapter?: AdapterLoader;
  /** With setting `bestOf`: the reference (and sampler) beside `backend`, the aligned policy (best-of.ts). */
  bestOfModels?: BestOfModelsInput;
};

/** The routes of vLLM's runtime LoRA API, present only when adapter loading is on. */
const LORA_ROUTES = ['/v1/load_lora_adapter', '/v1/unload_lora_adapter'];

export interface ServeApp {
  readonly name: string;
  readonly settings: ServeSettings;
  /** The limit the socket layer reads bodies up to (settings.maxBodyBytes). */
  readonly maxBodyBytes: number;
  handle(request: ServeRequest): Promise<ServeResponse>;
  /** The response for a failure outside `handle` (the socket layer's unreadable body). */
  errorResponse(err: unknown): ServeResponse;
  /** Dispose the adapters loaded at run time (not the base backend, which the caller opened). */
  close(): Promise<void>;
}

/**
 * Build the request handler over a backend.
 * Example: `const app = createApp({ backend: new MockBackend('m'), maxBatch: 1 });`
 * `await app.handle({ method: 'GET', url: '/v1/models' })` -> `{ status: 200, body: '{"object":"list",...}' }`.
 */
export function createApp(options: AppOptions): ServeApp {
  const { backend, now = Date.now, loadAdapter = openCheckpoint, bestOfModels, ...input } = options;
  const settings = parseServeSettings(input);
  checkBestOf(settings, bestOfModels);
  const root = loraRoot(settings);
  const name = settings.name ?? backend.name;
  const startedAt = Math.floor(now() / 1000);
  let completions = 0;
  // Also with maxBatch 1 (no merging): each model still makes one backend call at a time.
  const models = new ServedModels({
    base: backend, name, maxBatch: settings.maxBatch, batchWindowMs: settings.batchWindowMs, maxLoras: settings.maxLoras, loader: loadAdapter, now: () => Math.floor(now() / 1000),
  });
  const ctx: ChatContext = {
    models,
    settings,
    nextId: () => `chatcmpl-rlaifv-${startedAt}-${++completions}`,
    now,
  };
  const bestOf = bestOfModels && batchBestOfModels(bestOfModels, settings);
  const paths = ['/health', '/v1/models', `/v1/models/${name}`, '/v1/chat/completions', ...(settings.allowLoraLoading ? LORA_ROUTES : [])];
  // vLLM has no such routes unless told (404); say how to turn them on.
  const loraOff = (path: string) => (LORA_ROUTES.includes(path)
    ? '; runtime adapter loading is off: start rlaifv serve with --allow-lora-loading (or VLLM_ALLOW_RUNTIME_LORA_UPDATING=True)'
    : '');
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
    notFound: (miss) => new OpenAIError(404, `no route ${miss.method} ${miss.path}; this server answers ${paths.join(', ')}${loraOff(miss.path)}`),
    methodNotAllowed: notAllowed,
    tooLarge: (bytes, limit) => new OpenAIError(413, `request body of ${bytes} bytes exceeds the limit of ${limit} bytes (setting maxBodyBytes); send a smaller image`, null, 'request_too_large'),
  })
    .get('/health', () => json({ status: 'ok', model: name }))
    .get('/v1/models', () => json({ object: 'list', data: models.cards() } satisfies ModelList))
    // Any method, so that another model's card is a 404 naming the served models, not a 405.
    .all('/v1/models/*model', (c) => {
      const card = models.card(c.params.model!);
      if (c.method.toUpperCase() !== 'GET') throw notAllowed(c, ['GET']);
      return json(card);
    })
    .post('/v1/chat/completions', async (c) => json(await (bestOf
      ? bestOfCompletion(parseBody(c.headers, c.body), { ...ctx, bestOfModels: bestOf })
      : chatCompletion(parseBody(c.headers, c.body), ctx))));
  if (settings.allowLoraLoading) {
    app
      .post('/v1/load_lora_adapter', async (c) => {
        const request = parseLoadRequest(parseBody(c.headers, c.body, 'a JSON object {"lora_name", "lora_path"}'));
        return plainText(await models.load({ ...request, dir: adapterFolder(request.path, root) }));
      })
      .post('/v1/unload_lora_adapter', async (c) => plainText(await models.unload(parseUnloadRequest(parseBody(c.headers, c.body, 'a JSON object {"lora_name"}')))));
  }

  return {
    name,
    settings,
    maxBodyBytes: app.maxBodyBytes,
    handle: (request) => app.handle(request),
    errorResponse: (err) => app.errorResponse(err),
    close: () => models.close(),
  };
}

/** Best-of-N needs its models, and they mean nothing without it; adapters would make the policy a request's choice, which it is not. */
function checkBestOf(settings: ServeSettings, models: BestOfModelsInput | undefined): void {
  if (settings.bestOf !== null && !models) throw new ConfigError('serve settings: bestOf needs the reference model that scores the candidates (rlaifv serve --reference DIR|URL)', 'bestOf');
  if (settings.bestOf === null && models) throw new ConfigError('serve settings: a reference model was given without bestOf; set bestOf (--best-of N) to serve the best of N candidates', 'bestOf');
  if (settings.bestOf !== null && settings.allowLoraLoading) {
    throw new ConfigError('serve settings: bestOf and allowLoraLoading do not go together: a best-of server answers with one fixed policy; serve adapters from another rlaifv serve', 'allowLoraLoading');
  }
}

/** vLLM answers the adapter routes' success with a bare line of text. */
function plainText(line: string): ServeResponse {
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: line };
}

/**
 * The JSON body of a request declared `application/json` (415 otherwise): a web
 * page can send text/plain (or untyped) bodies to any server without asking, but JSON only to a
 * server that grants it in a CORS preflight, which this one never does.
 */
function parseBody(headers: Readonly<Record<string, string>>, body: HttpRequest['body'], expected = 'a JSON chat completion request'): unknown {
  const type = mediaType(headers['content-type']);
  if (type !== 'application/json') {
    throw new OpenAIError(415, `send the request body as JSON with Content-Type: application/json; got ${type === '' ? 'no Content-Type' : type}`, null, 'unsupported_media_type');
  }
  const text = bodyText(body);
  if (text.trim() === '') throw new OpenAIError(400, `the request body is empty; send ${expected}`, null, 'invalid_json');
  return parseJson(text, (detail) => new OpenAIError(
    400, `the request body is not valid JSON (${detail}); send Content-Type: application/json with a JSON object`, null, 'invalid_json',
  ));
}
