/**
 * Crafted image files for the decoder tests and the image bench: a genuine large PNG written
 * without holding its pixels, and small files whose header declares a size they do not hold.
 */
import { createDeflate } from 'node:zlib';
import jpeg from 'jpeg-js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * A valid 8-bit RGB PNG of one colour, streamed through deflate row by row, so that a
 * 10000x10000 image (300 MB of pixels) costs the writer a row and gives a ~290 KB file.
 * `await solidPng(10_000, 10_000)`.
 */
export async function solidPng(width: number, height: number, rgb: [number, number, number] = [200, 200, 200]): Promise<Uint8Array> {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3); // filter byte 0 (None), then the pixels
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((ok, fail) => { deflate.on('end', ok); deflate.on('error', fail); });
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((ok) => deflate.once('drain', ok));
  }
  deflate.end();
  await done;
  return pngFile(width, height, 8, 2, Buffer.concat(parts));
}

/** A PNG from its IHDR fields and already deflated image data (one IDAT chunk). */
export function pngFile(width: number, height: number, depth: number, colourType: number, idat: Uint8Array, extra: Array<[string, Uint8Array]> = []): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE), chunk('IHDR', ihdr), ...extra.map(([t, d]) => chunk(t, d)), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * The same PNG with its IHDR width and height replaced (and its CRC fixed): a small file that
 * declares a huge image, as a hostile client would send. `withPngSize(png, 10_000, 10_000)`.
 */
export function withPngSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = Buffer.from(png);
  if (out.toString('latin1', 12, 16) !== 'IHDR') throw new Error('withPngSize: the first chunk is not IHDR');
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/**
 * A small baseline JPEG whose SOF0 header declares `width` x `height` (the scan still holds
 * 8x8 pixels): `withJpegSize(greyJpeg(), 9000, 9000)` is ~700 bytes claiming 81 MP.
 */
export function withJpegSize(bytes: Uint8Array, width: number, height: number): Uint8Array {
  const out = Buffer.from(bytes);
  let at = 2;
  while (at + 4 < out.length) {
    if (out[at] !== 0xff) throw new Error(`withJpegSize: no marker at byte ${at}`);
    const marker = out[at + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, at + 5);
      out.writeUInt16BE(width, at + 7);
      return out;
    }
    at += 2 + out.readUInt16BE(at + 2);
  }
  throw new Error('withJpegSize: no SOF marker');
}

/** An 8x8 baseline JPEG of one grey level. */
export function greyJpeg(level = 128, size = 8): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: size, height: size, data: new Uint8Array(size * size * 4).fill(level) }, 90).data);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 of PNG chunks (and of zip, gzip). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
