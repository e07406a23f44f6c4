import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextLengthMessage, PromptTooLongError } from '../context-length.ts';
import { OpenAICompatibleBackend } from './backend.ts';
import { readContextOverflow } from './context-overflow.ts';
import { ServerError } from './errors.ts';
import { FakeServer, type FakeServerOptions } from './testing/fake-server.ts';
import { fastSettings, TINY_IMAGE } from './testing/helpers.ts';

test('readContextOverflow reads each engine\'s refusal of a prompt too long for the context, and nothing else', () => {
  const cases: Array<[string, ReturnType<typeof readContextOverflow>]> = [
    [contextLengthMessage(121, 130), { promptTokens: 130, contextTokens: 121 }], // vLLM, rlaifv serve
    ["'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None", { promptTokens: 2778, contextTokens: 4096 }],
    ["This model's maximum context length is 65536 tokens. However, you requested 70000 tokens (69000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.", { promptTokens: 69000, contextTokens: 65536 }],
    ["The input (250000 tokens) is longer than the model's context length (200000 tokens).", { promptTokens: 250000, contextTokens: 200000 }],
    ['request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it', { promptTokens: 5000, contextTokens: 4096 }],
    ['the request exceeds the available context size, try increasing it', {}],
    ['Only one completion choice is allowed', undefined],
    ["Requested top_logprobs of 30 exceeds the server's maximum of 20 (--max-logprobs)", undefined],
    ['image_url: not a PNG', undefined],
  ];
  for (const [message, want] of cases) assert.deepEqual(readContextOverflow(message), want, message);
});

async function withServer(options: FakeServerOptions, settings: Record<string, unknown>, fn: (backend: OpenAICompatibleBackend, server: FakeServer) => Promise<void>) {
  const server = await FakeServer.start(options);
  try {
    await fn(new OpenAICompatibleBackend(fastSettings(server.url, settings)), server);
  } finally {
    await server.close();
  }
}

const LONG = Array.from({ length: 40 }, () => 'red').join(' ');
const options = { n: 2, seed: 3, temperature: 0.7, topP: 1, maxTokens: 8 };

test('generate: a server\'s 400 for a prompt too long is a PromptTooLongError naming the request, with the others\' candidates', async () => {
  for (const n of ['yes', 'reject'] as const) {
    await withServer({ maxModelLen: 30, n }, {}, async (backend, server) => {
      const batch = [{ image: TINY_IMAGE, prompt: 'Describe.' }, { image: TINY_IMAGE, prompt: LONG }, { image: TINY_IMAGE, prompt: 'What is here?' }];
      const err = await backend.generate(batch, options).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof PromptTooLongError, `n: ${n}: ${String(err)}`);
      assert.deepEqual(err.overflows.map((o) => [o.index, o.contextTokens, o.message.startsWith("This model's maximum context length is 30 tokens. However, your request has ")]), [[1, 30, true]]);
      assert.ok(err.overflows[0]!.promptTokens! >= 40);
      assert.deepEqual(err.answered.map((a) => a?.map((c) => c.seed)), [[3, 4], undefined, [3, 4]], 'the others were answered');
      const long = server.chatRequests().filter((r) => JSON.stringify(r.body).includes(LONG));
      // A refusal for length is not taken for a refusal of n: one request. With n refused (llama.cpp),
      // the n = 2 try is refused for n first, then its 2 single requests for their length.
      assert.equal(long.length, n === 'yes' ? 1 : 3, `n: ${n}`);
    });
  }
});

test('generate: any other 400 still fails the batch as a ServerError', () => withServer({ maxLogprobs: 20 }, {}, async (backend, server) => {
  server.inject({ kind: 'status', status: 400, message: 'messages[0]: bad role' });
  await assert.rejects(backend.generate([{ image: TINY_IMAGE, prompt: 'Describe.' }], { ...options, n: 1 }), (e: unknown) => e instanceof ServerError && e.status === 400 && !(e instanceof PromptTooLongError));
}));
