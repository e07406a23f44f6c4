/**
 * PNG data URLs of request images, encoded once per image. The n candidates of an instruction
 * and every yes/no question about them carry the same image; PNG-encoding it again for each
 * request was a fifth of the engine's CPU time. The encoding is the project's own
 * (`toPngDataUrl`); only how often it runs changes.
 *
 * The cache is a WeakMap keyed by the pixel array, so an entry lives exactly as long as the
 * image does. An entry is only served while the image still has the same size and bytes (a
 * snapshot is compared, a memcmp far cheaper than the encoding): an image whose pixels were
 * changed in place, or another image sharing the array with other dimensions, is re-encoded.
 */
import { toPngDataUrl } from '../../image/codec.ts';
import type { RgbImage } from '../../image/rgb.ts';

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
    const url = toPngDataUrl(image);
    this.encodes++;
    this.entries.set(data, { width: image.width, height: image.height, pixels: Buffer.from(data), url });
    return url;
  }
}

function sameBytes(a: Buffer, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.equals(b);
}
