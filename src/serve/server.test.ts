import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import OpenAI from 'openai';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { MockBackend } from '../backend/mock.ts';
import { createModel, Tokenizer } from '../model/index.ts';
import { initEngine } from '../tensor/tf.ts';
import { startServer, type RunningServer } from './server.ts';
import { scoringBody, userTurn } from './test-helpers.ts';

const lp = { sum: -1.5, tokenLogProbs: [-0.25, -1.25], tokens: ['Red', '</s>'] };
const backend = new MockBackend('tiny-vlm', { yesNo: () => ({ yes: 0.9, no: 0.05 }), logProbs: () => lp });
const lines: string[] = [];
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ backend, port: 0, maxBodyBytes: 64 * 1024, batchWindowMs: 25, log: (l) => lines.push(l) });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
after(() => server.close());

type Messages = OpenAI.Chat.ChatCompletionMessageParam[];

test('binds 127.0.0.1 by default and logs one line per request', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${server.url}/health`);
  assert.equal(res.status, 200);
  assert.ok(lines.some((l) => /^GET \/health 200 \d+ms$/.test(l)), lines.join('\n'));
});

test('the official client lists the model', async () => {
  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => [m.id, m.owned_by]), [['tiny-vlm', 'rlaifv']]);
});

test('the official client samples n candidates with seeds seed..seed+n-1, repeatably', async () => {
  const ask = () => client.chat.completions.create({ model: 'tiny-vlm', messages: userTurn('Describe.') as Messages, n: 3, seed: 7, max_tokens: 30 });
  const first = await ask();
  assert.deepEqual(first.choices.map((c) => c.message.content), ['Describe. #7', 'Describe. #8', 'Describe. #9']);
  const call = backend.calls.generate.at(-1)!;
  assert.equal(call.batch[0]!.seed, 7);
  assert.deepEqual(call.options, { n: 3, seed: 7, temperature: 0.7, topP: 1, maxTokens: 30 });
  assert.deepEqual((await ask()).choices, first.choices);
});

test('the official client reads yes/no top_logprobs', async () => {
  const res = await client.chat.completions.create({
    model: 'tiny-vlm', messages: userTurn(`Is it red?${YES_NO_SUFFIX}`) as Messages, max_tokens: 1, logprobs: true, top_logprobs: 20,
  });
  const top = res.choices[0]!.logprobs!.content![0]!.top_logprobs;
  assert.equal(res.choices[0]!.message.content, 'Yes');
  assert.deepEqual(top.map((t) => [t.token, t.logprob]), [['Yes', Math.log(0.9)], ['No', Math.log(0.05)]]);
});

test('the official client scores a response with vLLM extras in the body', async () => {
  const res = await client.chat.completions.create(scoringBody('Colour?', 'Red', 'tiny-vlm') as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
  const extra = res as unknown as { response_logprobs: unknown; prompt_logprobs: unknown[] };
  assert.deepEqual(extra.response_logprobs, { tokens: lp.tokens, token_logprobs: lp.tokenLogProbs, sum: lp.sum });
  assert.equal(extra.prompt_logprobs.length, 3);
  assert.equal(extra.prompt_logprobs[0], null);
  const call = backend.calls.logProbs.at(-1)!;
  assert.deepEqual([call.length, call[0]!.prompt, call[0]!.response], [1, 'Colour?', 'Red']);
});

test('the official client raises typed errors with the server message', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o', messages: userTurn('x') as Messages }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found' && /this server serves 'tiny-vlm'/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'tiny-vlm', messages: [{ role: 'user', content: 'no image' }] }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === 'messages[0].content' && /no image/.test(e.message),
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'tiny-vlm', messages: userTurn('x') as Messages, stream: true }).then(async (s) => { for await (const _ of s); }),
    (e: unknown) => e instanceof OpenAI.BadRequestError && /streaming is not supported/.test(e.message),
  );
});

test('plain fetch (as curl): malformed JSON is 400, two images 400, an oversized body 413', async () => {
  const postRaw = (body: string) => fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const bad = await postRaw('{"model": "tiny-vlm", "messages": [');
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /not valid JSON/);
  const [img] = userTurn('x')[0]!.content;
  const two = await postRaw(JSON.stringify({ messages: [{ role: 'user', content: [img, img, { type: 'text', text: 'x' }] }] }));
  assert.equal(two.status, 400);
  assert.match(((await two.json()) as { error: { message: string } }).error.message, /2 images; exactly one image/);
  const big = await postRaw(JSON.stringify({ messages: userTurn('x'.repeat(100 * 1024)) }));
  assert.equal(big.status, 413);
  const err = ((await big.json()) as { error: { message: string; code: string } }).error;
  assert.equal(err.code, 'request_too_large');
  assert.match(err.message, /exceeds the limit of 65536 bytes \(setting maxBodyBytes\)/);
  const ok = await postRaw(JSON.stringify({ model: 'tiny-vlm', messages: userTurn('Hi'), seed: 3 }));
  assert.equal(((await ok.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content, 'Hi #3');
});

test('concurrent socket requests are micro-batched into one backend call with unbatched answers', async () => {
  const before = backend.calls.generate.length;
  const got = await Promise.all([1, 2, 3, 4].map((seed) =>
    client.chat.completions.create({ model: 'tiny-vlm', messages: userTurn(`P${seed}`) as Messages, n: 2, seed })));
  assert.deepEqual(got.map((r) => r.choices.map((c) => c.message.content)), [1, 2, 3, 4].map((s) => [`P${s} #${s}`, `P${s} #${s + 1}`]));
  assert.ok(backend.calls.generate.length - before < 4, `expected merged calls, got ${backend.calls.generate.length - before}`);
});

test('settings are checked when the server starts', async () => {
  await assert.rejects(startServer({ backend, port: -1 }), /serve settings: field 'port'/);
  await assert.rejects(startServer({ backend, port: 0, maxBach: 4 } as never), /serve settings: field 'maxBach'/);
});

test('a request whose body never comes is answered 408 after requestTimeoutMs and its connection closed; text/plain is a 415', async (t) => {
  const lines: string[] = [];
  const s = await startServer({ backend, port: 0, requestTimeoutMs: 300, maxConnections: 4, log: (l) => lines.push(l) });
  t.after(() => s.close());
  const started = performance.now();
  const reply = await new Promise<string>((resolve, reject) => {
    let got = '';
    const socket = connect(s.port, '127.0.0.1', () => socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"messages":`,
    ));
    socket.on('data', (d) => { got += d.toString(); });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
  const ms = performance.now() - started;
  assert.ok(ms >= 250 && ms < 5_000, `closed after ${ms.toFixed(0)} ms`);
  assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  const body = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { error: { message: string; type: string; code: string } };
  assert.deepEqual(body.error, { message: 'the request body did not arrive within 300 ms (12 bytes came)', type: 'invalid_request_error', param: null, code: 'request_timeout' });
  assert.ok(lines.some((l) => /^POST \/v1\/chat\/completions 408 \d+ms the request body did not arrive/.test(l)), lines.join('\n'));

  const plain = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ messages: userTurn('x') }) });
  assert.equal(plain.status, 415);
  assert.equal(((await plain.json()) as { error: { code: string } }).error.code, 'unsupported_media_type');
  await assert.rejects(startServer({ backend, port: 0, maxConnections: 0 }), /serve settings: field 'maxConnections'/);
});

test('/health is answered while a long generation of the embedded model runs', async (t) => {
  await initEngine();
  const tok = Tokenizer.fromTexts(['There is a red circle .', 'Describe the image .']);
  const model = createModel('tiny', tok, { dModel: 16, nLayers: 1, nHeads: 2, maxText: 60 }, 1);
  t.after(() => model.dispose());
  let started!: () => void;
  const generating = new Promise<void>((resolve) => { started = resolve; });
  const generate = model.generate.bind(model);
  model.generate = (batch, options) => {
    started();
    return generate(batch, options);
  };
  const s = await startServer({ backend: model, name: 'tiny', port: 0, log: () => {} });
  t.after(() => s.close());
  const order: string[] = [];
  const long = fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: userTurn('Describe the image .'), n: 64, max_tokens: 50, temperature: 2 }),
  }).then(async (r) => { order.push(`generation ${r.status}`); await r.arrayBuffer(); });
  await Promise.race([generating, long]);
  assert.equal(order.length, 0, 'the generation has started and not ended');
  const health = fetch(`${s.url}/health`).then((r) => { order.push(`health ${r.status}`); });
  await Promise.all([long, health]);
  assert.deepEqual(order, ['health 200', 'generation 200']);
});
