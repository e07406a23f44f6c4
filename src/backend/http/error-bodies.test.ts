import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverErrorMessage, withReadableErrors } from './error-bodies.ts';

test('serverErrorMessage reads every engine\'s error body shape', () => {
  const table: Array<[string, string]> = [
    ['{"error":{"message":"bad n","type":"invalid_request_error"}}', 'bad n'], // OpenAI, llama.cpp, vLLM >= 0.10
    ['{"object":"error","message":"bad n","code":400}', 'bad n'], // SGLang, older vLLM
    ['{"error":"model not found"}', 'model not found'], // Ollama native
    ['{"detail":"Not Found"}', 'Not Found'], // FastAPI
    ['{"detail":[{"loc":["body","n"],"msg":"must be >= 1"}]}', 'body.n: must be >= 1'], // FastAPI validation
    ['<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway'], // proxies
    ['plain words', 'plain words'],
    ['', '(empty body)'],
  ];
  for (const [body, want] of table) assert.equal(serverErrorMessage(body), want, body);
});

test('withReadableErrors rewrites error bodies into the shape the SDK reads, and leaves 2xx alone', async () => {
  const inner = async (input: string | URL | Request) =>
    String(input).endsWith('/ok')
      ? new Response('{"x":1}', { status: 200 })
      : new Response('{"object":"error","message":"no such model"}', { status: 404, headers: { 'x-request-id': 'r1' } });
  const f = withReadableErrors(inner);
  assert.deepEqual(await (await f('http://h/ok')).json(), { x: 1 });
  const res = await f('http://h/bad');
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-request-id'), 'r1');
  assert.deepEqual(await res.json(), { error: { message: 'no such model', status: 404 } });
});
