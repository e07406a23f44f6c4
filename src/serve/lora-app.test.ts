/**
 * vLLM's runtime LoRA routes on the in-process app, with mock models as adapters: the registry,
 * vLLM's answers and errors, the checks on lora_path, batching per model and unloading under load.
 * (lora-server.test.ts loads real checkpoints over a socket.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { MockBackend } from '../backend/mock.ts';
import { ConfigError } from '../util/errors.ts';
import { createApp, type AppOptions } from './app.ts';
import { CHECKPOINT_FILES } from './lora-requests.ts';
import type { AdapterLoader } from './models.ts';
import { userTurn } from './test-helpers.ts';

const NOW = 1_700_000_000_000;
const JSON_TYPE = { 'content-type': 'application/json' };

/** A folder that passes the checkpoint-folder check (the mock loader reads nothing in it). */
function fakeCheckpoint(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of CHECKPOINT_FILES) writeFileSync(join(dir, f), '{}');
  return dir;
}

/** Adapters are mocks whose answers name them; `closed` records disposals. */
function mockLoader() {
  const closed: string[] = [];
  const backends = new Map<string, MockBackend>();
  const loader: AdapterLoader = async (dir, name) => {
    const backend = new MockBackend(name, { text: (r, seed) => `${name}: ${r.prompt} #${seed}`, yesNo: () => ({ yes: 0.8, no: 0.1 }) });
    backends.set(name, backend);
    return { backend, close: async () => { closed.push(`${name} ${dir}`); } };
  };
  return { loader, closed, backends };
}

function setup(t: { after(fn: () => void): void }, options: Partial<AppOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'rlaifv-lora-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { loader, closed, backends } = mockLoader();
  const base = new MockBackend('policy');
  const app = createApp({ backend: base, maxBatch: 1, now: () => NOW, allowLoraLoading: true, loadAdapter: loader, ...options });
  const call = async (url: string, body?: unknown, method = 'POST') => {
    const res = await app.handle({ method, url, headers: JSON_TYPE, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, type: res.headers['content-type'], text: res.body, json: () => JSON.parse(res.body) };
  };
  const load = (lora_name: string, lora_path: string, extra: object = {}) => call('/v1/load_lora_adapter', { lora_name, lora_path, ...extra });
  const unload = (lora_name: string) => call('/v1/unload_lora_adapter', { lora_name });
  const chat = (model: string | undefined, text = 'Describe.', extra: object = {}) =>
    call('/v1/chat/completions', { ...(model !== undefined && { model }), messages: userTurn(text), seed: 3, ...extra });
  const ids = async () => ((await call('/v1/models', undefined, 'GET')).json() as { data: Array<{ id: string }> }).data.map((m) => m.id);
  return { root, app, base, closed, backends, call, load, unload, chat, ids };
}

test('load -> chat by name answers from the adapter, the base stays the base; /v1/models lists it as vLLM; unload -> 404', async (t) => {
  const s = setup(t);
  const dir = fakeCheckpoint(join(s.root, 'round-1'));
  const loaded = await s.load('round-1', dir);
  assert.deepEqual([loaded.status, loaded.type, loaded.text], [200, 'text/plain; charset=utf-8', "Success: LoRA adapter 'round-1' added successfully."]);

  const byName = await s.chat('round-1');
  assert.equal(byName.status, 200);
  assert.deepEqual([byName.json().model, byName.json().choices[0].message.content], ['round-1', 'round-1: Describe. #3']);
  for (const model of ['policy', undefined]) {
    const base = (await s.chat(model)).json();
    assert.deepEqual([base.model, base.choices[0].message.content], ['policy', 'Describe. #3'], `model ${model}`);
  }
  // Every route: yes/no logprobs and response scoring go to the adapter too.
  const yn = (await s.chat('round-1', `Cube?${YES_NO_SUFFIX}`, { max_tokens: 1, logprobs: true, top_logprobs: 2 })).json();
  assert.deepEqual(yn.choices[0].logprobs.content[0].top_logprobs.map((e: { token: string; logprob: number }) => [e.token, e.logprob]), [['Yes', Math.log(0.8)], ['No', Math.log(0.1)]]);
  const scored = await s.call('/v1/chat/completions', {
    model: 'round-1', messages: [...userTurn('Colour?'), { role: 'assistant', content: 'Red' }], max_tokens: 1, prompt_logprobs: 0, add_generation_prompt: false, continue_final_message: true,
  });
  assert.equal(scored.status, 200);
  assert.deepEqual([s.backends.get('round-1')!.calls.yesNo.length, s.backends.get('round-1')!.calls.logProbs.length], [1, 1]);
  assert.deepEqual([s.base.calls.yesNo.length, s.base.calls.logProbs.length], [0, 0]);

  const list = (await s.call('/v1/models', undefined, 'GET')).json();
  assert.deepEqual(list, {
    object: 'list',
    data: [
      { id: 'policy', object: 'model', created: NOW / 1000, owned_by: 'rlaifv', root: 'policy', parent: null },
      { id: 'round-1', object: 'model', created: NOW / 1000, owned_by: 'rlaifv', root: dir, parent: 'policy' },
    ],
  });
  assert.equal((await s.call('/v1/models/round-1', undefined, 'GET')).json().parent, 'policy');

  const again = await s.load('round-1', dir);
  assert.equal(again.status, 400);
  assert.deepEqual(again.json(), {
    error: { message: "The lora adapter 'round-1' has already been loaded. If you want to load the adapter in place, set 'load_inplace' to True.", type: 'InvalidUserInput', param: null, code: 400 },
  });
  assert.match(again.text, /already (been )?loaded|already exists/i, 'what src/dpo/lora-loading.ts recognises');

  const unloaded = await s.unload('round-1');
  assert.deepEqual([unloaded.status, unloaded.text], [200, "Success: LoRA adapter 'round-1' removed successfully."]);
  assert.deepEqual(s.closed, [`round-1 ${dir}`]);
  const gone = await s.chat('round-1');
  assert.deepEqual([gone.status, gone.json().error.code, gone.json().error.param], [404, 'model_not_found', 'model']);
  assert.equal((await s.call('/v1/models/round-1', undefined, 'GET')).status, 404);
  assert.deepEqual(await s.ids(), ['policy']);
  const twice = await s.unload('round-1');
  assert.deepEqual([twice.status, twice.json()], [404, { error: { message: "The lora adapter 'round-1' cannot be found.", type: 'NotFoundError', param: null, code: 404 } }]);
});

test('load_inplace replaces an adapter and disposes the old one; the base name cannot be taken', async (t) => {
  const s = setup(t);
  const one = fakeCheckpoint(join(s.root, 'a'));
  const two = fakeCheckpoint(join(s.root, 'b'));
  assert.equal((await s.load('r', one)).status, 200);
  assert.equal((await s.load('other', one)).status, 200);
  assert.equal((await s.load('r', two, { load_inplace: true })).status, 200);
  assert.deepEqual(s.closed, [`r ${one}`]);
  const cards = (await s.call('/v1/models', undefined, 'GET')).json().data as Array<{ id: string; root: string }>;
  assert.deepEqual(cards.map((c) => [c.id, c.root]), [['policy', 'policy'], ['r', two], ['other', one]], 'a replaced adapter keeps its place');
  const base = await s.load('policy', one);
  assert.deepEqual([base.status, base.json().error.message], [400, "'policy' is the base model's name; choose another lora_name"]);
});

test('at most maxLoras adapters at once; replacing one in place or unloading makes room', async (t) => {
  const s = setup(t, { maxLoras: 2 });
  const dir = fakeCheckpoint(join(s.root, 'a'));
  for (const name of ['a', 'b']) assert.equal((await s.load(name, dir)).status, 200);
  const full = await s.load('c', dir);
  assert.deepEqual([full.status, full.json().error.message], [400, '2 adapters are loaded, the most this server holds (setting maxLoras); unload one first (POST /v1/unload_lora_adapter)']);
  assert.equal((await s.load('b', dir, { load_inplace: true })).status, 200);
  assert.equal((await s.unload('a')).status, 200);
  assert.equal((await s.load('c', dir)).status, 200);
  assert.deepEqual(await s.ids(), ['policy', 'b', 'c']);
});

test('bad bodies, names and paths are 400s naming the problem, and nothing is loaded', async (t) => {
  const s = setup(t);
  const ok = fakeCheckpoint(join(s.root, 'ok'));
  const partial = join(s.root, 'partial');
  mkdirSync(partial);
  writeFileSync(join(partial, 'config.json'), '{}');
  const cases: Array<[unknown, RegExp]> = [
    [{ lora_name: 'x' }, /^Both 'lora_name' and 'lora_path' must be provided\.$/],
    [{ lora_path: ok }, /^Both 'lora_name' and 'lora_path' must be provided\.$/],
    [{ lora_name: 3, lora_path: ok }, /'lora_name' must be a string, got number/],
    [{ lora_name: 'x', lora_path: ok, lora_int_id: 2, extra: 1 }, /unknown field 'lora_int_id', 'extra'; this route takes lora_name, lora_path, load_inplace/],
    [{ lora_name: 'a b', lora_path: ok }, /may hold only letters, digits and \. _ : \/ -/],
    [{ lora_name: '../x', lora_path: ok }, /may hold only letters/],
    [{ lora_name: 'x'.repeat(129), lora_path: ok }, /129 characters long; at most 128/],
    [{ lora_name: 'x', lora_path: join(s.root, 'nope') }, /nope: No adapter found \(no such folder\)/],
    [{ lora_name: 'x', lora_path: join(ok, 'config.json') }, /config\.json is a file; give the checkpoint folder/],
    [{ lora_name: 'x', lora_path: partial }, /partial is not a checkpoint folder: model\.safetensors, vocab\.json missing/],
    [{ lora_name: 'x', lora_path: ok, load_inplace: 'yes' }, /'load_inplace' must be true or false/],
    [[1], /must be a JSON object, got an array/],
  ];
  for (const [body, message] of cases) {
    const res = await s.call('/v1/load_lora_adapter', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.json().error.type, 'InvalidUserInput');
    assert.match(res.json().error.message, message);
  }
  const plain = await s.app.handle({ method: 'POST', url: '/v1/load_lora_adapter', headers: { 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(plain.status, 415);
  assert.match((await s.call('/v1/unload_lora_adapter', {})).json().error.message, /'lora_name' needs to be provided/);
  assert.deepEqual(await s.ids(), ['policy']);
  assert.deepEqual(s.closed, []);
});

test('a load that fails leaves the server as it was, an adapter being replaced included', async (t) => {
  let fail = false;
  const closed: string[] = [];
  const loader: AdapterLoader = async (dir, name) => {
    if (fail) throw new Error(`${dir}/config.json: field 'model.dModel': expected a number`);
    return { backend: new MockBackend(name, { text: () => `${name} answers` }), close: async () => { closed.push(name); } };
  };
  const s = setup(t, { loadAdapter: loader });
  const dir = fakeCheckpoint(join(s.root, 'r'));
  assert.equal((await s.load('r', dir)).status, 200);
  fail = true;
  for (const [name, extra] of [['new', {}], ['r', { load_inplace: true }]] as const) {
    const res = await s.load(name, dir, extra);
    assert.equal(res.status, 400);
    assert.deepEqual([res.json().error.type, res.json().error.code], ['BadRequestError', 400]);
    assert.match(res.json().error.message, new RegExp(`^Loading lora ${name} failed: .*config\\.json: field 'model\\.dModel'`));
  }
  assert.deepEqual(await s.ids(), ['policy', 'r']);
  assert.equal((await s.chat('r')).json().choices[0].message.content, 'r answers');
  assert.deepEqual(closed, []);
});

test('--lora-root: a path outside it, or a symlink leading out of it, is a 400 naming the root; inside loads', async (t) => {
  const outside = mkdtempSync(join(tmpdir(), 'rlaifv-outside-'));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  const elsewhere = fakeCheckpoint(join(outside, 'ckpt'));
  const root = mkdtempSync(join(tmpdir(), 'rlaifv-root-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const s = setup(t, { loraRoot: root });
  symlinkSync(elsewhere, join(root, 'link'));
  const inner = fakeCheckpoint(join(root, 'inner'));
  symlinkSync(join(outside, 'ckpt', 'model.safetensors'), join(inner, 'weights-link'));
  const sneaky = join(root, 'sneaky');
  mkdirSync(sneaky);
  for (const f of CHECKPOINT_FILES) symlinkSync(join(elsewhere, f), join(sneaky, f));
  for (const path of [elsewhere, join(root, '..', 'x'), join(root, 'link'), sneaky, join(outside, 'missing')]) {
    const res = await s.load('x', path);
    assert.equal(res.status, 400, path);
    assert.equal(res.json().error.message, `'lora_path' ${path} is outside the adapter root ${root}; write adapters under it (setting loraRoot)`);
  }
  assert.deepEqual(await s.ids(), ['policy']);
  assert.equal((await s.load('inner', inner)).status, 200, 'a folder inside the root (its extra links are not read)');
  assert.deepEqual(await s.ids(), ['policy', 'inner']);
});

test('off by default: the routes are missing (404, as vLLM without VLLM_ALLOW_RUNTIME_LORA_UPDATING), with how to turn them on', async () => {
  const app = createApp({ backend: new MockBackend('policy'), maxBatch: 1 });
  for (const url of ['/v1/load_lora_adapter', '/v1/unload_lora_adapter']) {
    const res = await app.handle({ method: 'POST', url, headers: JSON_TYPE, body: '{"lora_name":"x","lora_path":"/tmp"}' });
    assert.equal(res.status, 404);
    assert.match(JSON.parse(res.body).error.message, /^no route POST \/v1\/(un)?load_lora_adapter; .* start rlaifv serve with --allow-lora-loading \(or VLLM_ALLOW_RUNTIME_LORA_UPDATING=True\)$/);
  }
  const models = JSON.parse((await app.handle({ method: 'GET', url: '/missing' })).body).error.message;
  assert.doesNotMatch(models, /load_lora_adapter|allow-lora-loading/);
});

test('adapter loading beyond loopback needs a root: refused when the app is made, with the fix', () => {
  const backend = new MockBackend('policy');
  for (const host of ['0.0.0.0', '192.168.1.5', '::']) {
    assert.throws(() => createApp({ backend, host, allowLoraLoading: true }), (e: unknown) => e instanceof ConfigError
      && e.message === `serve: adapter loading (--allow-lora-loading or VLLM_ALLOW_RUNTIME_LORA_UPDATING) on host ${host} would let any client that reaches it make the server read any folder; give --lora-root DIR (the folder the adapters are written to), or bind --host 127.0.0.1`);
  }
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) assert.doesNotThrow(() => createApp({ backend, host, allowLoraLoading: true }), host);
  assert.doesNotThrow(() => createApp({ backend, host: '0.0.0.0', allowLoraLoading: false }));
  assert.doesNotThrow(() => createApp({ backend, host: '0.0.0.0', allowLoraLoading: true, loraRoot: tmpdir() }));
  assert.throws(() => createApp({ backend, allowLoraLoading: true, loraRoot: '/no/such/root' }), /--lora-root \/no\/such\/root: no such folder/);
});

test('unloading an adapter with requests in flight: they finish on it, new ones get 404, its tensors go after the last', async (t) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  const closed: string[] = [];
  const loader: AdapterLoader = async (_dir, name) => {
    const backend = new MockBackend(name, { text: (r, seed) => `${name}: ${r.prompt} #${seed}` });
    const generate = backend.generate.bind(backend);
    backend.generate = async (batch, options) => {
      started();
      await held;
      return generate(batch, options);
    };
    return { backend, close: async () => { closed.push(name); } };
  };
  const s = setup(t, { loadAdapter: loader });
  const dir = fakeCheckpoint(join(s.root, 'r'));
  assert.equal((await s.load('r', dir)).status, 200);
  const inFlight = s.chat('r', 'Slow');
  await running;
  const unloaded = await s.unload('r');
  assert.equal(unloaded.status, 200, 'unloading does not wait for the request');
  assert.equal((await s.chat('r')).status, 404);
  assert.deepEqual(closed, [], 'not disposed while a request uses it');
  // Loaded again under the same name meanwhile: a new adapter, the old one still answering its request.
  assert.equal((await s.load('r', dir)).status, 200);
  release();
  const answer = await inFlight;
  assert.deepEqual([answer.status, answer.json().choices[0].message.content], [200, 'r: Slow #3']);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, ['r']);
  await s.app.close();
  assert.deepEqual(closed, ['r', 'r'], 'closing the app disposes the adapters still loaded');
});

test('concurrent requests to different models are batched per model, never merged across them', async (t) => {
  const s = setup(t, { maxBatch: 8, batchWindowMs: 20 });
  for (const name of ['a', 'b']) assert.equal((await s.load(name, fakeCheckpoint(join(s.root, name)))).status, 200);
  const models = ['a', 'b', undefined, 'a', 'b', 'policy'];
  const got = await Promise.all(models.map(async (m, i) => (await s.chat(m, `Q${i}`)).json().choices[0].message.content as string));
  assert.deepEqual(got, ['a: Q0 #3', 'b: Q1 #3', 'Q2 #3', 'a: Q3 #3', 'b: Q4 #3', 'Q5 #3']);
  // Within a batch, requests come in the order their images finished decoding.
  const prompts = (b: MockBackend) => b.calls.generate.map((c) => c.batch.map((r) => r.prompt).sort());
  assert.deepEqual(prompts(s.backends.get('a')!), [['Q0', 'Q3']]);
  assert.deepEqual(prompts(s.backends.get('b')!), [['Q1', 'Q4']]);
  assert.deepEqual(prompts(s.base), [['Q2', 'Q5']]);
});
