import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { encode as encodePngRaw } from 'fast-png';
import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { decodeDataUrl, decodeImage, encodePng, ImageDecodeError, ImageTooLargeError, toPngDataUrl } from './codec.ts';
import type { RgbImage } from './rgb.ts';
import { bmpFile, greyJpeg, pngFile, solidPng, withJpegSize, withPngSize } from './testing.ts';

const img = { width: 3, height: 2, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]) };
const rgb = (width: number, height: number, ...pixels: Array<[number, number, number]>): RgbImage => ({ width, height, data: new Uint8Array(pixels.flat()) });
/** The largest difference of any channel of any pixel. */
const maxDiff = (a: RgbImage, b: RgbImage) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

test('PNG round-trips exactly', async () => {
  const back = await decodeImage(encodePng(img));
  assert.deepEqual(back, img);
  assert.deepEqual(await decodeDataUrl(toPngDataUrl(img)), img);
});

test('JPEG decodes to RGB of the right size', async () => {
  const rgba = new Uint8Array(8 * 8 * 4).fill(200);
  const bytes = jpeg.encode({ width: 8, height: 8, data: rgba }, 90).data;
  const back = await decodeImage(new Uint8Array(bytes));
  assert.equal(back.width, 8);
  assert.equal(back.data.length, 8 * 8 * 3);
  assert.ok(Math.abs(back.data[0]! - 200) < 6);
});

test('garbage and truncated images give errors that name the source', async () => {
  await assert.rejects(decodeImage(new Uint8Array([1, 2, 3, 4]), 'a.png'), (e: Error) => e instanceof ImageDecodeError && /a\.png: not a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP image/.test(e.message));
  const png = encodePng(img);
  await assert.rejects(decodeImage(png.subarray(0, 30), 'cut.png'), /cut\.png: corrupt/);
  const big = greyJpeg(100, 64);
  await assert.rejects(decodeImage(big.subarray(0, big.length - 200), 'cut.jpg'), /cut\.jpg: corrupt or unsupported image \(JPEG: /);
  await assert.rejects(decodeDataUrl('http://x'), /expected 'data:image/);
});

test('bytes that are no image are described, never printed', async () => {
  const secret = new TextEncoder().encode('password=hunter2\nuser=root\n');
  const err = await decodeImage(secret, 'notes.png').then(() => undefined, (e: Error) => e);
  assert.ok(err instanceof ImageDecodeError);
  assert.match(err.message, /^notes\.png: not a .* image \(27 bytes that look like text\); convert it to PNG or JPEG$/);
  assert.doesNotMatch(err.message, /hunter2|70 61 73 73/);
  await assert.rejects(decodeImage(new TextEncoder().encode('<!DOCTYPE html><html>login</html>'), 'u'), /that look like an HTML or XML page/);
  await assert.rejects(decodeImage(new Uint8Array(0), 'u'), /no data at all/);
});

// Grey levels written with fast-png (or by hand where it cannot) at every bit depth.
test('greyscale PNGs of 1, 2, 4, 8 and 16 bits scale to 0-255', async () => {
  // 1 bit: 8 pixels 1,0,1,0,... packed in one byte after the row's filter byte.
  const oneBit = pngFile(8, 1, 1, 0, deflateSync(Buffer.from([0, 0b10101010])));
  const w = 255;
  assert.deepEqual(await decodeImage(oneBit, 'one-bit.png'), rgb(8, 1, [w, w, w], [0, 0, 0], [w, w, w], [0, 0, 0], [w, w, w], [0, 0, 0], [w, w, w], [0, 0, 0]));
  const twoBit = pngFile(4, 1, 2, 0, deflateSync(Buffer.from([0, 0b00011011])));
  assert.deepEqual(await decodeImage(twoBit), rgb(4, 1, [0, 0, 0], [85, 85, 85], [170, 170, 170], [w, w, w]));
  const fourBit = pngFile(2, 1, 4, 0, deflateSync(Buffer.from([0, 0x0f])));
  assert.deepEqual(await decodeImage(fourBit), rgb(2, 1, [0, 0, 0], [w, w, w]));
  const eight = encodePngRaw({ width: 2, height: 1, data: new Uint8Array([7, 200]), channels: 1, depth: 8 });
  assert.deepEqual(await decodeImage(eight), rgb(2, 1, [7, 7, 7], [200, 200, 200]));
  const sixteen = encodePngRaw({ width: 3, height: 1, data: new Uint16Array([65535, 0, 257 * 100]), channels: 1, depth: 16 });
  assert.deepEqual(await decodeImage(sixteen), rgb(3, 1, [w, w, w], [0, 0, 0], [100, 100, 100]));
});

test('16-bit RGB, palette, grey+alpha and RGBA PNGs: alpha over white', async () => {
  const rgb16 = encodePngRaw({ width: 1, height: 1, data: new Uint16Array([257 * 10, 257 * 20, 65535]), channels: 3, depth: 16 });
  assert.deepEqual(await decodeImage(rgb16), rgb(1, 1, [10, 20, 255]));
  // Palette (colour type 3): indices 0,1,2,1 into red, green, blue.
  const plte = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]);
  const palette = pngFile(4, 1, 8, 3, deflateSync(Buffer.from([0, 0, 1, 2, 1])), [['PLTE', plte]]);
  assert.deepEqual(await decodeImage(palette), rgb(4, 1, [255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 255, 0]));
  const greyAlpha = encodePngRaw({ width: 3, height: 1, data: new Uint8Array([0, 0, 0, 128, 0, 255]), channels: 2, depth: 8 });
  assert.deepEqual(await decodeImage(greyAlpha), rgb(3, 1, [255, 255, 255], [127, 127, 127], [0, 0, 0]));
  const rgba = encodePngRaw({ width: 2, height: 1, data: new Uint8Array([255, 0, 0, 255, 0, 0, 255, 0]), channels: 4, depth: 8 });
  assert.deepEqual(await decodeImage(rgba), rgb(2, 1, [255, 0, 0], [255, 255, 255]));
});

test('CMYK and greyscale JPEGs come out as sRGB RGB, not inverted', async () => {
  const source = { r: 220, g: 40, b: 40 };
  const cmyk = await sharp({ create: { width: 8, height: 8, channels: 3, background: source } }).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
  assert.equal((await sharp(cmyk).metadata()).space, 'cmyk');
  const back = await decodeImage(cmyk, 'cmyk.jpg');
  assert.equal(back.data.length, 8 * 8 * 3);
  const [r, g, b] = back.data;
  assert.ok(r! > 180 && g! < 80 && b! < 80, `a red CMYK JPEG decoded to ${r},${g},${b}`);
  // A one-component (greyscale) JPEG: three equal channels.
  const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } }).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
  assert.equal((await sharp(grey).metadata()).channels, 1);
  const g8 = await decodeImage(grey);
  assert.ok(Math.abs(g8.data[0]! - 90) <= 2 && g8.data[0] === g8.data[1] && g8.data[1] === g8.data[2], `grey decoded to ${[...g8.data.subarray(0, 3)]}`);
});

test('EXIF orientation is applied', async () => {
  // 2x1, red then blue, tagged "rotate 90 clockwise to display" (orientation 6): shown 1x2, red on top.
  const raw = Buffer.from([255, 0, 0, 0, 0, 255]);
  const tagged = await sharp(raw, { raw: { width: 2, height: 1, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer();
  assert.deepEqual(await decodeImage(tagged), rgb(1, 2, [255, 0, 0], [0, 0, 255]));
  const jpegTagged = await sharp(Buffer.alloc(16 * 8 * 3).fill(0).map((_, i) => (i % 3 === 0 && (i / 3) % 16 < 8 ? 255 : 0)), { raw: { width: 16, height: 8, channels: 3 } })
    .jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
  const shown = await decodeImage(jpegTagged);
  assert.deepEqual([shown.width, shown.height], [8, 16]);
  assert.ok(shown.data[0]! > 200 && shown.data[(15 * 8) * 3]! < 50, 'the left (red) half is on top once rotated');
});

test('WebP, GIF (first frame), TIFF and AVIF are read', async () => {
  const source = rgb(2, 2, [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]);
  const base = () => sharp(Buffer.from(source.data), { raw: { width: 2, height: 2, channels: 3 } });
  assert.deepEqual(await decodeImage(await base().webp({ lossless: true }).toBuffer(), 'x.webp'), source);
  assert.deepEqual(await decodeImage(await base().tiff({ compression: 'lzw' }).toBuffer(), 'x.tiff'), source);
  assert.deepEqual(await decodeImage(await base().gif().toBuffer(), 'x.gif'), source);
  const avif = await decodeImage(await base().avif({ quality: 100 }).toBuffer(), 'x.avif');
  assert.equal(avif.width, 2);
  assert.ok(maxDiff(avif, source) < 60, 'AVIF is lossy, the colours are near');
  // Two frames: red then blue; the first is taken.
  const frames = Buffer.concat([Buffer.alloc(12, 0).map((_, i) => (i % 3 === 0 ? 255 : 0)), Buffer.alloc(12, 0).map((_, i) => (i % 3 === 2 ? 255 : 0))]);
  const animated = await sharp(frames, { raw: { width: 2, height: 4, channels: 3, pageHeight: 2 } as never }).gif().toBuffer();
  assert.equal((await sharp(animated, { pages: -1 }).metadata()).pages, 2);
  assert.deepEqual(await decodeImage(animated), rgb(2, 2, [255, 0, 0], [255, 0, 0], [255, 0, 0], [255, 0, 0]));
});

test('BMP: 24/32-bit, 1/4/8-bit palettes, 16-bit, bit fields with alpha, bottom-up and top-down', async () => {
  const red = 0xff0000; const green = 0x00ff00; const blue = 0x0000ff;
  const want = rgb(3, 2, [255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30], [40, 50, 60], [70, 80, 90]);
  const packed = [red, green, blue, 0x0a141e, 0x28323c, 0x46505a];
  for (const topDown of [false, true]) {
    assert.deepEqual(await decodeImage(bmpFile({ width: 3, height: 2, bitsPerPixel: 24, topDown, pixels: packed })), want, `24-bit topDown=${topDown}`);
    assert.deepEqual(await decodeImage(bmpFile({ width: 3, height: 2, bitsPerPixel: 32, topDown, pixels: packed })), want, `32-bit topDown=${topDown}`);
  }
  const palette: Array<[number, number, number]> = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]];
  for (const bitsPerPixel of [1, 4, 8] as const) {
    const n = bitsPerPixel === 1 ? 2 : 4;
    const pixels = [0, 1, 2, 3, 1, 0, 3, 2, 1].map((i) => i % n);
    const expected = rgb(9, 1, ...pixels.map((i) => palette[i]!));
    assert.deepEqual(await decodeImage(bmpFile({ width: 9, height: 1, bitsPerPixel, palette: palette.slice(0, n), pixels })), expected, `${bitsPerPixel}-bit`);
  }
  // 16-bit 5-5-5: 31 -> 255, 16 -> 132.
  assert.deepEqual(await decodeImage(bmpFile({ width: 2, height: 1, bitsPerPixel: 16, pixels: [0x7c00, (16 << 5) | 31] })), rgb(2, 1, [255, 0, 0], [0, 132, 255]));
  // 32-bit bit fields with alpha: opaque red, transparent blue (white), half-transparent black.
  const masks: [number, number, number, number] = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
  const alpha = bmpFile({ width: 3, height: 1, bitsPerPixel: 32, masks, pixels: [0xffff0000, 0x000000ff, 0x80000000] });
  assert.deepEqual(await decodeImage(alpha), rgb(3, 1, [255, 0, 0], [255, 255, 255], [127, 127, 127]));
  // Refused with a message: RLE, truncated pixels.
  const rle = Buffer.from(bmpFile({ width: 2, height: 1, bitsPerPixel: 8, palette, pixels: [0, 1] }));
  rle.writeUInt32LE(1, 30);
  await assert.rejects(decodeImage(rle, 'r.bmp'), /r\.bmp: corrupt or unsupported image \(BMP: RLE8-compressed BMP is not supported; convert it to PNG\)/);
  await assert.rejects(decodeImage(bmpFile({ width: 3, height: 2, bitsPerPixel: 24, pixels: packed }).subarray(0, 60), 't.bmp'), /t\.bmp: .*truncated BMP/);
});

test('the pixel limit is read from the header: a small file declaring a huge image costs nothing', async () => {
  const small = encodePng(img);
  const cases: Array<[string, Uint8Array, string]> = [
    ['huge.png', withPngSize(small, 10_000, 10_000), '10000x10000'],
    ['huge.jpg', withJpegSize(greyJpeg(), 9000, 9000), '9000x9000'],
    ['huge.bmp', withBmpSize(bmpFile({ width: 1, height: 1, bitsPerPixel: 24, pixels: [0] }), 20_000, 20_000), '20000x20000'],
    ['huge.webp', await sharp({ create: { width: 5000, height: 4000, channels: 3, background: 'red' } }).webp({ quality: 1 }).toBuffer(), '5000x4000'],
  ];
  // The PNG, JPEG and BMP files hold 1-6 pixels behind their forged headers: refused at the header's size, they were never decoded.
  for (const [name, bytes, size] of cases) {
    const err = await decodeImage(bytes, name).then(() => undefined, (e: Error) => e);
    assert.ok(err instanceof ImageTooLargeError, `${name}: ${String(err)}`);
    assert.match(err.message, new RegExp(`^${name.replace('.', '\\.')}: image is ${size} \\(\\d+\\.\\d MP\\), over the limit of 16,777,216 pixels \\(16\\.8 MP\\); downscale it, or raise maxImagePixels$`));
  }
  // The limit is a parameter: 3x2 = 6 pixels.
  await assert.rejects(decodeImage(small, 's', { maxPixels: 5 }), /s: image is 3x2 \(0\.0 MP\), over the limit of 5 pixels/);
  assert.deepEqual(await decodeImage(small, 's', { maxPixels: 6 }), img);
});

test('a genuine 10000x10000 PNG (300 MB of pixels) is refused without decoding it', async () => {
  const png = await solidPng(10_000, 10_000);
  assert.ok(png.length < 400_000, `${png.length} bytes`);
  const rss = process.memoryUsage().rss;
  await assert.rejects(decodeImage(png, 'big.png'), ImageTooLargeError);
  // Decoding would take 300 MB; refusing it from the header takes next to nothing.
  const grew = (process.memoryUsage().rss - rss) / 2 ** 20;
  assert.ok(grew < 64, `RSS grew ${grew.toFixed(0)} MiB`);
});

/** A BMP whose header declares another size (the pixels are not there). */
function withBmpSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = Buffer.from(bytes);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  return out;
}
