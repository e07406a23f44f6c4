import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CapabilityError, ResponseFormatError, ServerError } from './errors.ts';
import { backoffDelayMs, isRetryable, isRetryableStatus, retryAfterMs } from './retry.ts';

const apiError = (status: number, message = 'x') => APIError.generate(status, { error: { message } }, undefined, new Headers());
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test('retryable statuses: 408, 409, 429 and 5xx only', () => {
  for (const s of [408, 409, 429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(s), true, String(s));
  for (const s of [400, 401, 403, 404, 413, 422]) assert.equal(isRetryableStatus(s), false, String(s));
});

test('isRetryable decides for SDK errors, connection failures and our typed errors', () => {
  const table: Array<[string, unknown, boolean]> = [
    ['429', apiError(429), true],
    ['503', apiError(503), true],
    ['400', apiError(400), false],
    ['404', apiError(404), false],
    ['500 naming the missing mmproj', apiError(500, 'image input is not supported - hint: you may need to provide the mmproj'), false],
    ['time-out', new APIConnectionTimeoutError(), true],
    ['connection reset', new APIConnectionError({ cause: new TypeError('fetch failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') }) }), true],
    ['connection refused', new APIConnectionError({ cause: withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED') }), true],
    ['unknown host', new APIConnectionError({ cause: new TypeError('fetch failed', { cause: withCode('getaddrinfo ENOTFOUND nohost', 'ENOTFOUND') }) }), false],
    ['user abort', new APIUserAbortError(), false],
    ['raw socket hang up', new Error('socket hang up'), true],
    ['raw ECONNRESET code', withCode('boom', 'ECONNRESET'), true],
    ['programming error', new TypeError('x is not a function'), false],
    ['ServerError keeps its verdict', new ServerError({ status: 503, retryable: true, where: 'w', detail: 'd', attempts: 1 }), true],
    ['ServerError 400', new ServerError({ status: 400, retryable: false, where: 'w', detail: 'd', attempts: 1 }), false],
    ['capability', new CapabilityError('images', 'u', 'p', 'f'), false],
    ['garbage body', new ResponseFormatError('w', 'p', ''), false],
  ];
  for (const [name, err, want] of table) assert.equal(isRetryable(err), want, name);
});

test('backoff is full jitter under an exponential cap', () => {
  assert.equal(backoffDelayMs(0, 100, 10_000, () => 0.999999) < 100, true);
  assert.equal(backoffDelayMs(3, 100, 10_000, () => 0.5), 400); // 0.5 * 800
  assert.equal(backoffDelayMs(20, 100, 10_000, () => 0.5), 5000); // capped at 10 s
  assert.equal(backoffDelayMs(5, 100, 10_000, () => 0), 0);
});

test('Retry-After: milliseconds, seconds, HTTP date, garbage', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const h = (o: Record<string, string>) => new Headers(o);
  assert.equal(retryAfterMs(h({ 'retry-after-ms': '250' }), now), 250);
  assert.equal(retryAfterMs(h({ 'retry-after': '2' }), now), 2000);
  assert.equal(retryAfterMs(h({ 'retry-after': '0.5' }), now), 500);
  assert.equal(retryAfterMs(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now), 3000);
  assert.equal(retryAfterMs(h({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now), 0); // in the past
  assert.equal(retryAfterMs(h({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(h({}), now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});
