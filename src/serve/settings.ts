/**
 * Settings of `rlaifv serve`, each with its default and the reason for it. Parsed once at the edge
 * (`startServer`, `createHandler`); unknown keys are rejected so a misspelt option is not silently ignored.
 */
import { z } from 'zod';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../image/limits.ts';
import { ConfigError } from '../util/errors.ts';
import { parseSettings } from '../util/settings.ts';

export const ServeSettingsSchema = z.strictObject({
  name: z.string().min(1).optional()
    .describe('model name served at /v1/models that requests must send as `model` (default: the backend\'s name)'),
  host: z.string().min(1).default('127.0.0.1')
    .describe('interface to bind; 127.0.0.1 keeps the server private to this machine, --host 0.0.0.0 exposes it to the network'),
  port: z.number().int().min(0).max(65535).default(8000)
    .describe('TCP port; 8000 as vLLM, so clients configured for vLLM work unchanged; 0 picks a free port'),
  maxBodyBytes: z.number().int().positive().default(32 * 1024 * 1024)
    .describe('largest request body in bytes (413 beyond); 32 MiB fits a base64 data URL of a ~20 MB image'),
  maxImagePixels: z.number().int().positive().default(DEFAULT_MAX_IMAGE_PIXELS)
    .describe('largest image accepted, in pixels (width x height, read from the header before decoding; 400 beyond); 16,777,216 = 4096x4096'),
  maxBatch: z.number().int().positive().default(32)
    .describe('concurrent generate/yesNo/logProbs requests merged into one backend call at most; 1 turns micro-batching off'),
  batchWindowMs: z.number().min(0).default(5)
    .describe('how long the first queued request waits for others to join its batch; small next to a model call'),
  maxN: z.number().int().positive().default(64)
    .describe('largest `n` accepted; 64 = the largest best-of-N in the paper (docs/method.md §5)'),
  maxLogprobs: z.number().int().min(0).default(20)
    .describe('largest `top_logprobs` accepted; 20 as OpenAI and vLLM --max-logprobs (docs/method.md §8)'),
  defaultSeed: z.number().int().default(0)
    .describe('seed when a request sends none, so that the same request always gives the same answer'),
  temperature: z.number().min(0).max(2).default(0.7)
    .describe('temperature when a request sends none; 0.7 = candidate sampling default (docs/method.md §1)'),
  topP: z.number().gt(0).max(1).default(1)
    .describe('top_p when a request sends none; 1 = the model default (no nucleus cut, docs/method.md §1)'),
  maxTokens: z.number().int().positive().default(512)
    .describe('max_tokens when a request sends none; 512 = candidate sampling default (docs/method.md §1)'),
  requestTimeoutMs: z.number().int().min(0).default(60_000)
    .describe('longest a client may take to send a request (headers, then body) before a 408 and a closed connection; 60 s sends the 32 MiB body limit at 0.5 MB/s; answering is not timed; 0 = no limit'),
  maxConnections: z.number().int().positive().default(256)
    .describe('connections open at once at most, one more is closed as it arrives; 256 = 32 data-engine clients at 8 in flight each, and a bound on what stalled clients hold'),
  allowLoraLoading: z.boolean().default(false)
    .describe('answer POST /v1/load_lora_adapter and /v1/unload_lora_adapter (vLLM\'s runtime LoRA API; lora_path is a checkpoint folder, served under lora_name); off by default as in vLLM, where they need VLLM_ALLOW_RUNTIME_LORA_UPDATING=True (which turns them on here too)'),
  loraRoot: z.string().min(1).optional()
    .describe('folder every lora_path must lie in, symlinks resolved (400 otherwise); required with adapter loading on a host other than loopback, since a client names the path the server reads'),
  maxLoras: z.number().int().positive().default(16)
    .describe('adapters loaded at once at most (400 beyond, until one is unloaded), a bound on the memory clients can make the server take; 16 = four align runs of four rounds each'),
  logRequests: z.boolean().default(true)
    .describe('log one line per request (method, path, status, milliseconds, error message)'),
  // Best-of-N (docs/method.md §5): null = off. Shown as null by `rlaifv defaults serve` so that they can be found.
  bestOf: z.number().int().min(1).nullable().default(null)
    .describe('answer every chat completion with the best of this many candidates by the RLAIF-V reward (the model served is the aligned policy; needs reference); a request may send its own best_of; null = off'),
  reference: z.string().min(1).nullable().default(null)
    .describe('best-of-N: the model the policy was trained from (π_ref), a checkpoint folder or a server URL; it scores every candidate, and samples them unless sampler is set (as in the paper)'),
  sampler: z.string().min(1).nullable().default(null)
    .describe('best-of-N: where the candidates come from, a checkpoint folder or a server URL (default: the reference)'),
  beta: z.number().positive().default(0.1)
    .describe('best-of-N: β of the reward (β/T) Σ (log π - log π_ref); 0.1 = the DPO β the policy was trained with (docs/method.md §4); it scales every reward alike, so it changes the reported reward, never the pick'),
  modelName: z.string().min(1).nullable().default(null)
    .describe('with --model URL: the model\'s name on that server, with best-of-N the policy\'s (default: the one its GET /v1/models lists)'),
  referenceName: z.string().min(1).nullable().default(null)
    .describe('best-of-N with a reference URL: the reference\'s name on that server, e.g. the base model beside the policy\'s adapter on one vLLM (default: the one its GET /v1/models lists)'),
  samplerName: z.string().min(1).nullable().default(null)
    .describe('best-of-N with a sampler URL: the sampler\'s name on that server (default: the one its GET /v1/models lists)'),
});

export type ServeSettings = z.output<typeof ServeSettingsSchema>;
export type ServeSettingsInput = z.input<typeof ServeSettingsSchema>;

/**
 * Parse serve settings, with an error naming each bad field and what it expects.
 * Example: `parseServeSettings({ port: 0, maxBatch: 1 })`.
 */
export function parseServeSettings(input: unknown): ServeSettings {
  const settings = parseSettings(ServeSettingsSchema, input, 'serve settings');
  if (settings.bestOf !== null && settings.bestOf > settings.maxN) {
    throw new ConfigError(`serve settings: field 'bestOf': ${settings.bestOf} candidates is above maxN = ${settings.maxN}, the most one request may sample; raise maxN or lower bestOf`, 'bestOf');
  }
  return settings;
}
