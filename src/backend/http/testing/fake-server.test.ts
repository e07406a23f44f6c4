import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeServer } from './fake-server.ts';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('fixed slots and latency: requests queue, and utilisation is measured', async () => {
  const server = await FakeServer.start({ slots: 2, latencyMs: 50 });
  try {
    const body = { model: 'fake-vlm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 };
    const t0 = performance.now();
    const res = await Promise.all(Array.from({ length: 6 }, () => post(`${server.url}/chat/completions`, body)));
    const wall = performance.now() - t0;
    assert.ok(res.every((r) => r.status === 200));
    const s = server.stats();
    assert.equal(s.served, 6);
    assert.equal(s.maxInService, 2);
    assert.ok(s.maxQueued >= 3, `maxQueued ${s.maxQueued}`);
    assert.ok(wall >= 145, `6 requests x 50 ms over 2 slots took ${wall.toFixed(0)} ms`);
    assert.ok(s.busyMs >= 145 && s.busyMs <= wall + 5, `busy ${s.busyMs.toFixed(0)} ms`);
    assert.ok(s.meanInService > 1.5 && s.meanInService <= 2, `mean in service ${s.meanInService}`);
    assert.ok(s.utilisation! > 0.75 && s.utilisation! <= 1, `utilisation ${s.utilisation}`);
  } finally {
    await server.close();
  }
});

test('faults are consumed in order and only by their path', async () => {
  const server = await FakeServer.start();
  try {
    server.inject({ kind: 'status', status: 418, message: 'teapot' }, { kind: 'status', status: 500, path: '/v1/models' });
    const models = await fetch(`${server.url}/models`);
    assert.equal(models.status, 500);
    const chat = await post(`${server.url}/chat/completions`, { model: 'fake-vlm', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(chat.status, 418);
    assert.deepEqual(((await chat.json()) as { error: { message: string } }).error.message, 'teapot');
    const ok = await post(`${server.url}/chat/completions`, { model: 'fake-vlm', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(ok.status, 200);
    assert.deepEqual(server.requests.map((r) => r.fault ?? '-'), ['status', 'status', '-']);
  } finally {
    await server.close();
  }
});
