/**
 * What to tell the user when a server lacks a capability: one fix per serving engine, looked up
 * by capability (a registry rather than if-chains). The engine is guessed from `owned_by` in
 * GET /v1/models; when unknown, every engine's fix is listed.
 */
import { CapabilityError, type Capability } from './errors.ts';

export type Engine = 'vllm' | 'sglang' | 'llamacpp' | 'ollama' | 'rlaifv' | 'unknown';

/** `owned_by` values the engines put in GET /v1/models (Ollama uses the model's namespace, usually 'library'). */
const OWNED_BY: Record<string, Engine> = {
  vllm: 'vllm', sglang: 'sglang', llamacpp: 'llamacpp', 'llama.cpp': 'llamacpp', library: 'ollama', ollama: 'ollama', rlaifv: 'rlaifv',
};

/** `guessEngine('vllm') === 'vllm'`; anything unrecognised is 'unknown'. */
export function guessEngine(ownedBy: string | undefined): Engine {
  return OWNED_BY[(ownedBy ?? '').toLowerCase()] ?? 'unknown';
}

type Fixes = Partial<Record<Exclude<Engine, 'unknown'>, string>> & { any: string };

const FIXES: Record<Capability, Fixes> = {
  model: {
    any: 'set `model` to one of the served models, or serve the model you named',
    vllm: 'vLLM: pass --served-model-name, or load the adapter with POST /v1/load_lora_adapter {"lora_name","lora_path"} (needs VLLM_ALLOW_RUNTIME_LORA_UPDATING=True)',
    sglang: 'SGLang: pass --served-model-name, or load the adapter with POST /load_lora_adapter',
    ollama: 'Ollama: `ollama pull <model>` first',
    llamacpp: 'llama.cpp: name the model with --alias',
  },
  'models-route': {
    any: 'this server has no GET /v1/models, so the model cannot be discovered: set `model` explicitly',
  },
  images: {
    any: 'serve a vision-language model that accepts image_url parts with base64 data URLs',
    llamacpp: 'llama.cpp: start llama-server with --mmproj <projector.gguf> to accept images',
    ollama: 'Ollama: use a vision model (one whose `ollama show` lists the vision capability)',
    vllm: 'vLLM: serve a vision-language model, and allow one image per prompt (--limit-mm-per-prompt)',
    sglang: 'SGLang: serve a vision-language model with its chat template',
  },
  logprobs: {
    any: 'the server must return `logprobs` with `top_logprobs` on /v1/chat/completions',
    ollama: 'Ollama: update to a version with OpenAI-route logprobs (the /v1/chat/completions `logprobs` field)',
    llamacpp: 'llama.cpp: update llama-server to a version that returns OpenAI-style logprobs',
    vllm: 'vLLM: logprobs are on by default; check that no proxy strips them',
  },
  'top-logprobs': {
    any: 'lower `topLogprobs` to what the server allows',
    vllm: 'vLLM: raise --max-logprobs (default 20), or lower `topLogprobs`',
    llamacpp: 'llama.cpp: keep `topLogprobs` <= 20',
    rlaifv: 'rlaifv serve: raise its maxLogprobs setting, or lower `topLogprobs`',
  },
  scoring: {
    any: 'scoring a given response needs per-token log-probabilities of the prompt: serve the model with `rlaifv serve` (response_logprobs) or vLLM (prompt_logprobs + POST /tokenize); SGLang, llama.cpp and Ollama cannot do this through the OpenAI route',
  },
  tokenize: {
    any: 'vLLM scoring needs POST /tokenize at the server root (beside /v1): update vLLM, or use `rlaifv serve`',
  },
};

/** The fix text for a capability on an engine: that engine's line, else every line. */
function fixFor(capability: Capability, engine: Engine): string {
  const fixes = FIXES[capability];
  if (engine !== 'unknown' && fixes[engine]) return fixes[engine]!;
  const lines = Object.entries(fixes).filter(([k]) => k !== 'any').map(([, v]) => v);
  return [fixes.any, ...lines].join('; ');
}

/** `capabilityError('images', url, 'image parts refused (500: ...)', 'llamacpp')`. */
export function capabilityError(capability: Capability, url: string, problem: string, engine: Engine = 'unknown'): CapabilityError {
  return new CapabilityError(capability, url, problem, fixFor(capability, engine));
}
