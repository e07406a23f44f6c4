/** A short identity of an image's pixels, for cache keys that must not hold the pixels themselves. */
import { createHash } from 'node:crypto';
import type { RgbImage } from './rgb.ts';

/** sha256 of the size and pixels: `imageDigest(img)` -> '3f9a…' (64 hex digits). */
export function imageDigest(image: RgbImage): string {
  return createHash('sha256').update(`${image.width}x${image.height}:`).update(image.data).digest('hex');
}
