import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { nodeFetch } from './node-fetch.ts';
import { ClientPool, type PoolDeps } from './pool.ts';
import { FakeServer, type Fault, type FakeServerOptions } from './testing/fake-server.ts';
import { fastSettings } from './testing/helpers.ts';
import { chat, listModels, tokenize } from './transport.ts';

const body = { model: 'fake-vlm', messages: [{ role: 'user', content: 'Say hi.' }], max_tokens: 4, seed: 3 };

/** Client 'direct' (node:http, past the SDK), the default SDK client, and the SDK with the built-in fetch. */
const TRANSPORTS: Array<[string, PoolDeps, Record<string, unknown>]> = [
  ['direct', {}, { client: 'direct' }],
  ['sdk', {}, {}],
  ['sdk+fetch', { fetch: (input, init) => globalThis.fetch(input, init) }, {}],
];

/** What a call gave: its value, or its error's class, message, status and the pool's retry reasons. */
async function outcome(pool: ClientPool, call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await call(), retryReasons: pool.stats().retryReasons };
  } catch (err) {
    const e = err as Error & { status?: unknown; attempts?: unknown };
    return { error: e.constructor.name, message: e.message.replace(/127\.0\.0\.1:\d+/g, 'HOST'), status: e.status, attempts: e.attempts, retryReasons: pool.stats().retryReasons };
  }
}

/** Run `call` against a fresh fake server with `faults`, once per transport; both must give the same outcome. */
async function sameOutcome(name: string, options: FakeServerOptions, faults: Fault[], call: (pool: ClientPool) => Promise<unknown>, extra: Record<string, unknown> = {}) {
  const seen: unknown[] = [];
  for (const [, deps, client] of TRANSPORTS) {
    const server = await FakeServer.start(options);
    try {
      server.inject(...faults);
      const pool = new ClientPool(fastSettings(server.url, { ...extra, ...client }), deps);
      seen.push(JSON.parse(JSON.stringify(await outcome(pool, () => call(pool))).replaceAll(server.url, 'URL').replaceAll(server.root, 'ROOT')));
      pool.close();
    } finally {
      await server.close();
    }
  }
  for (let i = 1; i < seen.length; i++) assert.deepEqual(seen[i], seen[0], `${name}: ${TRANSPORTS[i]![0]} differs from ${TRANSPORTS[0]![0]}`);
  return seen[0];
}

test('direct transport answers as the SDK does: values, error classes and messages, retries', async () => {
  const ok = await sameOutcome('chat', {}, [], (pool) => chat(pool, body)) as { value: { choices: unknown[] } };
  assert.equal(ok.value.choices.length, 1);
  await sameOutcome('models', {}, [], (pool) => listModels(pool, pool.endpoints[0]!));
  await sameOutcome('tokenize', { scoring: 'prompt_logprobs' }, [], (pool) => tokenize(pool, pool.endpoints[0]!, { model: 'fake-vlm', messages: [{ role: 'user', content: 'a b' }] }));
  await sameOutcome('404 route', { modelsRoute: false }, [], (pool) => listModels(pool, pool.endpoints[0]!));
  const bad = await sameOutcome('400', {}, [{ kind: 'status', status: 400, message: 'bad n' }], (pool) => chat(pool, body)) as { error: string; message: string };
  assert.equal(bad.error, 'ServerError');
  assert.match(bad.message, /bad n/);
  await sameOutcome('flat 422', { errorStyle: 'flat' }, [{ kind: 'status', status: 422, message: 'n must be 1' }], (pool) => chat(pool, body));
  await sameOutcome('429 then ok', {}, [{ kind: 'status', status: 429, headers: { 'retry-after-ms': '5' } }], (pool) => chat(pool, body));
  await sameOutcome('500s to the end', {}, [500, 502, 503, 504].map((status) => ({ kind: 'status', status }) as Fault), (pool) => chat(pool, body), { maxRetries: 3 });
  await sameOutcome('invalid JSON', {}, [{ kind: 'garbage' }], (pool) => chat(pool, body));
  await sameOutcome('text body', {}, [{ kind: 'garbage', body: '<html>oops</html>', contentType: 'text/html' }], (pool) => chat(pool, body));
  await sameOutcome('wrong shape', {}, [{ kind: 'garbage', body: '{"choices": "nope"}' }], (pool) => chat(pool, body));
  await sameOutcome('empty JSON', {}, [{ kind: 'garbage', body: '' }], (pool) => chat(pool, body));
  await sameOutcome('drop', {}, [{ kind: 'drop' }, { kind: 'drop' }], (pool) => chat(pool, body));
  await sameOutcome('time-out', {}, [{ kind: 'delay', ms: 400 }, { kind: 'delay', ms: 400 }], (pool) => chat(pool, body), { timeoutMs: 100, maxRetries: 1 });
});

test('direct transport: connection refused reads as with the built-in fetch', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const seen = [];
  for (const [, deps, client] of TRANSPORTS) {
    const pool = new ClientPool(fastSettings(`http://127.0.0.1:${port}/v1`, { maxRetries: 1, ...client }), deps);
    seen.push(await outcome(pool, () => chat(pool, body)));
  }
  for (const s of seen.slice(1)) assert.deepEqual(s, seen[0]);
  assert.match((seen[0] as { message: string }).message, /fetch failed: connect ECONNREFUSED/);
});

/** A raw server: `handler` answers, every request's method, URL, headers and body are kept. */
async function rawServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: text });
      handler(req, text, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { root, seen, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const COMPLETION = { choices: [{ index: 0, message: { content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 2, completion_tokens: 1 } };

test('direct transport sends the headers the SDK sends (auth, content type, user agent)', async () => {
  const server = await rawServer((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(COMPLETION)); });
  try {
    for (const [, deps, client] of TRANSPORTS) {
      const pool = new ClientPool(fastSettings(`${server.root}/v1`, { apiKey: 'sk-test', ...client }), deps);
      await chat(pool, body);
      await pool.request({ method: 'GET', path: '/models' }, (ep) => ep.http.get('/models'));
      pool.close();
    }
    const pick = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => /^(authorization|content-type|accept|user-agent|x-stainless-.*|openai-.*)$/.test(k)).sort());
    const [dPost, dGet, sPost, sGet, fPost, fGet] = server.seen;
    assert.equal(server.seen.length, 2 * TRANSPORTS.length);
    for (const [post, get] of [[sPost, sGet], [fPost, fGet]]) {
      assert.deepEqual(pick(dPost!.headers), pick(post!.headers));
      assert.deepEqual(pick(dGet!.headers), pick(get!.headers));
    }
    assert.equal(dPost!.headers.authorization, 'Bearer sk-test');
    assert.equal(dPost!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(dPost!.body), JSON.parse(sPost!.body));
    assert.equal(dPost!.url, '/v1/chat/completions');
    assert.equal(dGet!.method, 'GET');
  } finally {
    await server.close();
  }
});

test('node fetch: redirects (307 keeps the POST, 303 turns it into a GET), gzip bodies, statuses', async () => {
  const server = await rawServer((req, _body, res) => {
    if (req.url === '/a') { res.writeHead(307, { location: '/b' }); res.end(); return; }
    if (req.url === '/c') { res.writeHead(303, { location: '/b' }); res.end(); return; }
    if (req.url === '/gz') { res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }); res.end(gzipSync('{"zipped":true}')); return; }
    if (req.url === '/empty') { res.writeHead(204); res.end(); return; }
    res.writeHead(req.url === '/b' ? 200 : 418, { 'content-type': 'text/plain', 'x-thing': 'yes' });
    res.end(`${req.method} ${req.url}`);
  });
  try {
    const fetch = nodeFetch();
    const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
    const a = await fetch(`${server.root}/a`, post);
    assert.equal(await a.text(), 'POST /b');
    assert.equal(server.seen[1]!.body, 'payload');
    const c = await fetch(`${server.root}/c`, post);
    assert.equal(await c.text(), 'GET /b');
    assert.equal(server.seen[3]!.body, '');
    assert.equal(server.seen[3]!.headers['content-type'], undefined);
    const manual = await fetch(`${server.root}/a`, { ...post, redirect: 'manual' });
    assert.equal(manual.status, 307);
    const gz = await fetch(`${server.root}/gz`);
    assert.deepEqual(await gz.json(), { zipped: true });
    assert.equal(gz.headers.get('content-encoding'), null);
    const teapot = await fetch(`${server.root}/x`);
    assert.equal(teapot.status, 418);
    assert.equal(teapot.ok, false);
    assert.equal(teapot.headers.get('x-thing'), 'yes');
    assert.equal((await fetch(`${server.root}/empty`)).status, 204);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(fetch(`${server.root}/b`, { signal: aborted.signal }), (e: unknown) => (e as Error).name === 'AbortError');
  } finally {
    await server.close();
  }
});

test('node fetch: an idle keep-alive connection outliving its time-out is not reused; a long request is not cut', async () => {
  let connections = 0;
  const server = createServer((req, res) => {
    setTimeout(() => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(req.url); }, req.url === '/slow' ? 250 : 0);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const fetch = nodeFetch({ idleTimeoutMs: 100 });
    assert.equal(await (await fetch(`${root}/1`)).text(), '/1');
    assert.equal(await (await fetch(`${root}/2`)).text(), '/2');
    assert.equal(connections, 1, 'kept alive');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await (await fetch(`${root}/slow`)).text(), '/slow', 'a request longer than the idle time-out completes');
    assert.equal(connections, 2, 'the idle connection was closed after 100 ms');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
