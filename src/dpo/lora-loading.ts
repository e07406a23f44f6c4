/**
 * Make a running policy server use a freshly trained LoRA adapter, without a restart (docs/method.md §8):
 *   vLLM    POST {server}/v1/load_lora_adapter {"lora_name","lora_path"}  (needs VLLM_ALLOW_RUNTIME_LORA_UPDATING=True)
 *   SGLang  POST {server}/load_lora_adapter    {"lora_name","lora_path"}
 * Requests then select the adapter by sending `model: lora_name`.
 */
import { RlaifvError } from '../util/errors.ts';

export type LoraEngine = 'vllm' | 'sglang';

export interface LoadLoraOptions {
  /** Base URL of the server as the OpenAI client uses it; a trailing `/v1` is fine. */
  baseUrl: string;
  engine: LoraEngine;
  loraName: string;
  /** Adapter folder as the *server* sees it (a path on its machine). */
  loraPath: string;
  apiKey?: string;
  /** Injectable for tests; default the global fetch. */
  fetch?: typeof fetch;
}

/** The route of an action (`load_lora_adapter`, `unload_lora_adapter`) on an engine. */
export function loraRoute(baseUrl: string, engine: LoraEngine, action: 'load_lora_adapter' | 'unload_lora_adapter'): string {
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  return engine === 'vllm' ? `${root}/v1/${action}` : `${root}/${action}`;
}

/**
 * Load (or replace) adapter `loraName` on one server; returns the model name to request it by.
 * An adapter of that name already loaded (a rerun of a round) is unloaded and loaded again,
 * since its path may have changed.
 * `await loadLoraAdapter({ baseUrl: 'http://gpu1:8000/v1', engine: 'vllm', loraName: 'rlaifv-round-2', loraPath: '/ckpt/round-2' })`
 */
export async function loadLoraAdapter(o: LoadLoraOptions): Promise<string> {
  const body = { lora_name: o.loraName, lora_path: o.loraPath };
  const first = await post(o, 'load_lora_adapter', body);
  if (first.ok) return o.loraName;
  if (/already (been )?loaded|already exists/i.test(first.text)) {
    const unloaded = await post(o, 'unload_lora_adapter', { lora_name: o.loraName });
    if (!unloaded.ok) throw failure(o, 'unload_lora_adapter', unloaded);
    const second = await post(o, 'load_lora_adapter', body);
    if (second.ok) return o.loraName;
    throw failure(o, 'load_lora_adapter', second);
  }
  throw failure(o, 'load_lora_adapter', first);
}

interface Reply {
  ok: boolean;
  status: number;
  text: string;
}

async function post(o: LoadLoraOptions, action: 'load_lora_adapter' | 'unload_lora_adapter', body: unknown): Promise<Reply> {
  const url = loraRoute(o.baseUrl, o.engine, action);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey) headers['authorization'] = `Bearer ${o.apiKey}`;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (err) {
    throw new UnreachableError(`POST ${url}: ${withCauses(err)}; is the ${o.engine} server running at ${o.baseUrl}?`);
  }
  return { ok: res.ok, status: res.status, text: await res.text() };
}

/** fetch's own message ('fetch failed') and the socket's reason under it: `fetch failed: connect ECONNREFUSED 10.0.0.2:8000`. */
function withCauses(err: unknown): string {
  const parts: string[] = [];
  for (let e = err; e instanceof Error && parts.length < 4; e = e.cause) parts.push(e.message);
  return parts.join(': ') || String(err);
}

function failure(o: LoadLoraOptions, action: string, r: Reply): Error {
  const url = loraRoute(o.baseUrl, o.engine, action as 'load_lora_adapter');
  const fix = r.status === 404
    ? (o.engine === 'vllm'
      ? 'the server has no runtime LoRA route: start vLLM with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING=True'
      : 'the server has no runtime LoRA route: start SGLang with --enable-lora (or --lora-paths)')
    : `check that ${o.loraPath} is an adapter folder readable by the server`;
  return new RlaifvError(`POST ${url} {"lora_name":${JSON.stringify(o.loraName)}} failed with HTTP ${r.status}: ${r.text.slice(0, 300)}; ${fix}`);
}

/** A replica that did not answer at all (connection refused, reset, DNS), as opposed to one that refused. */
export class UnreachableError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}
