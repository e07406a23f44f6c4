import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from './errors.ts';
import { compilePattern, parseTarget } from './routes.ts';

const seg = (path: string) => parseTarget(path, true).segments;

test('literal, :param and *rest segments match decoded path segments', () => {
  const item = compilePattern('/api/items/:id');
  assert.deepEqual(item.match(seg('/api/items/7')), { id: '7' });
  assert.deepEqual(item.match(seg('/api/items/a%20b')), { id: 'a b' });
  assert.deepEqual(item.match(seg('/api/items/a%2Fb')), { id: 'a/b' }, 'an encoded slash stays inside its segment');
  assert.equal(item.match(seg('/api/items/')), undefined, ':param needs a non-empty segment');
  assert.equal(item.match(seg('/api/items/7/x')), undefined);
  assert.equal(item.match(seg('/api/item/7')), undefined);

  const rest = compilePattern('/files/*path');
  assert.deepEqual(rest.match(seg('/files/a/b%2Fc/d')), { path: 'a/b/c/d' });
  assert.deepEqual(rest.match(seg('/files/')), { path: '' }, '*rest takes what follows the slash, even nothing');
  assert.equal(rest.match(seg('/files')), undefined);

  assert.deepEqual(compilePattern('/').match(seg('/')), {});
  assert.equal(compilePattern('/').match(seg('/x')), undefined);
  assert.deepEqual(compilePattern('/health').match(seg('/health?verbose=1')), {}, 'the query string is not part of the path');
});

test('patterns that cannot be meant are refused, saying what to write', () => {
  assert.throws(() => compilePattern('health'), /must start with '\/'/);
  assert.throws(() => compilePattern('/a/:'), /':' needs a name .* e\.g\. ':id'/);
  assert.throws(() => compilePattern('/a/*rest/b'), /must be the last segment/);
  assert.throws(() => compilePattern('/a/:id/:id'), /names the parameter 'id' twice/);
});

test('targets: strict keeps a trailing slash, non-strict drops it; bad percent-encoding is a 400', () => {
  assert.deepEqual(parseTarget('/a/b/?x=1', true), { rawPath: '/a/b/', segments: ['a', 'b', ''], path: '/a/b/' });
  assert.deepEqual(parseTarget('/a/b//?x=1', false), { rawPath: '/a/b//', segments: ['a', 'b'], path: '/a/b' });
  assert.deepEqual(parseTarget('/', false).segments, ['']);
  assert.equal(parseTarget('/v1/models/my%20model', false).path, '/v1/models/my model');
  assert.throws(() => parseTarget('/a/%E0%A4%A', true), (e: unknown) => e instanceof HttpError && e.status === 400 && e.code === 'invalid_url' && e.message === "malformed URL path '/a/%E0%A4%A'");
});
