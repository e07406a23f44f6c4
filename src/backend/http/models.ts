/**
 * Which model to ask for, from the setting and each server's GET /v1/models, and which engine
 * each server runs (for tailored fixes in capability errors).
 */
import { capabilityError, guessEngine, type Engine } from './capabilities.ts';
import type { ModelList } from './wire.ts';

/** One server's listing; `null` when it has no GET /v1/models (404). */
export interface Listing {
  url: string;
  models: ModelList['data'] | null;
}

export interface ModelChoice {
  model: string;
  engines: Map<string, Engine>;
}

/**
 * The model every request names: the configured one, checked against every listing, or else
 * the single model all servers list.
 * `chooseModel(undefined, [{ url, models: [{ id: 'llava' }] }]).model === 'llava'`.
 */
export function chooseModel(requested: string | undefined, listings: readonly Listing[]): ModelChoice {
  const engines = new Map<string, Engine>();
  for (const l of listings) engines.set(l.url, guessEngine(l.models?.find((m) => m.id === requested)?.owned_by ?? l.models?.[0]?.owned_by ?? undefined));
  if (requested !== undefined) {
    for (const l of listings) {
      if (l.models && !l.models.some((m) => m.id === requested)) {
        throw capabilityError('model', l.url, `model '${requested}' is not served here; served: ${names(l)}`, engines.get(l.url));
      }
    }
    return { model: requested, engines };
  }
  let chosen: string | undefined;
  for (const l of listings) {
    if (!l.models) throw capabilityError('models-route', l.url, 'GET /v1/models answered 404 and no model is configured');
    if (l.models.length === 0) throw capabilityError('model', l.url, 'the server lists no models', engines.get(l.url));
    const id = soleBase(l.models);
    if (id === undefined) {
      throw capabilityError('model', l.url, `several models are served and none is configured: set \`model\` to one of: ${names(l)}`, engines.get(l.url));
    }
    if (chosen !== undefined && id !== chosen) {
      throw capabilityError('model', l.url, `this server serves '${id}' but ${listings[0]!.url} serves '${chosen}'; every base URL must serve the same model`, engines.get(l.url));
    }
    chosen = id;
  }
  return { model: chosen!, engines };
}

/**
 * The one model a listing serves, or the one base model when the others are its LoRA adapters
 * (vLLM lists each adapter with `parent` = the base's id): what a server started on one model serves.
 */
function soleBase(models: NonNullable<Listing['models']>): string | undefined {
  if (models.length === 1) return models[0]!.id;
  const bases = models.filter((m) => !m.parent);
  return bases.length === 1 && models.every((m) => !m.parent || m.parent === bases[0]!.id) ? bases[0]!.id : undefined;
}

function names(l: Listing): string {
  return (l.models ?? []).map((m) => m.id).join(', ') || '(none)';
}
