import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpApp } from './app.ts';
import { isLoopback, jsonBody, namesServer, ownHost, publicHosts, sameOrigin, splitHost } from './guards.ts';
import { json, mediaType } from './responses.ts';

test('namesServer: the bound host and port, loopback names for a loopback server, any IP for one bound everywhere; never another DNS name', () => {
  const cases: Array<[string, string, boolean]> = [
    // [Host header, bound host, answered]
    ['127.0.0.1:8090', '127.0.0.1', true],
    ['localhost:8090', '127.0.0.1', true],
    ['LocalHost:8090', '127.0.0.1', true],
    ['[::1]:8090', '127.0.0.1', true],
    ['127.0.0.1:8091', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['evil.example:8090', '127.0.0.1', false],
    ['localhost.evil.example:8090', '127.0.0.1', false],
    ['192.168.1.5:8090', '127.0.0.1', false],
    ['192.168.1.5:8090', '0.0.0.0', true],
    ['[fe80::1]:8090', '::', true],
    ['localhost:8090', '0.0.0.0', true],
    ['mybox.lan:8090', '0.0.0.0', false],
    ['mybox.lan:8090', 'mybox.lan', true],
    ['localhost:8090', '192.168.1.5', false],
    ['[::1]:8090', '::1', true],
    ['a b:8090', '127.0.0.1', false],
    ['127.0.0.1:99999', '127.0.0.1', false],
  ];
  for (const [host, bound, ok] of cases) assert.equal(namesServer(host, { host: bound, port: 8090 }), ok, `Host ${host} on ${bound}`);
  assert.deepEqual(splitHost('[::1]:8090'), { name: '::1', port: 8090 });
  assert.deepEqual(splitHost('example.org'), { name: 'example.org', port: 80 });
  assert.equal(splitHost('x/y'), undefined);
});

test('the guards refuse with 421, 403 and 415, and let safe methods through without Origin or Content-Type', async () => {
  let bound: { host: string; port: number } | undefined;
  const app = new HttpApp().use(ownHost(() => bound)).use(sameOrigin()).use(jsonBody())
    .get('/x', () => json('read')).post('/x', () => json('written'));
  const status = async (method: string, headers: Record<string, string>) => (await app.handle({ method, url: '/x', headers, body: '{}' })).status;
  const own = { host: '127.0.0.1:80', origin: 'http://127.0.0.1:80', 'content-type': 'application/json' };
  assert.equal(await status('GET', { host: '127.0.0.1:80' }), 421, 'not listening yet: nothing is answered');
  bound = { host: '127.0.0.1', port: 80 };
  assert.equal(await status('GET', { host: '127.0.0.1:80' }), 200);
  assert.equal(await status('GET', { host: '127.0.0.1' }), 200, 'no port is port 80');
  assert.equal(await status('GET', { host: 'evil.example' }), 421);
  assert.equal(await status('POST', own), 200);
  assert.equal(await status('POST', { ...own, origin: 'http://evil.example' }), 403);
  assert.equal(await status('POST', { ...own, origin: 'https://127.0.0.1:80' }), 403, 'another scheme is another origin');
  assert.equal(await status('DELETE', { ...own, origin: 'http://evil.example' }), 403, 'every method that is not GET, HEAD or OPTIONS');
  assert.equal(await status('POST', { ...own, 'content-type': 'text/plain;charset=UTF-8' }), 415);
  assert.equal(await status('OPTIONS', { host: '127.0.0.1:80', origin: 'http://evil.example' }), 405, 'a preflight reaches routing (and gets no CORS grant)');
  assert.equal(mediaType(' Application/JSON ; charset=utf-8'), 'application/json');
  assert.equal(mediaType(undefined), '');
});

test('behind a proxy, the public URL\'s host and origin are the server\'s own too; other names still are not', async () => {
  const app = new HttpApp().use(ownHost(() => ({ host: '127.0.0.1', port: 8090 }), 'https://Audit.example.org')).use(sameOrigin('https://audit.example.org')).use(jsonBody())
    .get('/x', () => json('read')).post('/x', () => json('written'));
  const status = async (method: string, headers: Record<string, string>) => (await app.handle({ method, url: '/x', headers, body: '{}' })).status;
  assert.deepEqual([...publicHosts('https://Audit.example.org')], ['audit.example.org', 'audit.example.org:443']);
  assert.deepEqual([...publicHosts('http://a.example:8443/')], ['a.example:8443']);
  for (const host of ['audit.example.org', 'AUDIT.example.org:443', '127.0.0.1:8090']) assert.equal(await status('GET', { host }), 200, host);
  for (const host of ['audit.example.org:80', 'evil.example', 'audit.example.org.evil.example']) assert.equal(await status('GET', { host }), 421, host);
  const post = { host: 'audit.example.org', 'content-type': 'application/json' };
  assert.equal(await status('POST', { ...post, origin: 'https://audit.example.org' }), 200);
  assert.equal(await status('POST', { ...post, origin: 'http://evil.example' }), 403);
  assert.equal(await status('POST', { ...post, origin: 'https://audit.example.org.evil.example' }), 403);
  assert.equal(await status('POST', { ...post, host: '127.0.0.1:8090', origin: 'http://127.0.0.1:8090' }), 200, 'the loopback address still works for whoever is on the machine');
  assert.equal(isLoopback('[::1]'), true);
  assert.equal(isLoopback('127.1.2.3'), true);
  assert.equal(isLoopback('0.0.0.0'), false);
  assert.equal(isLoopback('localhost.example'), false);
});
