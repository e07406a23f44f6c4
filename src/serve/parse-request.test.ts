import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIError } from './errors.ts';
import { parseChatRequest } from './parse-request.ts';
import { parseServeSettings } from './settings.ts';

const settings = parseServeSettings({});
const messages = [{ role: 'user', content: 'hi' }];

function rejects(body: unknown, param: string | null, pattern: RegExp, code?: string) {
  assert.throws(() => parseChatRequest(body, settings), (e: unknown) => {
    assert.ok(e instanceof OpenAIError, `expected OpenAIError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.param, param);
    assert.match(e.message, pattern);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

test('absent parameters take the settings defaults (seed 0, docs/method.md §1 sampling)', () => {
  const r = parseChatRequest({ messages }, settings);
  assert.deepEqual(
    { n: r.n, seed: r.seed, temperature: r.temperature, topP: r.topP, maxTokens: r.maxTokens, logprobs: r.logprobs, topLogprobs: r.topLogprobs },
    { n: 1, seed: 0, temperature: 0.7, topP: 1, maxTokens: 512, logprobs: false, topLogprobs: 0 },
  );
  const custom = parseChatRequest({ messages }, parseServeSettings({ defaultSeed: 5, temperature: 1, maxTokens: 9 }));
  assert.deepEqual([custom.seed, custom.temperature, custom.maxTokens], [5, 1, 9]);
});

test('request values override defaults; max_completion_tokens is max_tokens', () => {
  const r = parseChatRequest({ messages, n: 3, seed: 42, temperature: 0, top_p: 0.9, max_completion_tokens: 7, logprobs: true, top_logprobs: 20 }, settings);
  assert.deepEqual([r.n, r.seed, r.temperature, r.topP, r.maxTokens, r.logprobs, r.topLogprobs], [3, 42, 0, 0.9, 7, true, 20]);
  assert.equal(parseChatRequest({ messages, max_tokens: 4 }, settings).maxTokens, 4);
});

test('harmless parameters are ignored, result-changing ones accepted only at their no-op value', () => {
  const r = parseChatRequest({ messages, user: 'u1', metadata: { a: 1 }, stream: false, stop: [], frequency_penalty: 0, top_k: -1, response_format: { type: 'text' } }, settings);
  assert.equal(r.n, 1);
  rejects({ messages, stop: ['\n'] }, 'stop', /stop sequences are not supported/, 'unsupported_parameter');
  rejects({ messages, presence_penalty: 0.5 }, 'presence_penalty', /not supported/);
  rejects({ messages, tools: [{ type: 'function' }] }, 'tools', /tools are not supported/);
  rejects({ messages, response_format: { type: 'json_object' } }, 'response_format', /structured output/);
});

test('stream: true is refused with the fix', () => {
  rejects({ messages, stream: true }, 'stream', /streaming is not supported.*stream: false/, 'unsupported_parameter');
});

test('unknown parameters are refused and the supported ones listed', () => {
  rejects({ messages, temprature: 0.5 }, 'temprature', /unknown parameter 'temprature'; supported: model, messages, n, seed, temperature/, 'unknown_parameter');
});

test('types, ranges and limits are checked with the field named', () => {
  rejects({ messages: [] }, 'messages', /at least one message/);
  rejects({ n: 2 }, 'messages', /messages/, 'missing_required_parameter');
  rejects({ messages, n: 0 }, 'n', /n: /);
  rejects({ messages, n: 65 }, 'n', /limit of 64 \(setting maxN\)/);
  rejects({ messages, temperature: 3 }, 'temperature', /temperature/);
  rejects({ messages, seed: 1.5 }, 'seed', /seed/);
  rejects({ messages, logprobs: true, top_logprobs: 21 }, 'top_logprobs', /limit of 20/);
  rejects({ messages, top_logprobs: 2 }, 'top_logprobs', /needs logprobs: true/);
  rejects({ messages, max_tokens: 3, max_completion_tokens: 4 }, 'max_completion_tokens', /disagree/);
  rejects({ messages, prompt_logprobs: 1 }, 'prompt_logprobs', /continue_final_message: true/);
  rejects({ messages, continue_final_message: true, add_generation_prompt: true }, 'add_generation_prompt', /add_generation_prompt: false/);
  rejects([1, 2], null, /must be a JSON object, got an array/);
});
