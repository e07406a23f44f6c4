/**
 * PNG data URLs of request images, encoded once per image. The n candidates of an instruction
 * and every yes/no question about them carry the same image; PNG-encoding it again for each
 * request was a fifth of the engine's CPU time. The encoding itself uses node's zlib (a third of
 * the time of the pure-JS deflate behind `encodePng`); the pixels a server decodes are the same.
 *
 * The cache is a WeakMap keyed by the pixel array, so an entry lives exactly as long as the
 * image does. An entry is only served while the image still has the same size and bytes (a
 * snapshot is compared, a memcmp far cheaper than the encoding): an image whose pixels were
 * changed in place, or another image sharing the array with other dimensions, is re-encoded.
 */
import { deflateSync } from 'node:zlib';
import type { RgbImage } from '../types.ts';

interface Entry {
  width: number;
  height: number;
  /** A copy of the pixels the URL was made from. */
  pixels: Buffer;
  url: string;
}

export class ImageUrlCache {
  private readonly entries = new WeakMap<Uint8Array, Entry>();
  /** PNG encodings done (cache misses), for tests and diagnostics. */
  encodes = 0;

  /** `data:image/png;base64,...` of `image`: `decodeDataUrl(cache.dataUrl(image))` deep-equals `image`. */
  dataUrl(image: RgbImage): string {
    const data = image.data;
    const hit = this.entries.get(data);
    if (hit && hit.width === image.width && hit.height === image.height && sameBytes(hit.pixels, data)) return hit.url;
    const url = `data:image/png;base64,${pngOf(image).toString('base64')}`;
    this.encodes++;
    this.entries.set(data, { width: image.width, height: image.height, pixels: Buffer.from(data), url });
    return url;
  }
}

function sameBytes(a: Buffer, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.equals(b);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGB PNG of `image`, every row unfiltered, zlib level 6. `decodeImage(pngOf(img))` deep-equals `img`. */
export function pngOf(image: RgbImage): Buffer {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) || data.length !== width * height * 3) {
    throw new Error(`RgbImage ${width}x${height} needs ${width * height * 3} bytes, has ${data.length}`);
  }
  const stride = width * 3;
  const raw = Buffer.allocUnsafe((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses); node's zlib.crc32 is not in every Node 20. */
function crc32(bytes: Uint8Array): number {
  const table = CRC_TABLE ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
