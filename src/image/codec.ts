/**
 * Image bytes <-> RgbImage. Decoding is libvips' (through sharp) for PNG, JPEG, WebP, GIF (first
 * frame), TIFF (first page) and AVIF, and ours for BMP; whatever the format (any bit depth,
 * palette, grey, CMYK), the result is 8-bit sRGB with EXIF orientation applied and alpha
 * composited over white, because the models see RGB only. Before any pixel is decoded the size
 * the header declares is checked against a pixel limit, so a small file declaring a huge image
 * costs nothing. Encoding stays fast-png's, so exported files and data URLs keep their bytes.
 */
import { encode as encodePngRaw } from 'fast-png';
import sharp from 'sharp';
import type { RgbImage } from './rgb.ts';
import { BmpError, bmpHeader, decodeBmp } from './bmp.ts';
import { DEFAULT_MAX_IMAGE_PIXELS } from './limits.ts';
import { describeContent, imageFormat, READABLE_FORMATS, type ImageFormat } from './formats.ts';
import { RlaifvError } from '../util/errors.ts';

export { imageFormat, isJpeg, isPng, type ImageFormat } from './formats.ts';
export { DEFAULT_MAX_IMAGE_PIXELS } from './limits.ts';

// libvips' operation cache would keep decoded images of past requests; each image is decoded once.
sharp.cache(false);


export interface DecodeLimits {
  /** Largest width x height accepted, read from the header before decoding; Infinity for none (bytes already checked). */
  maxPixels?: number;
}

export class ImageDecodeError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

/** The header declares more pixels than the limit allows; nothing was decoded. */
export class ImageTooLargeError extends ImageDecodeError {
  constructor(what: string, readonly width: number, readonly height: number, readonly limit: number) {
    super(`${what}: image is ${width}x${height} (${mp(width * height)}), over the limit of ${limit.toLocaleString('en')} pixels (${mp(limit)}); downscale it, or raise maxImagePixels`);
    this.name = 'ImageTooLargeError';
  }
}

/** Lossless PNG of an RGB image. */
export function encodePng(image: RgbImage): Uint8Array {
  assertRgb(image);
  return encodePngRaw({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}

/**
 * Decode image bytes of any readable format to 8-bit sRGB; `what` names the source in errors (a
 * path, a record's field). `await decodeImage(bytes, 'a.png', { maxPixels: 4096 * 4096 })`.
 * Throws ImageTooLargeError (a ImageDecodeError) for an image over the limit, ImageDecodeError
 * for anything unreadable; neither message prints the bytes.
 */
export async function decodeImage(bytes: Uint8Array, what = 'image', limits: DecodeLimits = {}): Promise<RgbImage> {
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS;
  const format = imageFormat(bytes);
  if (!format) throw new ImageDecodeError(`${what}: not a ${READABLE_FORMATS} image (${describeContent(bytes)}); convert it to PNG or JPEG`);
  try {
    return format === 'bmp' ? decodeBmpChecked(bytes, what, maxPixels) : await decodeWithSharp(bytes, what, maxPixels);
  } catch (err) {
    if (err instanceof ImageDecodeError) throw err;
    throw new ImageDecodeError(`${what}: corrupt or unsupported image (${FORMAT_NAMES[format]}: ${vipsMessage((err as Error).message)})`);
  }
}

const FORMAT_NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', tiff: 'TIFF', avif: 'AVIF', bmp: 'BMP' };

async function decodeWithSharp(bytes: Uint8Array, what: string, maxPixels: number): Promise<RgbImage> {
  // 'truncated' refuses cut-off files but takes the harmless warnings (extraneous bytes before a
  // JPEG marker) that a stricter level would fail and jpeg-js used to accept.
  const options = { failOn: 'truncated', limitInputPixels: Number.isFinite(maxPixels) ? maxPixels : false, sequentialRead: true } as const;
  // The header alone; sharp's own limit would refuse here too, with a message naming nothing.
  const { width, height } = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  checkPixels(what, width, height, maxPixels);
  const { data, info } = await sharp(bytes, options)
    .autoOrient()
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

function decodeBmpChecked(bytes: Uint8Array, what: string, maxPixels: number): RgbImage {
  try {
    const header = bmpHeader(bytes);
    checkPixels(what, header.width, header.height, maxPixels);
    return decodeBmp(bytes, header);
  } catch (err) {
    if (err instanceof BmpError) throw new ImageDecodeError(`${what}: corrupt or unsupported image (BMP: ${err.message})`);
    throw err;
  }
}

function checkPixels(what: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw new ImageTooLargeError(what, width, height, maxPixels);
}

/** `data:image/png;base64,...` for chat `image_url` parts (docs/method.md §8). */
export function toPngDataUrl(image: RgbImage): string {
  return `data:image/png;base64,${Buffer.from(encodePng(image)).toString('base64')}`;
}

/** Decode a `data:image/...;base64,` URL (the format is told by the bytes, not the declared type). */
export async function decodeDataUrl(url: string, what = 'image data URL', limits: DecodeLimits = {}): Promise<RgbImage> {
  const m = /^data:image\/[a-z0-9.+-]+;base64,(.*)$/is.exec(url);
  if (!m) throw new ImageDecodeError(`${what}: expected 'data:image/<type>;base64,<data>', got '${url.slice(0, 40)}...'`);
  return decodeImage(new Uint8Array(Buffer.from(m[1]!, 'base64')), what, limits);
}

function assertRgb(image: RgbImage): void {
  const want = image.width * image.height * 3;
  if (image.data.length !== want) {
    throw new Error(`RgbImage ${image.width}x${image.height} needs ${want} bytes, has ${image.data.length}`);
  }
}

const mp = (pixels: number) => `${(pixels / 1e6).toFixed(1)} MP`;

/** libvips' error log on one line, each distinct line once (it repeats them): `'VipsJpeg: premature end of JPEG image'`. */
function vipsMessage(message: string): string {
  const lines = message.split(/\n|(?=Vips\w+: )/).map((l) => l.replace(/\s+/g, ' ').replace(/[:\s]+$/, '').trim()).filter(Boolean);
  return [...new Set(lines)].join('; ');
}
