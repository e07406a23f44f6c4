/**
 * Building blocks of the world's English: noun phrases, position phrases, number words.
 * Every sentence the language produces is assembled from these, so parse.ts can invert them.
 */
import { COLS, NUMBERS, ROWS } from './vocab.ts';
import type { Description, GridIndex, WorldObject } from './vocab.ts';

/** Prepositions a position phrase may start with. */
export const PREPOSITIONS = ['at', 'in', 'on'] as const;
export type Preposition = (typeof PREPOSITIONS)[number];

/** Which optional attributes a phrase states. */
export interface Stated {
  colour?: boolean;
  size?: boolean;
  position?: boolean;
}

/** Keep only the stated attributes: `describeAs(obj, { colour: true })` -> `{ shape, colour }`. */
export function describeAs(o: WorldObject, stated: Stated): Description {
  const d: Description = { shape: o.shape };
  if (stated.colour) d.colour = o.colour;
  if (stated.size) d.size = o.size;
  if (stated.position) { d.row = o.row; d.col = o.col; }
  return d;
}

/** `[size] [colour] shape`, no article: `bareNoun({ shape: 'star', colour: 'red' })` -> `'red star'`. */
export function bareNoun(d: Description): string {
  return [d.size, d.colour, d.shape].filter(Boolean).join(' ');
}

/** Indefinite noun phrase: `'a large red circle'`, `'an orange star'`. */
export function indefinite(d: Description): string {
  const noun = bareNoun(d);
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Definite noun phrase: `'the red circle'`. */
export function definite(d: Description): string {
  return `the ${bareNoun(d)}`;
}

/** `'at the top left'`; undefined when the description has no full position. */
export function position(d: { row?: GridIndex; col?: GridIndex }, prep: Preposition = 'at'): string | undefined {
  if (d.row === undefined || d.col === undefined) return undefined;
  return `${prep} the ${ROWS[d.row]} ${COLS[d.col]}`;
}

/** Noun phrase followed by its position phrase when it has one. */
export function indefiniteWithPosition(d: Description, prep: Preposition = 'at'): string {
  const pos = position(d, prep);
  return pos ? `${indefinite(d)} ${pos}` : indefinite(d);
}

export function numberWord(n: number): string {
  const w = NUMBERS[n - 1];
  if (!w) throw new Error(`numberWord: the language counts 1..${NUMBERS.length}, got ${n}`);
  return w;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `['a', 'b', 'c']` -> `'a, b and c'`. */
export function listJoin(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
