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

export interface BmpSpec {
  width: number;
  height: number;
  bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32;
  /** Rows top row first in the file (a negative height). */
  topDown?: boolean;
  /** R, G, B per entry, for 1/4/8-bit images. */
  palette?: Array<[number, number, number]>;
  /** The stored value of each pixel, row-major from the top: a palette index or the packed 16/32-bit value; for 24-bit, R<<16|G<<8|B. */
  pixels: number[];
  /** BI_BITFIELDS masks (R, G, B, A) in a 124-byte V5 header; without them a 40-byte header and BI_RGB. */
  masks?: [number, number, number, number];
}

/** A BMP file written by the book (rows padded to 4 bytes, stored B, G, R), to test the decoder against. */
export function bmpFile(spec: BmpSpec): Uint8Array {
  const { width, height, bitsPerPixel: bpp } = spec;
  const headerSize = spec.masks ? 124 : 40;
  const palette = spec.palette ?? [];
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const dataOffset = 14 + headerSize + palette.length * 4;
  const out = Buffer.alloc(dataOffset + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(dataOffset, 10);
  out.writeUInt32LE(headerSize, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(spec.topDown ? -height : height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bpp, 28);
  out.writeUInt32LE(spec.masks ? 3 : 0, 30);
  out.writeUInt32LE(palette.length, 46);
  if (spec.masks) spec.masks.forEach((m, i) => out.writeUInt32LE(m >>> 0, 54 + 4 * i));
  palette.forEach(([r, g, b], i) => out.set([b, g, r, 0], 14 + headerSize + 4 * i));
  for (let y = 0; y < height; y++) {
    const row = dataOffset + stride * (spec.topDown ? y : height - 1 - y);
    for (let x = 0; x < width; x++) {
      const p = spec.pixels[y * width + x]!;
      if (bpp <= 8) {
        const bit = x * bpp;
        out[row + (bit >> 3)] = out[row + (bit >> 3)]! | (p << (8 - bpp - (bit & 7)));
      } else if (bpp === 16) out.writeUInt16LE(p, row + 2 * x);
      else if (bpp === 24) out.set([p & 0xff, (p >> 8) & 0xff, (p >> 16) & 0xff], row + 3 * x);
      else out.writeUInt32LE(p >>> 0, row + 4 * x);
    }
  }
  return out;
}
