import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAICompatibleBackend } from './backend.ts';
import { ResponseFormatError, ServerError } from './errors.ts';
import { ClientPool } from './pool.ts';
import { FakeServer } from './testing/fake-server.ts';
import { fastSettings, TINY_IMAGE } from './testing/helpers.ts';
import { chat } from './transport.ts';

const body = { model: 'fake-vlm', messages: [{ role: 'user', content: 'Say hi.' }], max_tokens: 4, seed: 3 };

async function withServer(options: Parameters<typeof FakeServer.start>[0], fn: (s: FakeServer) => Promise<void>): Promise<void> {
  const server = await FakeServer.start(options);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

test('500 then success: retried, counted', () => withServer({}, async (server) => {
  server.inject({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
  const pool = new ClientPool(fastSettings(server.url));
  const res = await chat(pool, body);
  assert.equal(res.choices.length, 1);
  assert.equal(server.chatRequests().length, 3);
  const s = pool.stats();
  assert.equal(s.requests, 1);
  assert.equal(s.attempts, 3);
  assert.equal(s.retries, 2);
  assert.equal(s.failures, 0);
  assert.deepEqual(s.retryReasons, { 'HTTP 500': 1, 'HTTP 503': 1 });
  assert.ok(s.completionTokens > 0 && s.promptTokens > 0);
}));

test('429 with Retry-After: the wait is honoured even though back-off is tiny', () => withServer({}, async (server) => {
  server.inject({ kind: 'status', status: 429, message: 'slow down', headers: { 'retry-after': '1' } });
  const pool = new ClientPool(fastSettings(server.url));
  const t0 = performance.now();
  await chat(pool, body);
  const waited = performance.now() - t0;
  assert.ok(waited >= 950, `waited ${waited.toFixed(0)} ms, Retry-After asked for 1000`);
  assert.ok(waited < 3000, `waited ${waited.toFixed(0)} ms`);
  assert.equal(server.chatRequests().length, 2);
}));

test('Retry-After is capped by retryAfterMaxMs', () => withServer({}, async (server) => {
  server.inject({ kind: 'status', status: 503, headers: { 'retry-after': '3600' } });
  const pool = new ClientPool(fastSettings(server.url, { retryAfterMaxMs: 20 }));
  const t0 = performance.now();
  await chat(pool, body);
  assert.ok(performance.now() - t0 < 1000);
}));

test('a time-out is retried', () => withServer({}, async (server) => {
  server.inject({ kind: 'delay', ms: 800 });
  const pool = new ClientPool(fastSettings(server.url, { timeoutMs: 150 }));
  const res = await chat(pool, body);
  assert.equal(res.choices.length, 1);
  assert.equal(server.chatRequests().length, 2);
  assert.deepEqual(pool.stats().retryReasons, { timeout: 1 });
}));

test('a dropped connection is retried', () => withServer({}, async (server) => {
  server.inject({ kind: 'drop' }, { kind: 'drop' });
  const pool = new ClientPool(fastSettings(server.url));
  const res = await chat(pool, body);
  assert.equal(res.choices.length, 1);
  assert.equal(server.chatRequests().length, 3);
  assert.equal(pool.stats().retryReasons.connection, 2);
}));

test('400 is not retried and the server\'s message is surfaced (OpenAI and SGLang body shapes)', async () => {
  for (const errorStyle of ['openai', 'flat'] as const) {
    await withServer({ errorStyle }, async (server) => {
      server.inject({ kind: 'status', status: 400, message: 'max_tokens must be at least 1, got 0' });
      const pool = new ClientPool(fastSettings(server.url));
      await assert.rejects(chat(pool, body), (e: unknown) => {
        assert.ok(e instanceof ServerError, String(e));
        assert.equal(e.status, 400);
        assert.equal(e.retryable, false);
        assert.equal(e.attempts, 1);
        assert.match(e.message, /max_tokens must be at least 1, got 0/);
        assert.match(e.message, new RegExp(`POST ${server.url}/chat/completions`));
        return true;
      });
      assert.equal(server.chatRequests().length, 1, errorStyle);
      assert.equal(pool.stats().failures, 1);
    });
  }
});

test('retries give up after maxRetries with a ServerError that says so', () => withServer({}, async (server) => {
  server.inject(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502, message: 'bad gateway' })));
  const pool = new ClientPool(fastSettings(server.url, { maxRetries: 2 }));
  await assert.rejects(chat(pool, body), (e: unknown) =>
    e instanceof ServerError && e.status === 502 && e.retryable && e.attempts === 3 && /gave up after 3 attempts/.test(e.message));
}));

test('garbage bodies become ResponseFormatError, not retried', () => withServer({}, async (server) => {
  server.inject({ kind: 'garbage' }, { kind: 'garbage', body: '<html>oops</html>', contentType: 'text/html' }, { kind: 'garbage', body: '{"choices": "nope"}' });
  const pool = new ClientPool(fastSettings(server.url));
  await assert.rejects(chat(pool, body), (e: unknown) => e instanceof ResponseFormatError && /not valid JSON/.test(e.message));
  await assert.rejects(chat(pool, body), (e: unknown) => e instanceof ResponseFormatError && /got text/.test(e.message) && /oops/.test(e.message));
  await assert.rejects(chat(pool, body), (e: unknown) => e instanceof ResponseFormatError && /choices/.test(e.message));
  assert.equal(server.chatRequests().length, 3);
}));

test('connection refused: retried, then a ServerError naming ECONNREFUSED', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const pool = new ClientPool(fastSettings(`http://127.0.0.1:${port}/v1`, { maxRetries: 2 }));
  await assert.rejects(chat(pool, body), (e: unknown) =>
    e instanceof ServerError && e.status === undefined && e.attempts === 3 && /ECONNREFUSED/.test(e.message));
  assert.equal(pool.stats().retries, 2);
});

test('load is spread over two base URLs and the in-flight bound holds', async () => {
  const a = await FakeServer.start({ latencyMs: 40 });
  const b = await FakeServer.start({ latencyMs: 40 });
  try {
    const backend = new OpenAICompatibleBackend(fastSettings([a.url, b.url], { maxInFlightPerUrl: 2 }));
    const batch = Array.from({ length: 12 }, (_, i) => ({ image: TINY_IMAGE, prompt: `Describe ${i}.` }));
    const out = await backend.generate(batch, { n: 1, seed: 0, temperature: 0.7, topP: 1, maxTokens: 16 });
    assert.equal(out.length, 12);
    for (const server of [a, b]) {
      const st = server.stats();
      assert.ok(st.maxInService <= 2, `server saw ${st.maxInService} at once, bound is 2`);
      assert.ok(server.chatRequests().length >= 4, `only ${server.chatRequests().length} of 12 requests went to ${server.url}`);
    }
    assert.equal(a.chatRequests().length + b.chatRequests().length, 12);
    const perUrl = backend.stats().perUrl;
    assert.deepEqual(perUrl.map((u) => u.maxInFlight), [2, 2]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a retry after a failure prefers the other replica, even a busier one', async () => {
  const a = await FakeServer.start();
  const b = await FakeServer.start({ latencyMs: 150 });
  try {
    a.inject({ kind: 'status', status: 503 });
    const pool = new ClientPool(fastSettings([a.url, b.url]));
    const busy = chat(pool, body, { endpoint: pool.endpoints[1]! }); // keeps b loaded
    await chat(pool, body); // least-loaded -> a, which fails; the retry avoids a
    await busy;
    assert.equal(a.chatRequests().length, 1);
    assert.equal(b.chatRequests().length, 2);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a server that asked for a pause (Retry-After) gets no new requests while others are free', async () => {
  const a = await FakeServer.start();
  const b = await FakeServer.start({ latencyMs: 100 });
  try {
    a.inject({ kind: 'status', status: 429, headers: { 'retry-after-ms': '300' } });
    const pool = new ClientPool(fastSettings([a.url, b.url]));
    const first = chat(pool, body); // -> a, 429: a cools for 300 ms
    await new Promise((r) => setTimeout(r, 60));
    await Promise.all([chat(pool, body), chat(pool, body), first]);
    assert.equal(a.chatRequests().length, 1, 'a is cooling: the two new requests and the retry go to b');
    assert.equal(b.chatRequests().length, 3);
  } finally {
    await a.close();
    await b.close();
  }
});
