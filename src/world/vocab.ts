/**
 * The world's closed vocabulary: shapes, colours, sizes and a 3x3 grid of positions, and the
 * object/scene types built from them. Everything else in src/world/ is derived from these lists.
 */

/** Shapes chosen to stay distinguishable when drawn ~7 px (small) and ~14 px (large) wide. */
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'ring', 'star', 'bar'] as const;
export const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange'] as const;
export const SIZES = ['small', 'large'] as const;
/** Row names, index = grid row (0 = top). */
export const ROWS = ['top', 'middle', 'bottom'] as const;
/** Column names, index = grid column (0 = left). */
export const COLS = ['left', 'centre', 'right'] as const;
/** Number words used by object lists; index + 1 = the number. */
export const NUMBERS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

export type Shape = (typeof SHAPES)[number];
export type Colour = (typeof COLOURS)[number];
export type Size = (typeof SIZES)[number];
export type GridIndex = 0 | 1 | 2;

export interface WorldObject {
  shape: Shape;
  colour: Colour;
  size: Size;
  row: GridIndex;
  col: GridIndex;
}

/** 1..maxObjects objects, each in a distinct cell, stored in reading order (row, then column). */
export interface Scene {
  id: string;
  objects: WorldObject[];
}

/** What a phrase says about an object: the shape always, the other attributes when stated. */
export interface Description {
  shape: Shape;
  colour?: Colour;
  size?: Size;
  row?: GridIndex;
  col?: GridIndex;
}

export const isShape = (w: string): w is Shape => (SHAPES as readonly string[]).includes(w);
export const isColour = (w: string): w is Colour => (COLOURS as readonly string[]).includes(w);
export const isSize = (w: string): w is Size => (SIZES as readonly string[]).includes(w);
export const rowIndex = (w: string): GridIndex | undefined => indexIn(ROWS, w);
export const colIndex = (w: string): GridIndex | undefined => indexIn(COLS, w);

function indexIn(list: readonly string[], w: string): GridIndex | undefined {
  const i = list.indexOf(w);
  return i < 0 ? undefined : (i as GridIndex);
}

/** Cell number 0..8 in reading order: `cellOf({ row: 1, col: 2 })` -> 5. */
export function cellOf(o: { row: number; col: number }): number {
  return o.row * 3 + o.col;
}

/** True when the object has every attribute the description states. */
export function matches(o: WorldObject, d: Description): boolean {
  return o.shape === d.shape
    && (d.colour === undefined || o.colour === d.colour)
    && (d.size === undefined || o.size === d.size)
    && (d.row === undefined || o.row === d.row)
    && (d.col === undefined || o.col === d.col);
}

/** How many of the stated attributes colour, size and position (one attribute) the object has. */
export function agreement(o: WorldObject, d: Description): number {
  const stated = d.row !== undefined || d.col !== undefined;
  return Number(d.colour !== undefined && o.colour === d.colour)
    + Number(d.size !== undefined && o.size === d.size)
    + Number(stated && (d.row === undefined || o.row === d.row) && (d.col === undefined || o.col === d.col));
}

/**
 * Canonical content of a scene (ids ignored, order-independent), used for split assignment:
 * `sceneKey(s)` -> `'00:large-red-circle|12:small-blue-star'`.
 */
export function sceneKey(objects: readonly WorldObject[]): string {
  return [...objects]
    .sort((a, b) => cellOf(a) - cellOf(b))
    .map((o) => `${o.row}${o.col}:${o.size}-${o.colour}-${o.shape}`)
    .join('|');
}
