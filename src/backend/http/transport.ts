/**
 * The three routes the backend uses, sent through the pool and validated on the way back:
 * POST /v1/chat/completions, GET /v1/models, POST /tokenize (vLLM, at the server root).
 */
import { whereOf, type ClientPool, type Endpoint, type PoolRequestOptions, type Route } from './pool.ts';
import type { ChatBody } from './requests.ts';
import { ChatCompletionSchema, ModelListSchema, parseBody, TokenizeSchema, type ChatCompletion, type ModelList, type Tokenized } from './wire.ts';

export const CHAT: Route = { method: 'POST', path: '/chat/completions' };
const MODELS: Route = { method: 'GET', path: '/models' };
export const TOKENIZE: Route = { method: 'POST', path: '/tokenize', atRoot: true };

/**
 * One chat completion on `ep`, validated; usage goes to the pool's token counts. Used inside
 * `pool.request` calls, which choose the endpoint and retry.
 */
export async function chatOn(pool: ClientPool, ep: Endpoint, body: ChatBody): Promise<ChatCompletion> {
  // The body goes as given, vLLM extras (prompt_logprobs, continue_final_message...) included.
  const raw: unknown = await ep.http.post(CHAT.path, body);
  const res = parseBody(ChatCompletionSchema, raw, whereOf(CHAT, ep));
  pool.recordUsage(res.usage);
  return res;
}

/** `await chat(pool, body)`: a chat completion on whichever endpoint the pool picks. */
export function chat(pool: ClientPool, body: ChatBody, options?: PoolRequestOptions): Promise<ChatCompletion> {
  return pool.request(CHAT, (ep) => chatOn(pool, ep, body), options);
}

/** GET /v1/models on one endpoint. */
export function listModels(pool: ClientPool, ep: Endpoint): Promise<ModelList> {
  return pool.request(MODELS, async (e) => parseBody(ModelListSchema, await e.http.get(MODELS.path), whereOf(MODELS, e)), { endpoint: ep });
}

/** vLLM POST /tokenize on one endpoint (the same server that scored, so the same tokenizer). */
export function tokenize(pool: ClientPool, ep: Endpoint, body: Record<string, unknown>): Promise<Tokenized> {
  return pool.request(TOKENIZE, async (e) => parseBody(TokenizeSchema, await e.http.post(`${e.root}${TOKENIZE.path}`, body), whereOf(TOKENIZE, e)), { endpoint: ep });
}
