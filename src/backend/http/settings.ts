/**
 * Settings of the OpenAI-compatible HTTP backend: each field keeps its default and the reason
 * for it together. Parse once at the edge (CLI, config file) with `parseHttpSettings`.
 */
import { z } from 'zod';
import { parseSettings } from '../../util/settings.ts';

/** One URL or a comma-separated list becomes a list, so a CLI flag can carry several replicas. */
const urlList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.url({ protocol: /^https?$/ })).min(1),
);

export const HttpBackendSettingsSchema = z.strictObject({
  baseUrls: urlList.describe(
    'OpenAI-compatible base URLs, e.g. http://10.0.0.5:8000/v1 (a URL without a path gets /v1); requests are spread over them, least-loaded first',
  ),
  model: z.string().min(1).optional()
    .describe('model (or LoRA adapter) name sent in every request; when absent, the single model listed by GET /v1/models'),
  apiKey: z.string().default('EMPTY').describe("bearer token; local servers ignore it, and the SDK refuses an empty one, hence 'EMPTY'"),
  maxInFlightPerUrl: z.number().int().positive().default(8)
    .describe('requests in flight per URL; the rest wait here, so a busy server is not flooded. About 1.5x the server\'s parallel slots keeps them all busy (measured: 8 slots, 8 in flight 84%, 12 in flight 93.5%); vLLM batches far more, llama.cpp has --parallel slots'),
  timeoutMs: z.number().int().positive().default(300_000)
    .describe('per attempt; n = 10 candidates of 512 tokens on a loaded server can take minutes'),
  maxRetries: z.number().int().nonnegative().default(6)
    .describe('retries after the first attempt on 408/409/429/5xx, time-outs and dropped connections; 6 with the default back-off rides out ~1 min of restarts'),
  backoffBaseMs: z.number().nonnegative().default(500).describe('back-off before retry k is uniform in [0, min(backoffMaxMs, backoffBaseMs * 2^k)] (full jitter)'),
  backoffMaxMs: z.number().nonnegative().default(30_000).describe('cap of one back-off'),
  retryAfterMaxMs: z.number().nonnegative().default(120_000)
    .describe('a Retry-After header is honoured up to this long, so a misconfigured proxy cannot stall a run for hours'),
  topLogprobs: z.number().int().min(1).default(20)
    .describe("alternatives read at the yes/no token; 20 is vLLM's default --max-logprobs and llama.cpp's cap"),
  supportsN: z.union([z.literal('auto'), z.boolean()]).default('auto')
    .describe("whether the server samples n > 1 choices per request; 'auto' tries and falls back (llama.cpp and Ollama do not) to n requests with seeds seed..seed+n-1"),
  client: z.enum(['sdk', 'direct']).default('sdk')
    .describe("'sdk': every request goes through the official openai SDK (on a keep-alive node:http fetch); 'direct': the same requests, headers, values and errors sent straight on node:http, which halves the engine's CPU per request (measured with npm run bench -- engine) for data-engine runs that keep many slots busy"),
  logprobsMode: z.enum(['auto', 'response_logprobs', 'prompt_logprobs']).default('auto')
    .describe("how logProbs scores a response: 'response_logprobs' (rlaifv serve), 'prompt_logprobs' (vLLM, with POST /tokenize), 'auto' = whichever the first answer carries"),
});

export type HttpBackendSettings = z.infer<typeof HttpBackendSettingsSchema>;
export type HttpBackendSettingsInput = z.input<typeof HttpBackendSettingsSchema>;

/**
 * Parse settings, with errors that name the field: `parseHttpSettings({ baseUrls: 'http://h:8000' }, 'config.json#backend')`.
 */
export function parseHttpSettings(input: unknown, where = 'http backend settings'): HttpBackendSettings {
  return parseSettings(HttpBackendSettingsSchema, input, where);
}

/** `apiBaseUrl('http://h:8000/') === 'http://h:8000/v1'`; a URL with a path is kept as written. */
export function apiBaseUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return new URL(trimmed).pathname === '/' ? `${trimmed}/v1` : trimmed;
}

/** The server root beside the API base, where vLLM serves /tokenize: `serverRoot('http://h:8000/v1') === 'http://h:8000'`. */
export function serverRoot(apiBase: string): string {
  return apiBase.replace(/\/v1$/, '');
}
