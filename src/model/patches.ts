/**
 * Image -> visual-token inputs: resize to the model's square input, cut into patches, normalise.
 */
import type { RgbImage } from '../image/rgb.ts';

/** Bilinear resize (identity when the size already matches, the common case for world images). */
function resize(image: RgbImage, size: number): RgbImage {
  if (image.width === size && image.height === size) return image;
  const out = new Uint8Array(size * size * 3);
  const sx = image.width / size;
  const sy = image.height / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => image.data[(yy * image.width + xx) * 3 + c]!;
        const v = (1 - wy) * ((1 - wx) * p(y0, x0) + wx * p(y0, x1)) + wy * ((1 - wx) * p(y1, x0) + wx * p(y1, x1));
        out[(y * size + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return { width: size, height: size, data: out };
}

/**
 * Patches in reading order, each flattened row-major (y, x, channel), scaled to about [-1, 1].
 * Writes into `out` at `offset` (length nPatches * patchDim) so batches fill one buffer.
 */
export function writePatches(image: RgbImage, imageSize: number, patchSize: number, out: Float32Array, offset: number): void {
  const img = resize(image, imageSize);
  const grid = imageSize / patchSize;
  let o = offset;
  for (let py = 0; py < grid; py++) {
    for (let px = 0; px < grid; px++) {
      for (let y = 0; y < patchSize; y++) {
        const row = (py * patchSize + y) * imageSize;
        for (let x = 0; x < patchSize; x++) {
          const i = (row + px * patchSize + x) * 3;
          out[o++] = img.data[i]! / 127.5 - 1;
          out[o++] = img.data[i + 1]! / 127.5 - 1;
          out[o++] = img.data[i + 2]! / 127.5 - 1;
        }
      }
    }
  }
}
