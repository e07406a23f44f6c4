import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpApp } from './app.ts';
import { HttpError } from './errors.ts';
import { bodyText, bytes, html, json, parseJson } from './responses.ts';

const body = (res: { body: string | Uint8Array }) => JSON.parse(bodyText(res.body));

function itemsApp(options: ConstructorParameters<typeof HttpApp>[0] = {}) {
  return new HttpApp(options)
    .get('/', () => html('<p>home</p>'))
    .get('/items/:id', (c) => json({ id: c.params.id, path: c.path, method: c.method }))
    .post('/items', (c) => json({ got: parseJson(bodyText(c.body), (why) => new HttpError(400, `not JSON: ${why}`)) }, 201))
    .get('/png/*name', (c) => bytes(new Uint8Array([137, 80, c.params.name!.length]), 'image/png'));
}

test('routes answer by method and path, with params; responses carry their content type', async () => {
  const app = itemsApp();
  const item = await app.handle({ method: 'GET', url: '/items/a%20b?x=1' });
  assert.deepEqual({ status: item.status, headers: item.headers, body: body(item) }, {
    status: 200, headers: { 'content-type': 'application/json' }, body: { id: 'a b', path: '/items/a b', method: 'GET' },
  });
  const home = await app.handle({ method: 'get', url: '/' });
  assert.deepEqual([home.status, home.headers['content-type'], home.body], [200, 'text/html; charset=utf-8', '<p>home</p>'], 'methods match whatever their case');
  const created = await app.handle({ method: 'POST', url: '/items', body: new TextEncoder().encode('{"n":1}') });
  assert.deepEqual([created.status, body(created)], [201, { got: { n: 1 } }]);
  const png = await app.handle({ method: 'GET', url: '/png/a/b' });
  assert.deepEqual([png.headers['content-type'], [...(png.body as Uint8Array)]], ['image/png', [137, 80, 3]]);
});

test('no route is a 404, a route without the method a 405 naming the allowed ones in Allow', async () => {
  const app = itemsApp();
  const missing = await app.handle({ method: 'GET', url: '/nope' });
  assert.deepEqual([missing.status, body(missing), missing.error], [404, { error: { message: 'no route GET /nope' } }, 'no route GET /nope']);
  const wrong = await app.handle({ method: 'DELETE', url: '/items/3' });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.allow, 'GET');
  assert.deepEqual(body(wrong), { error: { message: 'DELETE is not allowed on /items/3; use GET' } });
  assert.equal((await app.handle({ method: 'GET', url: '/items/3/' })).status, 404, 'strict by default: a trailing slash is another path');
  assert.equal((await itemsApp({ strict: false }).handle({ method: 'GET', url: '/items/3/' })).status, 200);
});

test('an all() route answers the methods the routes before it leave', async () => {
  const app = new HttpApp()
    .post('/verdict', () => json('posted'))
    .all('/verdict', (c) => { throw new HttpError(400, `POST to /verdict, not ${c.method}`); });
  assert.equal(body(await app.handle({ method: 'POST', url: '/verdict' })), 'posted');
  const get = await app.handle({ method: 'GET', url: '/verdict' });
  assert.deepEqual([get.status, body(get)], [400, { error: { message: 'POST to /verdict, not GET' } }]);
});

test('a body over the limit is a 413 before routing, also when the socket layer kept only its size', async () => {
  const app = itemsApp({ maxBodyBytes: 8 });
  assert.equal((await app.handle({ method: 'POST', url: '/items', body: '"1234567"' })).status, 413, '9 bytes');
  assert.equal((await app.handle({ method: 'POST', url: '/items', body: '"é€"' })).status, 201, 'é€ in quotes is 7 bytes of UTF-8');
  const told = await app.handle({ method: 'POST', url: '/nowhere', body: '', bodyBytes: 100 });
  assert.deepEqual([told.status, body(told)], [413, { error: { message: 'request body of 100 bytes exceeds the limit of 8 bytes' } }]);
});

test('errors: HttpErrors answer as thrown; anything else is a 500 whose message only the log sees, unless onError says', async () => {
  const boom = () => { throw new Error('disk on fire'); };
  const hidden = await new HttpApp().get('/x', boom).handle({ method: 'GET', url: '/x' });
  assert.deepEqual([hidden.status, body(hidden), hidden.error], [500, { error: { message: 'Internal Server Error' } }, 'disk on fire']);

  const teapot = await new HttpApp().get('/x', () => { throw new HttpError(418, 'short and stout', { headers: { 'x-tea': 'earl grey' } }); })
    .handle({ method: 'GET', url: '/x' });
  assert.deepEqual([teapot.status, teapot.headers['x-tea'], body(teapot)], [418, 'earl grey', { error: { message: 'short and stout' } }]);

  const shaped = new HttpApp({
    headers: { 'cache-control': 'no-store' },
    onError: (err) => new HttpError(503, `backend: ${(err as Error).message}`, { expose: true, code: 'backend_down' }),
    errorBody: (e, message) => ({ problem: message, status: e.status, code: e.code }),
    notFound: (miss) => new HttpError(404, `nothing at ${miss.rawPath} (${miss.path})`),
  }).get('/x', boom);
  const down = await shaped.handle({ method: 'GET', url: '/x' });
  assert.deepEqual([down.status, down.headers['cache-control'], body(down)], [503, 'no-store', { problem: 'backend: disk on fire', status: 503, code: 'backend_down' }]);
  const nothing = await shaped.handle({ method: 'GET', url: '/a%20b' });
  assert.deepEqual(body(nothing), { problem: 'nothing at /a%20b (/a b)', status: 404 });
  assert.equal((await shaped.handle({ method: 'GET', url: '/%zz' })).status, 400, 'a malformed path');

  const broken = await new HttpApp({ onError: () => { throw new Error('onError broke'); } }).get('/x', boom).handle({ method: 'GET', url: '/x' });
  assert.deepEqual([broken.status, broken.error], [500, 'onError broke'], 'a failing onError still gets an answer');
});

test('options are checked when the app is built, routes when added', () => {
  assert.throws(() => new HttpApp({ maxBodyBytes: 0 }), /maxBodyBytes must be a positive whole number of bytes, got 0/);
  assert.throws(() => new HttpApp({ maxBodySize: 10 } as never), /unknown HttpApp option 'maxBodySize'; options are maxBodyBytes, strict/);
  assert.throws(() => new HttpApp({ headers: { 'Cache-Control': 'no-store' } }), /'Cache-Control' must be a lower-case header name/);
  assert.throws(() => new HttpApp().on('FETCH' as never, '/', () => json(1)), /route method must be one of GET, POST, .*got 'FETCH'/);
  assert.throws(() => new HttpApp().get('/a', () => json(1)).get('/a', () => json(2)), /the route GET \/a is already defined/);
  assert.throws(() => new HttpApp().get('a', () => json(1)), /must start with '\/'/);
  assert.throws(() => new HttpError(302, 'moved'), /status must be an integer from 400 to 599, got 302/);
});

test('checks added with use() see every request before routing and the body limit, and refuse by throwing', async () => {
  const seen: string[] = [];
  const app = new HttpApp({ maxBodyBytes: 4 })
    .use((r) => { seen.push(`${r.method} ${r.url} ${r.headers['x-key'] ?? '-'}`); })
    .use((r) => { if (r.headers['x-key'] !== 'ok') throw new HttpError(403, 'no key'); })
    .post('/echo', (c) => json({ headers: c.headers }));
  const refused = await app.handle({ method: 'post', url: '/nowhere?a=1', body: 'too long for the limit' });
  assert.deepEqual([refused.status, body(refused)], [403, { error: { message: 'no key' } }], 'the check answers before the 404 and the 413');
  const passed = await app.handle({ method: 'POST', url: '/echo', headers: { 'x-key': 'ok' } });
  assert.deepEqual([passed.status, body(passed)], [200, { headers: { 'x-key': 'ok' } }], 'handlers see the headers');
  assert.deepEqual(seen, ['POST /nowhere?a=1 -', 'POST /echo ok']);
  assert.throws(() => new HttpApp().use('x' as never), /use\(\) takes a check function/);
});
