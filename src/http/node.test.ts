import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { HttpApp } from './app.ts';
import { HttpError } from './errors.ts';
import { listen, requestLine, type RequestLogEntry } from './node.ts';
import { bodyText, bytes, json } from './responses.ts';
import { RlaifvError } from '../util/errors.ts';

function echoApp() {
  return new HttpApp({ maxBodyBytes: 1024 })
    .post('/echo', (c) => json({ text: bodyText(c.body) }))
    .get('/bytes', () => bytes(new Uint8Array([1, 2, 3]), 'application/octet-stream'))
    .get('/fail', () => { throw new HttpError(409, 'taken'); });
}

test('the adapter serves the app on a real socket: bodies, headers, content-length, the request log', async (t) => {
  const entries: RequestLogEntry[] = [];
  const s = await listen(echoApp(), { host: '127.0.0.1', port: 0, log: (e) => entries.push(e) });
  t.after(() => s.close());
  assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(s.url, `http://127.0.0.1:${s.port}`);

  const echo = await fetch(`${s.url}/echo`, { method: 'POST', body: 'héllo' });
  assert.deepEqual([echo.status, echo.headers.get('content-type'), await echo.json()], [200, 'application/json', { text: 'héllo' }]);
  const raw = await fetch(`${s.url}/bytes`);
  assert.deepEqual([raw.headers.get('content-length'), [...new Uint8Array(await raw.arrayBuffer())]], ['3', [1, 2, 3]]);
  const fail = await fetch(`${s.url}/fail?why=1`);
  assert.deepEqual([fail.status, await fail.json()], [409, { error: { message: 'taken' } }]);

  assert.deepEqual(entries.map((e) => [e.method, e.url, e.status, e.error]), [
    ['POST', '/echo', 200, undefined], ['GET', '/bytes', 200, undefined], ['GET', '/fail?why=1', 409, 'taken'],
  ]);
  assert.match(requestLine(entries[2]!), /^GET \/fail\?why=1 409 \d+ms taken$/);
  assert.match(requestLine(entries[0]!), /^POST \/echo 200 \d+ms$/);
});

test('a body past the limit is read to the end and answered with the app\'s 413, not a cut connection', async (t) => {
  const s = await listen(echoApp(), { host: '127.0.0.1', port: 0 });
  t.after(() => s.close());
  const big = await fetch(`${s.url}/echo`, { method: 'POST', body: 'x'.repeat(200_000) });
  assert.equal(big.status, 413);
  assert.deepEqual(await big.json(), { error: { message: 'request body of 200000 bytes exceeds the limit of 1024 bytes' } });
  const fine = await fetch(`${s.url}/echo`, { method: 'POST', body: 'y'.repeat(1024) });
  assert.equal(((await fine.json()) as { text: string }).text.length, 1024, 'exactly the limit is allowed');
});

test('listen checks its options, says which address is taken, and close() can be called twice', async () => {
  await assert.rejects(listen(echoApp(), { host: '127.0.0.1', port: 70000 }), /port must be a whole number from 0 to 65535.*got 70000/);
  await assert.rejects(listen(echoApp(), { host: '', port: 0 }), /host must be an interface name or address/);
  await assert.rejects(listen(echoApp(), { host: '127.0.0.1', port: 0, closing: 'later' as never }), /closing must be one of drain, drop/);
  const first = await listen(echoApp(), { host: '127.0.0.1', port: 0 });
  // A port in use is the user's to fix: a typed error, which the CLI prints as one line.
  await assert.rejects(listen(echoApp(), { host: '127.0.0.1', port: first.port }),
    (e: Error) => e instanceof RlaifvError && new RegExp(`cannot listen on 127\\.0\\.0\\.1:${first.port}: .*EADDRINUSE.*pick another --port`).test(e.message));
  await first.close();
  await first.close();
});

/** Start a request, close the server while its handler runs, then let the handler finish: what did the client get? */
async function closeDuringRequest(closing: 'drain' | 'drop'): Promise<string> {
  let arrived!: () => void;
  let release!: () => void;
  const inHandler = new Promise<void>((r) => { arrived = r; });
  const app = new HttpApp().get('/slow', async () => {
    arrived();
    await new Promise<void>((r) => { release = r; });
    return json('done');
  });
  const s = await listen(app, { host: '127.0.0.1', port: 0, closing });
  const answer = fetch(`${s.url}/slow`).then((r) => r.text(), () => 'cut');
  await inHandler;
  const closed = s.close();
  release();
  await closed;
  return answer;
}

test('closing: drain lets a request in flight finish; drop cuts it', async () => {
  assert.equal(await closeDuringRequest('drain'), '"done"');
  assert.equal(await closeDuringRequest('drop'), 'cut');
});

/** A raw connection that sends `data` and then nothing: what came back, and after how long the server closed it. */
function stall(port: number, data: string): Promise<{ reply: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(port, '127.0.0.1', () => { if (data) socket.write(data); });
    socket.on('data', (d) => { reply += d.toString(); });
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, ms: performance.now() - started }));
  });
}

test('a request whose body stalls is answered 408 within requestTimeoutMs and its connection closed; so is a silent connection', async (t) => {
  const entries: RequestLogEntry[] = [];
  const s = await listen(echoApp(), { host: '127.0.0.1', port: 0, requestTimeoutMs: 300, log: (e) => entries.push(e) });
  t.after(() => s.close());
  const body = await stall(s.port, `POST /echo HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"half":`);
  assert.match(body.reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  assert.match(body.reply, /\r\nconnection: close\r\n/i);
  assert.ok(body.reply.endsWith('{"error":{"message":"the request body did not arrive within 300 ms (8 bytes came)"}}'), body.reply);
  assert.ok(body.ms >= 250 && body.ms < 5_000, `closed after ${body.ms.toFixed(0)} ms`);
  assert.deepEqual(entries.map((e) => [e.method, e.status, e.error]), [['POST', 408, 'the request body did not arrive within 300 ms (8 bytes came)']]);

  const silent = await stall(s.port, '');
  assert.equal(silent.reply, '');
  assert.ok(silent.ms >= 250 && silent.ms < 5_000, `a connection that sends nothing is closed after ${silent.ms.toFixed(0)} ms`);
  const headers = await stall(s.port, 'POST /echo HTTP/1.1\r\nHost: x\r\n');
  // Headers that never end: node's own 408, or the idle connection's cut, whichever comes first.
  assert.match(headers.reply, /^(HTTP\/1\.1 408 [^]*)?$/);
  assert.ok(headers.ms >= 250 && headers.ms < 5_000, `headers that never end: closed after ${headers.ms.toFixed(0)} ms`);

  // A handler may take longer than the limit: only receiving the request is timed.
  const slow = await listen(new HttpApp().post('/slow', async () => { await new Promise((r) => setTimeout(r, 600)); return json('done'); }), { host: '127.0.0.1', port: 0, requestTimeoutMs: 200 });
  t.after(() => slow.close());
  const answer = await fetch(`${slow.url}/slow`, { method: 'POST', body: '{}' });
  assert.deepEqual([answer.status, await answer.json()], [200, 'done']);
});

test('maxConnections caps the open connections: one more is closed as it arrives', async (t) => {
  const s = await listen(echoApp(), { host: '127.0.0.1', port: 0, maxConnections: 2, requestTimeoutMs: 0 });
  t.after(() => s.close());
  const held = [connect(s.port, '127.0.0.1'), connect(s.port, '127.0.0.1')];
  t.after(() => held.forEach((c) => c.destroy()));
  await Promise.all(held.map((c) => new Promise((r) => c.once('connect', r))));
  await new Promise((r) => setTimeout(r, 50));
  const third = await stall(s.port, `GET /bytes HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`);
  assert.equal(third.reply, '', 'the third connection is closed unanswered');
  held.forEach((c) => c.destroy());
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await fetch(`${s.url}/bytes`)).status, 200, 'room again once the others close');
  await assert.rejects(listen(echoApp(), { host: '127.0.0.1', port: 0, maxConnections: 0 }), /maxConnections must be a whole number >= 1, got 0/);
  await assert.rejects(listen(echoApp(), { host: '127.0.0.1', port: 0, requestTimeoutMs: -1 }), /requestTimeoutMs must be a whole number of milliseconds/);
});
