import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from './errors.ts';
import { RateLimiter } from './rate-limit.ts';

test('RateLimiter: a burst of perMinute passes per key, then one per 60/perMinute s, refused with 429 and Retry-After', () => {
  let now = 0;
  const limit = new RateLimiter(6, 'answers', () => now);
  for (let i = 0; i < 6; i++) assert.equal(limit.take('p1'), undefined, `token ${i}`);
  assert.equal(limit.take('p1'), 10, 'one token comes back every 10 s');
  assert.equal(limit.take('p2'), undefined, 'another key has its own bucket');
  now += 4_000;
  assert.equal(limit.take('p1'), 6);
  now += 6_000;
  assert.equal(limit.take('p1'), undefined);
  assert.throws(() => limit.check('p1', 'person p1'), (e: HttpError) => e.status === 429 && e.headers['retry-after'] === '10' && /too many answers from person p1: at most 6 a minute/.test(e.message));
  now += 3_600_000;
  for (let i = 0; i < 6; i++) assert.equal(limit.take('p1'), undefined, 'refilled to perMinute, not beyond');
  assert.notEqual(limit.take('p1'), undefined);
  const off = new RateLimiter(Infinity);
  for (let i = 0; i < 1000; i++) assert.equal(off.take('x'), undefined);
  assert.throws(() => new RateLimiter(0), /perMinute must be above 0/);
});
