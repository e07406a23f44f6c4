/**
 * Instruction phrasings, one list per kind. The model sees several phrasings of the same
 * request, as instruction-tuning data does, but the list is closed so the vocabulary stays small.
 */
import type { Rng } from '../util/rng.ts';
import { definite } from './phrases.ts';
import type { Description } from './vocab.ts';

export const DESCRIBE_INSTRUCTIONS = [
  'Describe the image.',
  'What do you see in this picture?',
  'Give a detailed description of the image.',
  'Describe this picture in detail.',
] as const;

export const OBJECTS_INSTRUCTIONS = [
  'What objects are in the image?',
  'List the objects in this picture.',
  'Which objects can you see?',
] as const;

/** `{X}` is replaced by a definite noun phrase, `the [colour] shape`. */
export const WHERE_TEMPLATES = [
  'Where is {X}?',
  'Where can I find {X}?',
  'In which part of the image is {X}?',
] as const;

/** Pick a random "describe the image" instruction. */
export function describeInstruction(rng: Rng): string {
  return rng.pick(DESCRIBE_INSTRUCTIONS);
}

export function objectsInstruction(rng: Rng): string {
  return rng.pick(OBJECTS_INSTRUCTIONS);
}

/** `whereInstruction(rng, { shape: 'circle', colour: 'red' })` -> `'Where is the red circle?'`. */
export function whereInstruction(rng: Rng, target: Description): string {
  return rng.pick(WHERE_TEMPLATES).replace('{X}', definite({ shape: target.shape, colour: target.colour }));
}
