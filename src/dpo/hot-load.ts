/**
 * Make every replica of the policy server serve a freshly trained model (docs/method.md §8):
 *   lora    load the adapter at runtime (vLLM / SGLang, lora-loading.ts) on each replica
 *   reload  run the user's command (restart the servers on the new weights), then wait until
 *           every replica lists the new model at GET /v1/models
 *   none    the trainer command already did it: only wait until every replica lists the model
 * A replica that cannot be reached is retried with backoff, then named in the error.
 */
import { commandArgv, shellLine } from './command-template.ts';
import { loadLoraAdapter, UnreachableError, type LoraEngine } from './lora-loading.ts';
import { runLogged } from './run-logged.ts';
import { RlaifvError } from '../util/errors.ts';

export type LoadKind = 'lora' | 'reload' | 'none';

export interface HotLoadOptions {
  kind: LoadKind;
  engine: LoraEngine;
  /** Every replica's base URL. */
  baseUrls: readonly string[];
  /** The name the model is served (and requested) under. */
  modelName: string;
  /** lora: the adapter folder as the servers see it. */
  adapterPath: string;
  /** reload: the command, placeholders already known by `values`. */
  reload?: { command: string; shell: boolean; values: Readonly<Record<string, string>>; logFile: string };
  /** How long a reloaded server may take to list the model. */
  readyTimeoutMs: number;
  /** Attempts per replica when it cannot be reached, doubling the wait from `retryDelayMs`. */
  attempts?: number;
  retryDelayMs?: number;
  apiKey?: string;
  fetch?: typeof fetch;
  progress?: (line: string) => void;
}

/** Serve `modelName` on every replica, as `kind` says. */
export async function hotLoad(o: HotLoadOptions): Promise<void> {
  const say = o.progress ?? (() => {});
  if (o.kind === 'lora') {
    for (const baseUrl of o.baseUrls) {
      await withRetries(o, baseUrl, () => loadLoraAdapter({
        baseUrl, engine: o.engine, loraName: o.modelName, loraPath: o.adapterPath, ...(o.apiKey && { apiKey: o.apiKey }), ...(o.fetch && { fetch: o.fetch }),
      }));
      say(`loaded adapter ${o.modelName} (${o.adapterPath}) on ${baseUrl}`);
    }
    return;
  }
  if (o.kind === 'reload') {
    if (!o.reload) throw new RlaifvError('load reload needs a reload command (reloadCommand in the align settings, --reload-command)');
    const { command, shell, values, logFile } = o.reload;
    say(`reloading the policy servers: ${command} (log: ${logFile})`);
    await runLogged(shell ? [shellLine(command, values)] : commandArgv(command, values), { logFile, shell });
  }
  await waitUntilServed(o, o.modelName);
  say(`every replica serves ${o.modelName}`);
}

/**
 * Whether every replica lists `modelName` now; a replica that cannot be reached counts as not serving it.
 * Used on resume: a server restarted since the round finished has lost its runtime adapters.
 */
export async function servedEverywhere(o: Pick<HotLoadOptions, 'baseUrls' | 'apiKey' | 'fetch'>, modelName: string): Promise<boolean> {
  for (const baseUrl of o.baseUrls) {
    const ids = await listModels(baseUrl, o).catch(() => undefined);
    if (!ids?.includes(modelName)) return false;
  }
  return true;
}

/** Poll GET /v1/models on every replica until each lists `modelName`, or fail naming the replica and what it lists. */
async function waitUntilServed(o: HotLoadOptions, modelName: string): Promise<void> {
  const deadline = Date.now() + o.readyTimeoutMs;
  for (const baseUrl of o.baseUrls) {
    let last = 'no answer yet';
    for (;;) {
      try {
        const ids = await listModels(baseUrl, o);
        if (ids.includes(modelName)) break;
        last = `it lists ${ids.map((id) => JSON.stringify(id)).join(', ') || 'no model'}`;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() >= deadline) {
        throw new RlaifvError(`${baseUrl} does not serve ${JSON.stringify(modelName)} after ${Math.round(o.readyTimeoutMs / 1000)} s (${last}); `
          + 'check that the reload command starts the server on the new weights under that name (servedName), or raise readyTimeoutSeconds');
      }
      await sleep(Math.min(2000, Math.max(50, o.readyTimeoutMs / 20)));
    }
  }
}

/** The model ids GET /v1/models lists. */
async function listModels(baseUrl: string, o: Pick<HotLoadOptions, 'apiKey' | 'fetch'>): Promise<string[]> {
  const url = `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/models`;
  const res = await (o.fetch ?? fetch)(url, { headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {} });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const body = (await res.json()) as { data?: Array<{ id?: unknown }> };
  return (body.data ?? []).map((m) => String(m.id));
}

/** Run `fn` against one replica; an unreachable replica is tried again after a wait, then named. */
async function withRetries<T>(o: HotLoadOptions, baseUrl: string, fn: () => Promise<T>): Promise<T> {
  const attempts = o.attempts ?? 5;
  let delay = o.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof UnreachableError) || attempt >= attempts) {
        if (err instanceof UnreachableError) {
          throw new RlaifvError(`policy replica ${baseUrl} is down: ${attempts} attempts to load ${o.modelName} failed (${err.message}); start it, or remove it from --policy, and rerun`);
        }
        throw err;
      }
      o.progress?.(`${baseUrl} unreachable (${err.message}); retrying in ${delay / 1000} s`);
      await sleep(delay);
      delay *= 2;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
