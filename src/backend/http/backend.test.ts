import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accepts } from '../types.ts';
import { OpenAICompatibleBackend } from './backend.ts';
import { CapabilityError } from './errors.ts';
import { defaultText, FakeServer, type FakeServerOptions } from './testing/fake-server.ts';
import { fastSettings, TINY_IMAGE } from './testing/helpers.ts';
import { responseLogprobs } from './testing/toy-chat.ts';

const decoding = { temperature: 0.7, topP: 0.9, maxTokens: 64 };

async function withBackend(
  serverOptions: FakeServerOptions, settings: Record<string, unknown>,
  fn: (backend: OpenAICompatibleBackend, server: FakeServer) => Promise<void>,
): Promise<void> {
  const server = await FakeServer.start(serverOptions);
  try {
    await fn(new OpenAICompatibleBackend(fastSettings(server.url, settings)), server);
  } finally {
    await server.close();
  }
}

type Sent = { n?: number; seed?: number; temperature?: number; top_p?: number; max_tokens?: number; messages: Array<{ content: unknown }> };
const sent = (server: FakeServer) => server.chatRequests().map((r) => r.body as Sent);

test('generate: one request with n, candidate j has seed + j, decoding settings sent and recorded', () => withBackend({}, {}, async (backend, server) => {
  const [cands] = await backend.generate([{ image: TINY_IMAGE, prompt: 'Describe.' }], { n: 3, seed: 10, ...decoding });
  assert.deepEqual(cands!.map((c) => c.seed), [10, 11, 12]);
  assert.deepEqual(cands!.map((c) => c.text), [10, 11, 12].map((s) => defaultText('Describe.', s)));
  assert.ok(cands!.every((c) => c.model === 'fake-vlm' && c.finishReason === 'stop'));
  assert.deepEqual(cands![0]!.settings, decoding);
  const reqs = sent(server);
  assert.equal(reqs.length, 1);
  assert.deepEqual([reqs[0]!.n, reqs[0]!.seed, reqs[0]!.temperature, reqs[0]!.top_p, reqs[0]!.max_tokens], [3, 10, 0.7, 0.9, 64]);
  const parts = reqs[0]!.messages[0]!.content as Array<{ type: string; image_url?: { url: string }; text?: string }>;
  assert.match(parts[0]!.image_url!.url, /^data:image\/png;base64,/);
  assert.deepEqual(parts[1], { type: 'text', text: 'Describe.' });
  assert.equal(backend.name, 'fake-vlm');
}));

test('generate: request.seed overrides options.seed; truncation is finishReason length with exact tokens', () => withBackend({}, {}, async (backend) => {
  const out = await backend.generate(
    [{ image: TINY_IMAGE, prompt: 'A.', seed: 100 }, { image: TINY_IMAGE, prompt: 'B.' }],
    { n: 1, seed: 5, temperature: 1, topP: 1, maxTokens: 2 },
  );
  assert.equal(out[0]![0]!.seed, 100);
  assert.equal(out[1]![0]!.seed, 5);
  assert.equal(out[0]![0]!.finishReason, 'length'); // default texts have >= 3 words
  assert.equal(out[0]![0]!.tokens, 2);
  assert.equal(out[0]![0]!.text.split(' ').length, 2);
}));

test('n refused (llama.cpp): n requests with seeds seed..seed+n-1, same candidates, and n is not tried again', () => withBackend({ n: 'reject' }, {}, async (backend, server) => {
  const [cands] = await backend.generate([{ image: TINY_IMAGE, prompt: 'Describe.' }], { n: 4, seed: 7, ...decoding });
  assert.deepEqual(cands!.map((c) => c.seed), [7, 8, 9, 10]);
  assert.deepEqual(cands!.map((c) => c.text), [7, 8, 9, 10].map((s) => defaultText('Describe.', s)));
  const reqs = sent(server);
  assert.equal(reqs[0]!.n, 4); // the refused try
  assert.deepEqual(reqs.slice(1).map((r) => [r.n, r.seed]).sort((a, b) => a[1]! - b[1]!), [[undefined, 7], [undefined, 8], [undefined, 9], [undefined, 10]]);
  await backend.generate([{ image: TINY_IMAGE, prompt: 'Again.' }], { n: 2, seed: 0, ...decoding });
  assert.equal(sent(server).slice(5).filter((r) => r.n !== undefined).length, 0);
}));

test('n ignored (Ollama): the missing candidates are sampled one by one', () => withBackend({ n: 'ignore' }, {}, async (backend, server) => {
  const [cands] = await backend.generate([{ image: TINY_IMAGE, prompt: 'Describe.' }], { n: 3, seed: 20, ...decoding });
  assert.deepEqual(cands!.map((c) => [c.seed, c.text]), [20, 21, 22].map((s) => [s, defaultText('Describe.', s)]));
  assert.deepEqual(sent(server).map((r) => r.seed), [20, 21, 22]);
}));

test('supportsN false: never sends n', () => withBackend({}, { supportsN: false }, async (backend, server) => {
  await backend.generate([{ image: TINY_IMAGE, prompt: 'Describe.' }], { n: 3, seed: 0, ...decoding });
  assert.deepEqual(sent(server).map((r) => r.n), [undefined, undefined, undefined]);
}));

test('yesNo: asks one greedy token with top_logprobs, sums yes/Yes and no/No', () => withBackend({
  yesNo: (q) => (q.startsWith('Is the cube red?')
    ? [{ token: 'Yes', logprob: Math.log(0.5) }, { token: '▁yes', logprob: Math.log(0.2) }, { token: ' No', logprob: Math.log(0.25) }]
    : [{ token: 'No', logprob: Math.log(0.9) }, { token: 'Yes', logprob: Math.log(0.05) }]),
}, { topLogprobs: 5 }, async (backend, server) => {
  const [a, b] = await backend.yesNo([{ image: TINY_IMAGE, question: 'Is the cube red?' }, { image: TINY_IMAGE, question: 'Is there a dog?' }]);
  assert.ok(Math.abs(a!.yes - 0.7) < 1e-9 && Math.abs(a!.no - 0.25) < 1e-9, JSON.stringify(a));
  assert.ok(Math.abs(b!.yes - 0.05) < 1e-9 && Math.abs(b!.no - 0.9) < 1e-9, JSON.stringify(b));
  assert.equal(accepts(a!), true);
  assert.equal(accepts(b!), false);
  const r = server.chatRequests()[0]!.body as { max_tokens: number; temperature: number; logprobs: boolean; top_logprobs: number; messages: Array<{ content: Array<{ text?: string }> }> };
  assert.deepEqual([r.max_tokens, r.temperature, r.logprobs, r.top_logprobs], [1, 0, true, 5]);
  assert.equal(r.messages[0]!.content[1]!.text, 'Is the cube red? Please answer yes or no.');
}));

test('yesNo without logprobs in the answer is a capability error', () => withBackend({ logprobs: false, ownedBy: 'library' }, {}, async (backend) => {
  await assert.rejects(backend.yesNo([{ image: TINY_IMAGE, question: 'Is it?' }]), (e: unknown) =>
    e instanceof CapabilityError && e.capability === 'logprobs' && /Ollama: update/.test(e.message));
}));

const scoreBatch = [
  { image: TINY_IMAGE, prompt: 'Describe the image.', response: 'A red cube left of a sphere.' },
  { image: TINY_IMAGE, prompt: 'What is it?', response: '' },
];

test('logProbs via rlaifv serve: response_logprobs used as sent, contract request shape', () => withBackend({ scoring: 'response_logprobs' }, {}, async (backend, server) => {
  const out = await backend.logProbs(scoreBatch);
  const want = responseLogprobs('A red cube left of a sphere.');
  assert.deepEqual(out[0], { sum: want.sum, tokenLogProbs: want.token_logprobs, tokens: want.tokens });
  assert.deepEqual(out[1]!.tokens, ['</s>']);
  const r = server.chatRequests()[0]!.body as Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> };
  assert.deepEqual([r.max_tokens, r.prompt_logprobs, r.add_generation_prompt, r.continue_final_message], [1, 0, false, true]);
  assert.deepEqual(r.messages[1], { role: 'assistant', content: 'A red cube left of a sphere.' });
}));

test('logProbs via vLLM prompt_logprobs + /tokenize gives the same numbers as rlaifv serve', () => withBackend({ scoring: 'prompt_logprobs' }, {}, async (backend, server) => {
  const out = await backend.logProbs(scoreBatch);
  for (const [i, r] of scoreBatch.entries()) {
    const want = responseLogprobs(r.response);
    assert.deepEqual(out[i]!.tokens, want.tokens);
    assert.deepEqual(out[i]!.tokenLogProbs, want.token_logprobs);
    assert.ok(Math.abs(out[i]!.sum - want.sum) < 1e-9);
  }
  const tokenizeCalls = server.requests.filter((r) => r.path === '/tokenize');
  assert.equal(tokenizeCalls.length, 6);
  // Once learnt, vLLM gets the closed-turn request directly.
  const before = server.chatRequests().length;
  await backend.logProbs([scoreBatch[0]!]);
  const last = server.chatRequests().slice(before);
  assert.equal(last.length, 1);
  assert.equal((last[0]!.body as { continue_final_message: boolean }).continue_final_message, false);
}));

test('logProbs on a server with neither field is a capability error naming both ways', () => withBackend({ scoring: 'none', ownedBy: 'llamacpp' }, {}, async (backend) => {
  await assert.rejects(backend.logProbs([scoreBatch[0]!]), (e: unknown) =>
    e instanceof CapabilityError && e.capability === 'scoring' && /rlaifv serve/.test(e.message) && /vLLM/.test(e.message));
}));

test('vLLM without POST /tokenize is a capability error', () => withBackend({ scoring: 'prompt_logprobs', tokenizeRoute: false }, {}, async (backend) => {
  await assert.rejects(backend.logProbs([scoreBatch[0]!]), (e: unknown) =>
    e instanceof CapabilityError && e.capability === 'tokenize' && /\/tokenize/.test(e.message));
}));

test('complete: text-only chat, prompt i gets seed + i', () => withBackend({}, {}, async (backend, server) => {
  const out = await backend.complete(['first', 'second', 'third'], { temperature: 0.2, topP: 0.9, maxTokens: 256, seed: 40 });
  assert.deepEqual(out, [40, 41, 42].map((s, i) => defaultText(['first', 'second', 'third'][i]!, s)));
  const reqs = sent(server).sort((a, b) => a.seed! - b.seed!);
  assert.deepEqual(reqs.map((r) => [r.seed, r.messages[0]!.content]), [[40, 'first'], [41, 'second'], [42, 'third']]);
}));

test('model discovery: the one listed model is used; several without a name is an error listing them', async () => {
  await withBackend({ models: ['only-model'] }, {}, async (backend, server) => {
    await backend.complete(['x'], { temperature: 0, topP: 1, maxTokens: 4, seed: 0 });
    assert.equal((server.chatRequests()[0]!.body as { model: string }).model, 'only-model');
    assert.equal(server.requests.filter((r) => r.path === '/v1/models').length, 1);
    await backend.complete(['y'], { temperature: 0, topP: 1, maxTokens: 4, seed: 0 });
    assert.equal(server.requests.filter((r) => r.path === '/v1/models').length, 1, 'discovered once');
  });
  await withBackend({ models: ['llava-7b', 'llava-13b'] }, {}, async (backend) => {
    await assert.rejects(backend.complete(['x'], { temperature: 0, topP: 1, maxTokens: 4, seed: 0 }), (e: unknown) =>
      e instanceof CapabilityError && e.capability === 'model' && /llava-7b, llava-13b/.test(e.message));
  });
  await withBackend({ models: ['llava-7b'] }, { model: 'llava-13b' }, async (backend) => {
    await assert.rejects(backend.probe(), (e: unknown) =>
      e instanceof CapabilityError && /'llava-13b' is not served here; served: llava-7b/.test(e.message) && /--served-model-name/.test(e.message));
  });
  await withBackend({ modelsRoute: false, models: ['m'] }, { model: 'm' }, async (backend) => {
    assert.deepEqual(await backend.complete(['x'], { temperature: 0, topP: 1, maxTokens: 16, seed: 1 }), [defaultText('x', 1)]);
  });
});

test('probe: a capable server passes and reports n support and scoring mode', () => withBackend({ scoring: 'prompt_logprobs' }, {}, async (backend) => {
  const report = await backend.probe({ generate: true, yesNo: true, logProbs: true });
  assert.equal(report.model, 'fake-vlm');
  assert.deepEqual(report.endpoints.map((e) => [e.engine, e.supportsN, e.logprobsMode]), [['vllm', true, 'prompt_logprobs']]);
}));

test('probe: capability errors name the capability and the engine\'s fix', async () => {
  const cases: Array<{ name: string; server: FakeServerOptions; settings?: Record<string, unknown>; capability: string; fix: RegExp }> = [
    { name: 'llama.cpp without --mmproj', server: { images: false, ownedBy: 'llamacpp' }, capability: 'images', fix: /--mmproj/ },
    { name: 'no logprobs (old Ollama)', server: { logprobs: false, ownedBy: 'library' }, capability: 'logprobs', fix: /Ollama: update/ },
    { name: 'top_logprobs over vLLM cap', server: { maxLogprobs: 20 }, settings: { topLogprobs: 50 }, capability: 'top-logprobs', fix: /--max-logprobs/ },
  ];
  for (const c of cases) {
    await withBackend(c.server, c.settings ?? {}, async (backend) => {
      await assert.rejects(backend.probe({ generate: true, yesNo: true }), (e: unknown) => {
        assert.ok(e instanceof CapabilityError, `${c.name}: ${String(e)}`);
        assert.equal(e.capability, c.capability, c.name);
        assert.match(e.fix, c.fix, c.name);
        assert.match(e.message, /fix: /);
        return true;
      });
    });
  }
  await withBackend({ n: 'reject', ownedBy: 'llamacpp' }, {}, async (backend, server) => {
    const report = await backend.probe({ generate: true });
    assert.equal(report.endpoints[0]!.supportsN, false);
    await backend.generate([{ image: TINY_IMAGE, prompt: 'P.' }], { n: 2, seed: 0, ...decoding });
    assert.ok(sent(server).slice(-2).every((r) => r.n === undefined), 'probe result used: no n > 1 try');
  });
});
