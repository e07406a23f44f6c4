/**
 * Image bytes <-> RgbImage. PNG (any bit depth, palette, grey, alpha) and JPEG are decoded to
 * 8-bit RGB; alpha is composited over white, because the models see RGB only.
 */
import { decode as decodePngRaw, encode as encodePngRaw, convertIndexedToRgb } from 'fast-png';
import jpeg from 'jpeg-js';
import type { RgbImage } from './rgb.ts';
import { RlaifvError } from '../util/errors.ts';

export class ImageDecodeError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Lossless PNG of an RGB image. */
export function encodePng(image: RgbImage): Uint8Array {
  assertRgb(image);
  return encodePngRaw({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}

/** Decode PNG or JPEG bytes; `what` names the source in errors (a path, a record's field). */
export function decodeImage(bytes: Uint8Array, what = 'image'): RgbImage {
  try {
    if (isPng(bytes)) return decodePng(bytes);
    if (isJpeg(bytes)) return decodeJpeg(bytes);
  } catch (err) {
    throw new ImageDecodeError(`${what}: corrupt or unsupported image (${(err as Error).message})`);
  }
  throw new ImageDecodeError(`${what}: not a PNG or JPEG image (first bytes ${hex(bytes.subarray(0, 4))}); convert it to PNG or JPEG`);
}

function decodePng(bytes: Uint8Array): RgbImage {
  const png = decodePngRaw(bytes);
  let data = png.data as ArrayLike<number>;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  }
  const scale = png.depth === 16 ? 1 / 257 : png.depth < 8 ? 255 / (2 ** png.depth - 1) : 1;
  const n = png.width * png.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    let r: number; let g: number; let b: number; let a = 1;
    if (channels >= 3) {
      r = data[i * channels]! * scale; g = data[i * channels + 1]! * scale; b = data[i * channels + 2]! * scale;
      if (channels === 4) a = (data[i * channels + 3]! * scale) / 255;
    } else {
      r = g = b = data[i * channels]! * scale;
      if (channels === 2) a = (data[i * channels + 1]! * scale) / 255;
    }
    out[i * 3] = Math.round(r * a + 255 * (1 - a));
    out[i * 3 + 1] = Math.round(g * a + 255 * (1 - a));
    out[i * 3 + 2] = Math.round(b * a + 255 * (1 - a));
  }
  return { width: png.width, height: png.height, data: out };
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = img.data[i * 4]!;
    out[i * 3 + 1] = img.data[i * 4 + 1]!;
    out[i * 3 + 2] = img.data[i * 4 + 2]!;
  }
  return { width: img.width, height: img.height, data: out };
}

/** `data:image/png;base64,...` for chat `image_url` parts (docs/method.md §8). */
export function toPngDataUrl(image: RgbImage): string {
  return `data:image/png;base64,${Buffer.from(encodePng(image)).toString('base64')}`;
}

/** Decode a `data:image/...;base64,` URL. */
export function decodeDataUrl(url: string, what = 'image data URL'): RgbImage {
  const m = /^data:image\/[a-z0-9.+-]+;base64,(.*)$/is.exec(url);
  if (!m) throw new ImageDecodeError(`${what}: expected 'data:image/<type>;base64,<data>', got '${url.slice(0, 40)}...'`);
  return decodeImage(new Uint8Array(Buffer.from(m[1]!, 'base64')), what);
}

function assertRgb(image: RgbImage): void {
  const want = image.width * image.height * 3;
  if (image.data.length !== want) {
    throw new Error(`RgbImage ${image.width}x${image.height} needs ${want} bytes, has ${image.data.length}`);
  }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
