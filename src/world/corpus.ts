/**
 * Every word the world's language can produce, for building the model vocabulary.
 * Derived from the same lists the generators use, so it cannot drift from them.
 */
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { DESCRIBE_INSTRUCTIONS, OBJECTS_INSTRUCTIONS, WHERE_TEMPLATES } from './instructions.ts';
import { PREPOSITIONS } from './phrases.ts';
import { capitalise } from './phrases.ts';
import { tokenize } from './tokens.ts';
import { COLOURS, COLS, NUMBERS, ROWS, SHAPES, SIZES } from './vocab.ts';

/** Words of the sentence templates in describe.ts, answers.ts, questions.ts and claims.ts. */
const TEMPLATE_WORDS = [
  'There', 'there', 'is', 'Is', 'are', 'Are', 'a', 'an', 'A', 'An', 'the', 'The', 'I', 'can', 'see',
  'no', 'object', 'objects', 'and', 'Yes', 'No',
  ...PREPOSITIONS, ...PREPOSITIONS.map(capitalise),
  '.', ',', '?', ':',
];

let cached: string[] | undefined;

/**
 * Sorted list of every word (and punctuation token) any generated text can contain.
 * @example
 * corpus().includes('circle'); // true
 */
export function corpus(): string[] {
  cached ??= [...new Set([
    ...SHAPES, ...COLOURS, ...SIZES, ...ROWS, ...COLS, ...NUMBERS, ...TEMPLATE_WORDS,
    ...[...DESCRIBE_INSTRUCTIONS, ...OBJECTS_INSTRUCTIONS, ...WHERE_TEMPLATES.map((t) => t.replace('{X}', '')), YES_NO_SUFFIX]
      .flatMap(tokenize),
  ])].sort();
  return [...cached];
}

let lowerSet: Set<string> | undefined;

/** True when the word (any case) belongs to the language: parse.ts reports the others as unknown. */
export function isKnownWord(word: string): boolean {
  lowerSet ??= new Set(corpus().map((w) => w.toLowerCase()));
  return lowerSet.has(word.toLowerCase());
}
