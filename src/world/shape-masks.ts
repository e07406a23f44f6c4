/**
 * Inside-tests for each shape in unit coordinates: (u, v) in [-1, 1]^2, v pointing down.
 * The renderer supersamples these to anti-alias; areas are roughly balanced so that size,
 * not shape, decides how many pixels an object covers.
 */
import type { Shape } from './vocab.ts';

type Inside = (u: number, v: number) => boolean;

const STAR = starPolygon(5, 1, 0.45);

export const SHAPE_MASKS: Readonly<Record<Shape, Inside>> = {
  circle: (u, v) => u * u + v * v <= 1,
  square: (u, v) => Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85,
  // Apex up, base at v = 0.9.
  triangle: (u, v) => v <= 0.9 && v >= -1 && Math.abs(u) <= (v + 1) / 1.9,
  diamond: (u, v) => Math.abs(u) + Math.abs(v) <= 1,
  cross: (u, v) => (Math.abs(u) <= 0.34 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.34 && Math.abs(u) <= 1),
  // Thick enough (0.45 of the radius) to stay a ring, not a circle, at 7 px.
  ring: (u, v) => { const r2 = u * u + v * v; return r2 <= 1 && r2 >= 0.55 * 0.55; },
  // The 5-point star spans v in [-1, 0.81]; shift it to be centred in its box.
  star: (u, v) => insidePolygon(STAR, u, v - 0.095),
  bar: (u, v) => Math.abs(u) <= 1 && Math.abs(v) <= 0.36,
};

function starPolygon(points: number, outer: number, inner: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < points * 2; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / points;
    out.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return out;
}

/** Even-odd ray casting. */
function insidePolygon(poly: ReadonlyArray<[number, number]>, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
