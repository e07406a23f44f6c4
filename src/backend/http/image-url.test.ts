import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDataUrl, toPngDataUrl } from '../../image/codec.ts';
import type { RgbImage } from '../../image/rgb.ts';
import { OpenAICompatibleBackend } from './backend.ts';
import { ImageUrlCache } from './image-url.ts';
import { FakeServer } from './testing/fake-server.ts';
import { fastSettings } from './testing/helpers.ts';

function image(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + seed * 17 + (i >> 5)) & 0xff;
  return { width, height, data };
}

test('image URL cache: lossless URLs, the project encoder\'s; a malformed image is refused', async () => {
  const cache = new ImageUrlCache();
  for (const [w, h] of [[1, 1], [2, 3], [48, 48], [97, 13]] as const) {
    const img = image(w, h, w + h);
    assert.deepEqual(await decodeDataUrl(cache.dataUrl(img)), img);
    assert.equal(cache.dataUrl(img), toPngDataUrl(img));
  }
  assert.throws(() => cache.dataUrl({ width: 2, height: 2, data: new Uint8Array(11) }), /needs 12 bytes/);
});

test('image URL cache: one encoding per image; other images, resized or repainted pixels get their own', async () => {
  const cache = new ImageUrlCache();
  const a = image(8, 8, 1);
  const b = image(8, 8, 2);
  const urlA = cache.dataUrl(a);
  assert.equal(cache.dataUrl(a), urlA);
  assert.equal(cache.dataUrl({ ...a }), urlA, 'a copy of the record sharing the pixels is the same image');
  assert.equal(cache.encodes, 1);
  assert.deepEqual(await decodeDataUrl(urlA), a);

  const urlB = cache.dataUrl(b);
  assert.notEqual(urlB, urlA);
  assert.deepEqual(await decodeDataUrl(urlB), b);
  assert.equal(cache.encodes, 2);

  // Equal pixels in another array: encoded again (keyed by identity), to the same URL.
  assert.equal(cache.dataUrl({ ...a, data: a.data.slice() }), urlA);
  assert.equal(cache.encodes, 3);

  // The same array read with other dimensions is another image.
  const tall = { width: 4, height: 16, data: a.data };
  assert.deepEqual(await decodeDataUrl(cache.dataUrl(tall)), tall);
  assert.equal(cache.encodes, 4);

  // Pixels changed in place: never the stale URL.
  a.data[5] = a.data[5]! ^ 0xff;
  const repainted = cache.dataUrl(a);
  assert.notEqual(repainted, urlA);
  assert.deepEqual(await decodeDataUrl(repainted), a);
  assert.equal(cache.encodes, 5);
});

test('backend: the n candidates and every question about one image send one encoding of it', async () => {
  const server = await FakeServer.start();
  try {
    const backend = new OpenAICompatibleBackend(fastSettings(server.url));
    const a = image(6, 5, 3);
    const b = image(6, 5, 4);
    await backend.generate([{ image: a, prompt: 'Describe.' }, { image: b, prompt: 'Describe.' }], { n: 3, seed: 0, temperature: 0.7, topP: 1, maxTokens: 8 });
    await backend.yesNo([{ image: a, question: 'Is there a cat?' }, { image: a, question: 'Is it red?' }, { image: b, question: 'Is it red?' }]);
    assert.equal(backend.images.encodes, 2);
    const sent = await Promise.all(server.chatRequests().map((r) => {
      const parts = (r.body as { messages: Array<{ content: Array<{ type: string; image_url?: { url: string } }> }> }).messages[0]!.content;
      return decodeDataUrl(parts.find((p) => p.type === 'image_url')!.image_url!.url);
    }));
    // Requests in flight together may arrive in either order: compare each call's images as a multiset.
    const key = (img: RgbImage) => Buffer.from(img.data).toString('hex');
    assert.deepEqual(sent.slice(0, 2).map(key).sort(), [a, b].map(key).sort());
    assert.deepEqual(sent.slice(2).map(key).sort(), [a, a, b].map(key).sort());
    for (const img of sent) assert.ok(img.width === 6 && img.height === 5);
  } finally {
    await server.close();
  }
});
