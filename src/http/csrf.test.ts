import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrfMatches, csrfToken } from './csrf.ts';

test('a CSRF token fits only its own session and secret', () => {
  const secret = Buffer.from('s'.repeat(32));
  const t = csrfToken(secret, 'session-a');
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(csrfMatches(secret, 'session-a', t), true);
  assert.equal(csrfMatches(secret, 'session-b', t), false, "another person's token");
  assert.equal(csrfMatches(Buffer.from('t'.repeat(32)), 'session-a', t), false, 'another server');
  assert.equal(csrfMatches(secret, 'session-a', undefined), false);
  assert.equal(csrfMatches(secret, 'session-a', t.slice(1)), false);
  assert.equal(csrfMatches(secret, 'session-a', ''), false);
});
