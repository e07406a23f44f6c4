/**
 * Scene -> 48x48 RGB image: a 3x3 grid of 16x16 cells (the model cuts exactly these cells as
 * patches, so every object stays inside its own cell), a light noisy background, anti-aliased
 * shapes with a little size, position and colour variation.
 */
import type { RgbImage } from '../image/rgb.ts';
import { encodePng } from '../image/codec.ts';
import { Rng, deriveSeed } from '../util/rng.ts';
import { SHAPE_MASKS } from './shape-masks.ts';
import type { Colour, Scene, WorldObject } from './vocab.ts';

export const IMAGE_SIZE = 48;
export const CELL_SIZE = 16;
/** Background base colour; pixel noise is added around it. */
export const BACKGROUND: readonly [number, number, number] = [226, 224, 218];
/** Standard deviation of background pixel noise, per channel. */
const BACKGROUND_NOISE = 3;
export const PALETTE: Readonly<Record<Colour, readonly [number, number, number]>> = {
  red: [214, 39, 40],
  green: [44, 160, 44],
  blue: [31, 90, 200],
  yellow: [236, 196, 10],
  purple: [148, 60, 190],
  orange: [250, 125, 14],
};
/** Object diameters in pixels: [min, max] inclusive. */
const DIAMETERS = { small: [6, 8], large: [12, 14] } as const;
const COLOUR_JITTER = 8;
const SUPERSAMPLE = 4;

/**
 * Render a scene; `seed` (default: derived from the scene id) drives noise and jitter only.
 * @example
 * const image = renderScene(world.scene('train', 0)); // { width: 48, height: 48, data }
 */
export function renderScene(scene: Scene, seed = deriveSeed('render', scene.id)): RgbImage {
  const rng = new Rng(seed);
  const data = new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * 3);
  for (let i = 0; i < IMAGE_SIZE * IMAGE_SIZE; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = clampByte(BACKGROUND[c]! + rng.normal() * BACKGROUND_NOISE);
  }
  for (const o of scene.objects) drawObject(data, o, rng);
  return { width: IMAGE_SIZE, height: IMAGE_SIZE, data };
}

/** PNG bytes of a rendered scene, for people to look at. */
export function sceneToPng(scene: Scene, seed?: number): Uint8Array {
  return encodePng(renderScene(scene, seed));
}

function drawObject(data: Uint8Array, o: WorldObject, rng: Rng): void {
  const [lo, hi] = DIAMETERS[o.size];
  const d = lo + rng.int(hi - lo + 1);
  const slack = (CELL_SIZE - d) / 2; // the largest shift that keeps the shape inside its cell
  const cx = o.col * CELL_SIZE + CELL_SIZE / 2 + (rng.next() * 2 - 1) * slack;
  const cy = o.row * CELL_SIZE + CELL_SIZE / 2 + (rng.next() * 2 - 1) * slack;
  const colour = PALETTE[o.colour].map((v) => clampByte(v + rng.normal() * COLOUR_JITTER));
  const inside = SHAPE_MASKS[o.shape];
  const r = d / 2;
  // Loop over the shape's bounding box, not its cell, so a placement bug would show (tests check empty cells).
  const x0 = Math.max(0, Math.floor(cx - r)), x1 = Math.min(IMAGE_SIZE, Math.ceil(cx + r));
  const y0 = Math.max(0, Math.floor(cy - r)), y1 = Math.min(IMAGE_SIZE, Math.ceil(cy + r));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const u = (x + (sx + 0.5) / SUPERSAMPLE - cx) / r;
          const v = (y + (sy + 0.5) / SUPERSAMPLE - cy) / r;
          if (inside(u, v)) hits++;
        }
      }
      if (hits === 0) continue;
      const alpha = hits / (SUPERSAMPLE * SUPERSAMPLE);
      const p = (y * IMAGE_SIZE + x) * 3;
      for (let c = 0; c < 3; c++) data[p + c] = clampByte(alpha * colour[c]! + (1 - alpha) * data[p + c]!);
    }
  }
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
