import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { cacheKey } from './key.ts';
import { decodeValue, encodeValue } from './value-json.ts';

const scope = { stage: 'label', model: 'llava', settings: { temperature: 0.2, topP: 0.9, maxTokens: 256 } };

test('canonical JSON sorts keys at every depth and drops undefined properties', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
  assert.equal(canonicalJson([undefined, -0, 1e21, 'é"']), '[null,0,1e+21,"é\\""]');
  assert.equal(canonicalJson({ n: Number.NaN, i: -Infinity }), '{"i":{"$number":"-Infinity"},"n":{"$number":"NaN"}}');
  assert.equal(canonicalJson(new Date(0)), '"1970-01-01T00:00:00.000Z"');
});

test('typed arrays are hashed by their bytes, not serialised', () => {
  const data = new Uint8Array(1 << 16).map((_, i) => i % 251);
  const text = canonicalJson({ image: { width: 128, height: 128, data } });
  assert.ok(text.length < 200, `canonical text of a 64 KiB image is ${text.length} characters`);
  assert.ok(text.includes(sha256Hex(data)));
  // Same bytes in another buffer, or in a view at an offset, give the same text.
  const padded = new Uint8Array(data.length + 5);
  padded.set(data, 5);
  assert.equal(canonicalJson({ image: { height: 128, data: padded.subarray(5), width: 128 } }), text);
  // One changed byte changes it; so does the element type over the same bytes.
  const changed = data.slice();
  changed[1000] = 7;
  assert.notEqual(canonicalJson({ image: { width: 128, height: 128, data: changed } }), text);
  assert.notEqual(canonicalJson(new Int8Array(data.buffer)), canonicalJson(data));
  assert.notEqual(canonicalJson(new Float32Array([1, 2])), canonicalJson(new Float32Array([1, 3])));
});

test('values with no faithful JSON form are refused with their path', () => {
  assert.throws(() => canonicalJson({ a: { f: () => 1 } }, 'input'), /input\.a\.f is a function/);
  assert.throws(() => canonicalJson({ m: new Map() }), /value\.m is a Map/);
  assert.throws(() => canonicalJson([1n]), /value\[0\] is a bigint/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => canonicalJson(cyclic), /value\.self refers back/);
  // Shared (non-cyclic) references are fine.
  const shared = { x: 1 };
  assert.equal(canonicalJson([shared, shared]), '[{"x":1},{"x":1}]');
});

test('cache keys are stable across key order and buffer identity, and change with every part', () => {
  const image = { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) };
  const key = cacheKey(scope, { image, question: 'Is there a cat?' });
  assert.match(key, /^[0-9a-f]{64}$/);
  const reordered = { settings: { maxTokens: 256, topP: 0.9, temperature: 0.2 }, model: 'llava', stage: 'label' };
  assert.equal(cacheKey(reordered, { question: 'Is there a cat?', image: { ...image, data: image.data.slice() } }), key);
  // A fixed value guards against accidental changes of the key format, which would invalidate every store.
  assert.equal(cacheKey({ stage: 's', model: 'm', settings: {} }, { a: 1 }), sha256Hex('["s","m",{},{"a":1}]'));
  assert.notEqual(cacheKey({ ...scope, stage: 'check' }, { image, question: 'Is there a cat?' }), key);
  assert.notEqual(cacheKey({ ...scope, model: 'llava2' }, { image, question: 'Is there a cat?' }), key);
  assert.notEqual(cacheKey({ ...scope, settings: { ...scope.settings, temperature: 0.3 } }, { image, question: 'Is there a cat?' }), key);
  assert.notEqual(cacheKey(scope, { image, question: 'Is there a dog?' }), key);
  // Stage and model names cannot bleed into each other.
  assert.notEqual(cacheKey({ stage: 'a,b', model: 'c', settings: {} }, 1), cacheKey({ stage: 'a', model: 'b,c', settings: {} }, 1));
});

test('stored values keep non-finite numbers and bytes, and refuse what JSON would mangle', () => {
  const value = { sum: -Infinity, probs: [Number.NaN, 0.5], image: { width: 1, height: 1, data: new Uint8Array([255, 0, 9]) }, none: null };
  const back = decodeValue(encodeValue(value));
  assert.deepEqual(back, value);
  assert.ok((back as typeof value).image.data instanceof Uint8Array);
  assert.deepEqual(decodeValue(encodeValue(Buffer.from([1, 2]))), new Uint8Array([1, 2]));
  assert.throws(() => encodeValue({ logits: new Float32Array(2) }, 'result k'), /result k field 'logits': a Float32Array cannot be stored/);
  assert.throws(() => encodeValue(undefined, 'result k'), /result k: a result cannot be undefined/);
});
