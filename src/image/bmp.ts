/**
 * BMP, which libvips does not read: uncompressed 1/4/8-bit palette, 16/24/32-bit and bit-field
 * images, bottom-up or top-down, with the 12-byte OS/2 header or the 40- to 124-byte Windows
 * ones. RLE and embedded JPEG/PNG compression are refused with a message. An alpha channel
 * (bit fields with an alpha mask) is composited over white, as for every other format.
 */
import type { RgbImage } from './rgb.ts';

/** A BMP that cannot be read; the caller adds where it came from. */
export class BmpError extends Error {}

export interface BmpHeader {
  width: number;
  height: number;
  /** Rows stored top row first (a negative height in the file). */
  topDown: boolean;
  bitsPerPixel: number;
  /** 0 BI_RGB, 3 BI_BITFIELDS, 6 BI_ALPHABITFIELDS. */
  compression: number;
  dataOffset: number;
  /** 8-bit R, G, B per entry, for 1/4/8-bit images. */
  palette: Uint8Array;
  /** Bit masks of R, G, B, A (A is 0 when there is none), for 16/32-bit images. */
  masks: [number, number, number, number];
}

const COMPRESSION_NAMES: Record<number, string> = { 1: 'RLE8', 2: 'RLE4', 4: 'embedded JPEG', 5: 'embedded PNG' };

/** The header, read without touching the pixels: `bmpHeader(bytes).width`. */
export function bmpHeader(bytes: Uint8Array): BmpHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 26) throw new BmpError(`file of ${bytes.length} bytes is shorter than a BMP header`);
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  const core = headerSize === 12;
  if (!core && ![40, 52, 56, 108, 124].includes(headerSize)) throw new BmpError(`unknown BMP header size ${headerSize}`);
  if (bytes.length < 14 + headerSize) throw new BmpError('truncated BMP header');
  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const rawHeight = core ? v.getUint16(20, true) : v.getInt32(22, true);
  const bitsPerPixel = core ? v.getUint16(24, true) : v.getUint16(28, true);
  const compression = core ? 0 : v.getUint32(30, true);
  if (width <= 0 || rawHeight === 0) throw new BmpError(`BMP header declares ${width}x${rawHeight} pixels`);
  if (COMPRESSION_NAMES[compression]) throw new BmpError(`${COMPRESSION_NAMES[compression]}-compressed BMP is not supported; convert it to PNG`);
  if (compression !== 0 && compression !== 3 && compression !== 6) throw new BmpError(`BMP compression ${compression} is not supported`);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw new BmpError(`${bitsPerPixel}-bit BMP is not supported`);
  if (compression !== 0 && bitsPerPixel !== 16 && bitsPerPixel !== 32) throw new BmpError(`bit fields need a 16- or 32-bit BMP, got ${bitsPerPixel}-bit`);

  let masks: [number, number, number, number] = bitsPerPixel === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0x00ff00, 0x0000ff, 0];
  let paletteAt = 14 + headerSize;
  if (compression !== 0) {
    // Masks sit inside the larger headers, right after the 40-byte one otherwise.
    const at = 54;
    const count = compression === 6 || headerSize >= 56 ? 4 : 3;
    if (bytes.length < at + 4 * count) throw new BmpError('truncated BMP bit masks');
    masks = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true), count === 4 ? v.getUint32(at + 12, true) : 0];
    if (headerSize === 40) paletteAt += 4 * count;
  }
  let palette = new Uint8Array(0);
  if (bitsPerPixel <= 8) {
    const entrySize = core ? 3 : 4;
    const used = core ? 0 : v.getUint32(46, true);
    const count = used > 0 && used <= 2 ** bitsPerPixel ? used : 2 ** bitsPerPixel;
    const available = Math.floor((Math.min(dataOffset, bytes.length) - paletteAt) / entrySize);
    const n = Math.max(0, Math.min(count, available));
    if (n === 0) throw new BmpError(`${bitsPerPixel}-bit BMP without a palette`);
    palette = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      const at = paletteAt + i * entrySize; // stored B, G, R(, reserved)
      palette.set([bytes[at + 2]!, bytes[at + 1]!, bytes[at]!], i * 3);
    }
  }
  return { width, height: Math.abs(rawHeight), topDown: rawHeight < 0, bitsPerPixel, compression, dataOffset, palette, masks };
}

/** Decode the pixels of a BMP whose header was read (and its size checked) by `bmpHeader`. */
export function decodeBmp(bytes: Uint8Array, h: BmpHeader): RgbImage {
  const { width, height, bitsPerPixel: bpp } = h;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (h.dataOffset + stride * height > bytes.length) {
    throw new BmpError(`truncated BMP: ${width}x${height} at ${bpp} bits needs ${h.dataOffset + stride * height} bytes, the file has ${bytes.length}`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint8Array(width * height * 3);
  const [red, green, blue, alphaOf] = h.masks.map(maskShape) as [Channel, Channel, Channel, Channel];
  const colours = h.palette.length / 3;
  for (let y = 0; y < height; y++) {
    const row = h.dataOffset + stride * (h.topDown ? y : height - 1 - y);
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const p = Math.min(index, colours - 1) * 3; // an index past a short palette takes its last colour
        out[o] = h.palette[p]!; out[o + 1] = h.palette[p + 1]!; out[o + 2] = h.palette[p + 2]!;
      } else if (bpp === 24) {
        out[o] = bytes[row + x * 3 + 2]!; out[o + 1] = bytes[row + x * 3 + 1]!; out[o + 2] = bytes[row + x * 3]!;
      } else {
        const px = bpp === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true);
        const a = alphaOf(px);
        const alpha = a === undefined ? 1 : a / 255;
        out[o] = Math.round(red(px)! * alpha + 255 * (1 - alpha));
        out[o + 1] = Math.round(green(px)! * alpha + 255 * (1 - alpha));
        out[o + 2] = Math.round(blue(px)! * alpha + 255 * (1 - alpha));
      }
    }
  }
  return { width, height, data: out };
}

type Channel = (px: number) => number | undefined;

/** A mask's channel value scaled to 0-255 (`undefined` for an absent mask: no alpha). */
function maskShape(mask: number): Channel {
  if (mask === 0) return () => undefined;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1 && shift + bits < 32) bits++;
  const max = 2 ** bits - 1;
  return (px) => Math.round((((px & mask) >>> shift) * 255) / max);
}
