/**
 * A chat-completions request body -> the typed request the server acts on. Parameters that would
 * change results but are not supported are rejected (400 naming the parameter and the fix);
 * parameters that cannot change results (`user`, `metadata`, ...) are ignored.
 */
import { z } from 'zod';
import { badRequest } from './errors.ts';
import type { ServeSettings } from './settings.ts';

export interface ChatRequest {
  /** The `model` field; absent means the served model. */
  model: string | undefined;
  messages: unknown[];
  n: number;
  seed: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  logprobs: boolean;
  topLogprobs: number;
  /** vLLM extra; only meaningful when scoring (`continueFinalMessage`). */
  promptLogprobs: number | undefined;
  /** vLLM extra: the final assistant message is a response to score, not history. */
  continueFinalMessage: boolean;
}

const optional = <T extends z.ZodType>(t: T) => t.nullish();

const BodySchema = z.looseObject({
  model: optional(z.string()),
  messages: z.array(z.unknown()).min(1, 'messages must hold at least one message'),
  n: optional(z.number().int().min(1)),
  seed: optional(z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)),
  temperature: optional(z.number().min(0).max(2)),
  top_p: optional(z.number().gt(0).max(1)),
  max_tokens: optional(z.number().int().min(1)),
  max_completion_tokens: optional(z.number().int().min(1)),
  logprobs: optional(z.boolean()),
  top_logprobs: optional(z.number().int().min(0)),
  stream: optional(z.boolean()),
  // vLLM accepts -1 for "all"; the count is not used (see score.ts), only its presence.
  prompt_logprobs: optional(z.number().int().min(-1)),
  add_generation_prompt: optional(z.boolean()),
  continue_final_message: optional(z.boolean()),
});

/** Parameters that cannot change the answer; accepted and ignored. */
const IGNORED = new Set([
  'user', 'metadata', 'store', 'service_tier', 'parallel_tool_calls', 'safety_identifier', 'prompt_cache_key',
  'stream_options', 'include_stop_str_in_output', 'spaces_between_special_tokens', 'request_id', 'priority',
  'cache_salt', 'documents',
]);

const isEmpty = (v: unknown) => v == null || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** Parameters that would change results: accepted only at their no-op value. */
const ONLY_AT_DEFAULT: Record<string, { ok: (v: unknown) => boolean; what: string }> = {
  stop: { ok: isEmpty, what: 'stop sequences are not supported; remove `stop` and cut the text on the client' },
  frequency_penalty: { ok: (v) => v == null || v === 0, what: 'frequency_penalty is not supported; send 0 or omit it' },
  presence_penalty: { ok: (v) => v == null || v === 0, what: 'presence_penalty is not supported; send 0 or omit it' },
  repetition_penalty: { ok: (v) => v == null || v === 1, what: 'repetition_penalty is not supported; send 1 or omit it' },
  length_penalty: { ok: (v) => v == null || v === 1, what: 'length_penalty is not supported; send 1 or omit it' },
  logit_bias: { ok: isEmpty, what: 'logit_bias is not supported; omit it' },
  tools: { ok: isEmpty, what: 'tools are not supported by rlaifv serve; omit them' },
  functions: { ok: isEmpty, what: 'functions are not supported by rlaifv serve; omit them' },
  tool_choice: { ok: (v) => v == null || v === 'none' || v === 'auto', what: 'tool_choice is not supported; omit it' },
  function_call: { ok: (v) => v == null || v === 'none' || v === 'auto', what: 'function_call is not supported; omit it' },
  response_format: {
    ok: (v) => v == null || (typeof v === 'object' && (v as { type?: unknown }).type === 'text'),
    what: 'structured output (response_format) is not supported; send {"type":"text"} or omit it',
  },
  top_k: { ok: (v) => v == null || v === 0 || v === -1, what: 'top_k is not supported; send -1 or omit it' },
  min_p: { ok: (v) => v == null || v === 0, what: 'min_p is not supported; send 0 or omit it' },
  min_tokens: { ok: (v) => v == null || v === 0, what: 'min_tokens is not supported; send 0 or omit it' },
  echo: { ok: (v) => v == null || v === false, what: 'echo is not supported; omit it' },
  ignore_eos: { ok: (v) => v == null || v === false, what: 'ignore_eos is not supported; omit it' },
  use_beam_search: { ok: (v) => v == null || v === false, what: 'beam search is not supported; omit use_beam_search' },
  best_of: { ok: (v) => v == null || v === 1, what: 'best_of is not supported; send n candidates and choose on the client' },
  skip_special_tokens: { ok: (v) => v == null || v === true, what: 'skip_special_tokens: false is not supported' },
  modalities: { ok: (v) => v == null || (Array.isArray(v) && v.every((m) => m === 'text')), what: 'only text output is supported; send modalities ["text"] or omit it' },
  audio: { ok: (v) => v == null, what: 'audio output is not supported; omit `audio`' },
  prediction: { ok: (v) => v == null, what: 'predicted outputs are not supported; omit `prediction`' },
  reasoning_effort: { ok: (v) => v == null, what: 'reasoning_effort is not supported; omit it' },
  chat_template: { ok: (v) => v == null, what: 'custom chat templates are not supported; omit chat_template' },
  chat_template_kwargs: { ok: isEmpty, what: 'chat_template_kwargs are not supported; omit them' },
};

const KNOWN = Object.keys(BodySchema.shape);

/**
 * Validate a parsed JSON body against the settings' defaults and limits.
 * Example: `parseChatRequest({ messages: [...], n: 3, seed: 7 }, settings)` -> `{ n: 3, seed: 7, temperature: 0.7, ... }`.
 */
export function parseChatRequest(body: unknown, settings: ServeSettings): ChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`the request body must be a JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`, null, 'invalid_json');
  }
  for (const [key, value] of Object.entries(body)) {
    if (KNOWN.includes(key) || IGNORED.has(key)) continue;
    const rule = ONLY_AT_DEFAULT[key];
    if (rule) {
      if (!rule.ok(value)) throw badRequest(rule.what, key, 'unsupported_parameter');
      continue;
    }
    throw badRequest(`unknown parameter '${key}'; supported: ${KNOWN.join(', ')} (ignored: ${[...IGNORED].join(', ')})`, key, 'unknown_parameter');
  }
  const parsed = BodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.map(String).join('.') || null;
    throw badRequest(`${param ?? 'body'}: ${issue.message}`, param, issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : 'invalid_value');
  }
  const b = parsed.data;
  if (b.stream === true) {
    throw badRequest('streaming is not supported by rlaifv serve; send stream: false (or omit it)', 'stream', 'unsupported_parameter');
  }
  const n = b.n ?? 1;
  if (n > settings.maxN) throw badRequest(`n = ${n} is above this server's limit of ${settings.maxN} (setting maxN)`, 'n');
  if (b.max_tokens != null && b.max_completion_tokens != null && b.max_tokens !== b.max_completion_tokens) {
    throw badRequest(`max_tokens (${b.max_tokens}) and max_completion_tokens (${b.max_completion_tokens}) disagree; send one of them`, 'max_completion_tokens');
  }
  const topLogprobs = b.top_logprobs ?? 0;
  if (b.top_logprobs != null && b.logprobs !== true) {
    throw badRequest('top_logprobs needs logprobs: true', 'top_logprobs');
  }
  if (topLogprobs > settings.maxLogprobs) {
    throw badRequest(`top_logprobs = ${topLogprobs} is above the limit of ${settings.maxLogprobs} (setting maxLogprobs)`, 'top_logprobs');
  }
  const continueFinalMessage = b.continue_final_message === true;
  if (continueFinalMessage && b.add_generation_prompt === true) {
    throw badRequest('continue_final_message: true needs add_generation_prompt: false (as in vLLM)', 'add_generation_prompt');
  }
  if (b.prompt_logprobs != null && !continueFinalMessage) {
    throw badRequest(
      'prompt_logprobs is only supported for scoring a given response: send it as a final assistant message with '
        + 'continue_final_message: true and add_generation_prompt: false',
      'prompt_logprobs', 'unsupported_parameter',
    );
  }
  return {
    model: b.model ?? undefined,
    messages: b.messages,
    n,
    seed: b.seed ?? settings.defaultSeed,
    temperature: b.temperature ?? settings.temperature,
    topP: b.top_p ?? settings.topP,
    maxTokens: b.max_completion_tokens ?? b.max_tokens ?? settings.maxTokens,
    logprobs: b.logprobs === true,
    topLogprobs,
    promptLogprobs: b.prompt_logprobs ?? undefined,
    continueFinalMessage,
  };
}
