import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { contextLengthMessage, PromptTooLongError } from '../backend/context-length.ts';
import { MockBackend } from '../backend/mock.ts';
import { createModel, Tokenizer } from '../model/index.ts';
import { initEngine } from '../tensor/tf.ts';
import { createApp, type AppOptions } from './app.ts';
import type { ServableBackend } from './extensions.ts';
import { image, scoringBody, userTurn } from './test-helpers.ts';
import type { ChatCompletion } from './wire.ts';

const NOW = 1_700_000_000_000;

function app(backend: ServableBackend = new MockBackend('tiny-vlm'), options: Partial<AppOptions> = {}) {
  return createApp({ backend, maxBatch: 1, now: () => NOW, ...options });
}

const JSON_TYPE = { 'content-type': 'application/json' };

async function post(a: ReturnType<typeof app>, body: unknown, headers: Record<string, string> = JSON_TYPE) {
  const res = await a.handle({ method: 'POST', url: '/v1/chat/completions', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: JSON.parse(res.body) as ChatCompletion & { error: { message: string; type: string; param: string | null; code: string | null } } };
}

test('GET /v1/models lists the served name; /health answers ok', async () => {
  const a = app();
  const res = await a.handle({ method: 'GET', url: '/v1/models' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(res.body), {
    object: 'list',
    data: [{ id: 'tiny-vlm', object: 'model', created: NOW / 1000, owned_by: 'rlaifv', root: 'tiny-vlm', parent: null }],
  });
  assert.equal(JSON.parse((await a.handle({ method: 'GET', url: '/v1/models/tiny-vlm' })).body).id, 'tiny-vlm');
  assert.equal((await a.handle({ method: 'GET', url: '/v1/models/other' })).status, 404);
  assert.deepEqual(JSON.parse((await a.handle({ method: 'GET', url: '/health?x=1' })).body), { status: 'ok', model: 'tiny-vlm' });
  const renamed = app(new MockBackend('x'), { name: 'served-as' });
  assert.equal(JSON.parse((await renamed.handle({ method: 'GET', url: '/v1/models' })).body).data[0].id, 'served-as');
});

test('unknown routes are 404 and wrong methods 405, in OpenAI error shape', async () => {
  const a = app();
  const missing = await a.handle({ method: 'GET', url: '/v1/completions' });
  assert.equal(missing.status, 404);
  assert.match(JSON.parse(missing.body).error.message, /no route GET \/v1\/completions; this server answers .*\/v1\/chat\/completions/);
  const wrong = await a.handle({ method: 'GET', url: '/v1/chat/completions' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.allow, 'POST');
});

test('n = 3 with a seed samples candidates with seeds seed..seed+2, the same on every repeat', async () => {
  const backend = new MockBackend('tiny-vlm');
  const a = app(backend);
  const body = { model: 'tiny-vlm', messages: userTurn('Describe.'), n: 3, seed: 40, temperature: 0.9, top_p: 0.8, max_tokens: 20, user: 'ignored' };
  const first = await post(a, body);
  assert.equal(first.status, 200);
  assert.deepEqual(backend.calls.generate[0], {
    batch: [{ image, prompt: 'Describe.', seed: 40 }],
    options: { n: 3, seed: 40, temperature: 0.9, topP: 0.8, maxTokens: 20 },
  });
  assert.deepEqual(first.json.choices, [40, 41, 42].map((seed, index) => ({
    index, message: { role: 'assistant', content: `Describe. #${seed}` }, finish_reason: 'stop', logprobs: null,
  })));
  assert.equal(first.json.object, 'chat.completion');
  assert.equal(first.json.model, 'tiny-vlm');
  assert.equal(first.json.created, NOW / 1000);
  assert.deepEqual(first.json.usage, { prompt_tokens: 1, completion_tokens: 6, total_tokens: 7 });
  const again = await post(a, body);
  assert.deepEqual(again.json.choices, first.json.choices);
  assert.notEqual(again.json.id, first.json.id);
});

test('without a seed, seed 0 and the docs/method.md §1 decoding defaults are used', async () => {
  const backend = new MockBackend('tiny-vlm');
  await post(app(backend), { messages: userTurn('Q') });
  assert.deepEqual(backend.calls.generate[0]!.options, { n: 1, seed: 0, temperature: 0.7, topP: 1, maxTokens: 512 });
});

test('yes/no with logprobs falls back to Yes/No entries from backend.yesNo', async () => {
  const backend = new MockBackend('tiny-vlm', { yesNo: () => ({ yes: 0.25, no: 0.5 }) });
  const { status, json } = await post(app(backend), {
    model: 'tiny-vlm', messages: userTurn(`Is there a cube?${YES_NO_SUFFIX}`), max_tokens: 1, logprobs: true, top_logprobs: 5, temperature: 0,
  });
  assert.equal(status, 200);
  assert.deepEqual(backend.calls.yesNo, [[{ image, question: 'Is there a cube?' }]]);
  assert.equal(backend.calls.generate.length, 0);
  const choice = json.choices[0]!;
  assert.equal(choice.message.content, 'No');
  assert.deepEqual(choice.logprobs!.content[0], {
    token: 'No', logprob: Math.log(0.5), bytes: [78, 111],
    top_logprobs: [{ token: 'No', logprob: Math.log(0.5), bytes: [78, 111] }, { token: 'Yes', logprob: Math.log(0.25), bytes: [89, 101, 115] }],
  });
  assert.equal(json.usage.completion_tokens, 1);
});

test('yes/no uses firstTokenTopLogprobs when the backend has it; log 0 becomes -9999', async () => {
  const backend: ServableBackend & { asked?: unknown[] } = new MockBackend('tiny-vlm');
  backend.firstTokenTopLogprobs = async (img, prompt, k) => {
    backend.asked = [img, prompt, k];
    return [{ token: 'no', logprob: Math.log(0.1) }, { token: 'Yes', logprob: Math.log(0.8) }, { token: 'yes', logprob: -Infinity }];
  };
  const prompt = `Is it red?${YES_NO_SUFFIX}`;
  const { json } = await post(app(backend), { messages: userTurn(prompt), max_tokens: 1, logprobs: true, top_logprobs: 3 });
  assert.deepEqual(backend.asked, [image, prompt, 3]);
  const entry = json.choices[0]!.logprobs!.content[0]!;
  assert.equal(json.choices[0]!.message.content, 'Yes');
  assert.deepEqual(entry.top_logprobs.map((t) => [t.token, t.logprob]), [['Yes', Math.log(0.8)], ['no', Math.log(0.1)], ['yes', -9999]]);
  const { json: one } = await post(app(backend), { messages: userTurn(prompt), max_tokens: 1, logprobs: true });
  assert.deepEqual(backend.asked, [image, prompt, 1]);
  assert.deepEqual(one.choices[0]!.logprobs!.content[0]!.top_logprobs, []);
});

test('scoring returns the backend log-probs as response_logprobs and vLLM prompt_logprobs', async () => {
  const lp = { sum: -3.5, tokenLogProbs: [-0.5, -1, -2], tokens: ['A', ' cube', '</s>'] };
  const backend = new MockBackend('tiny-vlm', { logProbs: () => lp });
  const { status, json } = await post(app(backend), scoringBody('Describe.', 'A cube', 'tiny-vlm'));
  assert.equal(status, 200);
  assert.deepEqual(backend.calls.logProbs, [[{ image, prompt: 'Describe.', response: 'A cube' }]]);
  assert.deepEqual(json.response_logprobs, { tokens: lp.tokens, token_logprobs: lp.tokenLogProbs, sum: lp.sum });
  assert.deepEqual(json.prompt_logprobs, [
    null,
    { 1: { logprob: -0.5, rank: null, decoded_token: 'A' } },
    { 2: { logprob: -1, rank: null, decoded_token: ' cube' } },
    { 3: { logprob: -2, rank: null, decoded_token: '</s>' } },
  ]);
  assert.deepEqual(json.choices, [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop', logprobs: null }]);
  assert.equal(backend.calls.generate.length, 0);
});

test('bad requests are 4xx with the problem, the place and the fix', async () => {
  const a = app();
  const cases: Array<[unknown, number, string | null, RegExp]> = [
    [{ messages: [{ role: 'user', content: 'no image here' }] }, 400, 'messages[0].content', /no image/],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } }, { type: 'text', text: 'x' }] }] }, 400, 'messages[0].content[0].image_url.url', /not valid base64/],
    [{ model: 'gpt-4o', messages: userTurn('x') }, 404, 'model', /'gpt-4o' does not exist; this server serves 'tiny-vlm'/],
    [{ messages: userTurn('x'), stream: true }, 400, 'stream', /streaming is not supported/],
    ['{"messages": [', 400, null, /not valid JSON/],
    ['', 400, null, /body is empty/],
    [{ messages: userTurn('Describe.'), logprobs: true }, 400, 'logprobs', /yes\/no questions only/],
    [{ messages: userTurn(`Red?${YES_NO_SUFFIX}`), logprobs: true, max_tokens: 1, n: 2 }, 400, 'n', /n must be 1/],
    [{ ...scoringBody('Q', 'A'), n: 2 }, 400, 'n', /n must be 1 when scoring/],
  ];
  for (const [body, status, param, pattern] of cases) {
    const res = await post(a, body);
    assert.equal(res.status, status, JSON.stringify(res.json));
    assert.equal(res.json.error.param, param);
    assert.match(res.json.error.message, pattern);
    assert.equal(res.json.error.type, 'invalid_request_error');
  }
  const notFound = await post(a, { model: 'gpt-4o', messages: userTurn('x') });
  assert.equal(notFound.json.error.code, 'model_not_found');
});

test('an image over maxImagePixels is a 400 image_too_large; the backend is not called', async () => {
  const backend = new MockBackend('tiny-vlm');
  const small = app(backend, { maxImagePixels: 3 });
  const res = await post(small, { messages: userTurn('x') });
  assert.equal(res.status, 400);
  assert.equal(res.json.error.code, 'image_too_large');
  assert.equal(res.json.error.param, 'messages[0].content[0].image_url.url');
  assert.match(res.json.error.message, /image is 2x2 \(0\.0 MP\), over the limit of 3 pixels/);
  assert.equal(backend.calls.generate.length, 0);
  assert.equal((await post(app(backend, { maxImagePixels: 4 }), { messages: userTurn('x') })).status, 200);
});

test('a backend failure is a 500 server_error naming the backend problem', async () => {
  const backend = new MockBackend('tiny-vlm', { text: () => { throw new Error('out of memory'); } });
  const res = await post(app(backend), { messages: userTurn('x') });
  assert.equal(res.status, 500);
  assert.equal(res.json.error.type, 'server_error');
  assert.match(res.json.error.message, /out of memory/);
});

test('concurrent requests through the micro-batcher answer exactly as unbatched ones', async () => {
  const bodies = [0, 1, 2, 3, 4].map((i) => ({ messages: userTurn(`Q${i}`), n: 2, seed: 10 * i }));
  const yesNo = (q: { question: string }) => ({ yes: q.question.length / 20, no: 0.3 });
  const plain = app(new MockBackend('tiny-vlm', { yesNo }));
  const batchedBackend = new MockBackend('tiny-vlm', { yesNo });
  const batched = app(batchedBackend, { maxBatch: 8, batchWindowMs: 20 });
  const ynBodies = ['Cube?', 'A red ball?', 'Two?'].map((q) => ({ messages: userTurn(`${q}${YES_NO_SUFFIX}`), max_tokens: 1, logprobs: true, top_logprobs: 2 }));
  const expected = [];
  for (const b of [...bodies, ...ynBodies]) expected.push((await post(plain, b)).json.choices);
  const got = await Promise.all([...bodies, ...ynBodies].map(async (b) => (await post(batched, b)).json.choices));
  assert.deepEqual(got, expected);
  assert.equal(batchedBackend.calls.generate.length, 1);
  assert.equal(batchedBackend.calls.yesNo.length, 1);
});

test('a body not declared application/json is a 415, so that a web page cannot post one without a CORS preflight', async () => {
  const backend = new MockBackend('tiny-vlm');
  const a = app(backend);
  const body = { messages: userTurn('Q') };
  for (const [headers, got] of [
    [{ 'content-type': 'text/plain;charset=UTF-8' }, 'text/plain'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 'application/x-www-form-urlencoded'],
    [{ 'content-type': 'multipart/form-data; boundary=x' }, 'multipart/form-data'],
    [{}, 'no Content-Type'],
  ] as const) {
    const res = await post(a, body, headers);
    assert.equal(res.status, 415, JSON.stringify(headers));
    assert.deepEqual(res.json.error, {
      message: `send the request body as JSON with Content-Type: application/json; got ${got}`, type: 'invalid_request_error', param: null, code: 'unsupported_media_type',
    });
  }
  assert.equal(backend.calls.generate.length, 0);
  assert.equal((await post(a, body, { 'content-type': 'Application/JSON; charset=utf-8' })).status, 200);
});

test('a prompt longer than the context is a 400 with vLLM\'s message and the lengths, before the backend is asked', async () => {
  const backend: ServableBackend = new MockBackend('tiny-vlm');
  backend.promptFit = (prompt) => ({ promptTokens: 9 + prompt.split(' ').length + 2, contextTokens: 121 });
  const a = app(backend);
  const long = Array.from({ length: 120 }, () => 'red').join(' ');
  for (const body of [{ messages: userTurn(long) }, { messages: userTurn(`${long}${YES_NO_SUFFIX}`), max_tokens: 1, logprobs: true }]) {
    const res = await post(a, body);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.error, {
      message: contextLengthMessage(121, 9 + long.split(' ').length + (body.logprobs ? 5 : 0) + 2), type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded',
    });
  }
  assert.deepEqual([(backend as MockBackend).calls.generate.length, (backend as MockBackend).calls.yesNo.length], [0, 0]);
  assert.equal((await post(a, { messages: userTurn(Array.from({ length: 109 }, () => 'red').join(' ')) })).status, 200, '9 + 111 tokens leave one');

  // A backend without promptFit that refuses the prompt itself gets the same answer.
  const refusing = new MockBackend('tiny-vlm');
  refusing.generate = async () => { throw new PromptTooLongError('tiny-vlm', [{ index: 0, promptTokens: 130, contextTokens: 121, message: contextLengthMessage(121, 130) }]); };
  for (const maxBatch of [1, 8]) {
    const res = await post(app(refusing, { maxBatch }), { messages: userTurn('Q') });
    assert.deepEqual([res.status, res.json.error.message, res.json.error.code], [400, contextLengthMessage(121, 130), 'context_length_exceeded'], `maxBatch ${maxBatch}`);
  }
});

test('the embedded model served: a prompt it cannot take is a 400, not a one-token answer', async () => {
  await initEngine();
  const tok = Tokenizer.fromTexts(['There is a red circle .', 'Describe the image .']);
  const model = createModel('tiny', tok, { dModel: 16, nLayers: 1, nHeads: 2, maxText: 40 }, 1);
  const a = app(model, { name: 'tiny-vlm' });
  const words = (k: number) => Array.from({ length: k }, () => 'red').join(' ');
  // The 2x2 test image is resized to 48 px: 9 visual tokens, and maxText 40 text positions.
  const res = await post(a, { messages: userTurn(words(38)), max_tokens: 10 });
  assert.deepEqual([res.status, res.json.error.message], [400, contextLengthMessage(49, 49)]);
  const fits = await post(a, { messages: userTurn(words(37)), max_tokens: 10 });
  assert.equal(fits.status, 200);
  assert.equal(fits.json.usage.completion_tokens <= 1, true, 'the longest prompt that fits leaves room for one token');
  model.dispose();
});
