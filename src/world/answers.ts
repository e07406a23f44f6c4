/**
 * Reference answers for the non-description instructions: object lists, "where is the X",
 * and negations. Answers are exact functions of the scene (no randomness).
 */
import { capitalise, definite, indefinite, indefiniteWithPosition, listJoin, numberWord, position } from './phrases.ts';
import { matches } from './vocab.ts';
import type { Description, Scene } from './vocab.ts';

/**
 * All objects, colour and shape, in reading order.
 * @example
 * objectsAnswer(scene); // 'There are three objects: a red circle, a blue square and a green star.'
 */
export function objectsAnswer(scene: Scene): string {
  const items = scene.objects.map((o) => indefinite({ shape: o.shape, colour: o.colour }));
  const n = items.length;
  if (n === 0) throw new Error(`objectsAnswer: scene '${scene.id}' has no objects; scenes hold at least one`);
  return n === 1 ? `There is one object: ${items[0]}.` : `There are ${numberWord(n)} objects: ${listJoin(items)}.`;
}

/**
 * Where the target (`[colour] shape`) is: one sentence per matching object, or a negation.
 * @example
 * whereAnswer(scene, { shape: 'circle' }); // 'The red circle is at the top left.'
 * whereAnswer(scene, { shape: 'star', colour: 'red' }); // 'There is no red star.'
 */
export function whereAnswer(scene: Scene, target: Description): string {
  const query: Description = { shape: target.shape, colour: target.colour };
  const found = scene.objects.filter((o) => matches(o, query));
  if (found.length === 0) return negationSentence(query);
  if (found.length === 1) {
    const o = found[0]!;
    return `${capitalise(definite({ shape: o.shape, colour: o.colour }))} is ${position(o)}.`;
  }
  return found.map((o) => `There is ${indefiniteWithPosition({ shape: o.shape, colour: o.colour, row: o.row, col: o.col })}.`).join(' ');
}

/** `negationSentence({ shape: 'square', colour: 'red' })` -> `'There is no red square.'` (a negation, not a mention). */
export function negationSentence(d: Description): string {
  const pos = position(d);
  return `There is no ${[d.size, d.colour, d.shape].filter(Boolean).join(' ')}${pos ? ` ${pos}` : ''}.`;
}
