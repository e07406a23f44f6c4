import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCookies, serializeCookie } from './cookies.ts';

test('parseCookies reads a Cookie header (first value of a repeated name wins); serializeCookie writes the attributes asked', () => {
  assert.deepEqual({ ...parseCookies('a=1; b="two";c=3; a=4; junk; =x') }, { a: '1', b: 'two', c: '3' });
  assert.deepEqual({ ...parseCookies(undefined) }, {});
  assert.equal(parseCookies('__proto__=x').__proto__, 'x', 'no prototype to pollute');
  assert.equal(serializeCookie('s', 'abc-_', { httpOnly: true, sameSite: 'Strict', secure: true }), 's=abc-_; Path=/; HttpOnly; Secure; SameSite=Strict');
  assert.equal(serializeCookie('s', '', { maxAge: 0 }), 's=; Path=/; Max-Age=0');
  assert.throws(() => serializeCookie('s', 'a;b'), /value must be letters/);
  assert.throws(() => serializeCookie('a b', 'x'), /cookie name/);
});
