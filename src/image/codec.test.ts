import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import { decodeDataUrl, decodeImage, encodePng, ImageDecodeError, toPngDataUrl } from './codec.ts';

const img = { width: 3, height: 2, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]) };

test('PNG round-trips exactly', () => {
  const back = decodeImage(encodePng(img));
  assert.deepEqual(back, img);
  assert.deepEqual(decodeDataUrl(toPngDataUrl(img)), img);
});

test('JPEG decodes to RGB of the right size', () => {
  const rgba = new Uint8Array(8 * 8 * 4).fill(200);
  const bytes = jpeg.encode({ width: 8, height: 8, data: rgba }, 90).data;
  const back = decodeImage(new Uint8Array(bytes));
  assert.equal(back.width, 8);
  assert.equal(back.data.length, 8 * 8 * 3);
  assert.ok(Math.abs(back.data[0]! - 200) < 6);
});

test('garbage and truncated images give errors that name the source', () => {
  assert.throws(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'a.png'), (e: Error) => e instanceof ImageDecodeError && /a\.png: not a PNG or JPEG/.test(e.message));
  const png = encodePng(img);
  assert.throws(() => decodeImage(png.subarray(0, 30), 'cut.png'), /cut\.png: corrupt/);
  assert.throws(() => decodeDataUrl('http://x'), /expected 'data:image/);
});
