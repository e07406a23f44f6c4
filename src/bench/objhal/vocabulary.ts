/**
 * The COCO vocabulary of Object HalBench (BENCHMARKS.md §1.4 "Vocabulary"): every class and
 * synonym from `synonyms_refine.txt`, the word -> class map, and the two-word phrases the scorer
 * looks for before single words.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileError } from '../../util/errors.ts';

/** The vendored list (data/benchmarks/objhal/README.md says where it comes from). */
export const DEFAULT_SYNONYMS_FILE = fileURLToPath(new URL('../../../data/benchmarks/objhal/synonyms_refine.txt', import.meta.url));

export interface ObjhalVocabulary {
  /** Every entry of the list (classes and synonyms), matched exactly: case and spacing count. */
  words: ReadonlySet<string>;
  /** Entry -> its class (the first word of its line); a word on two lines keeps the later line. */
  classOf: ReadonlyMap<string, string>;
  /** The classes in file order. */
  classes: readonly string[];
  /** Adjacent-pair phrase -> the word it stands for (`toilet seat` -> `toilet`, `baby cat` -> `cat`). */
  doubleWords: ReadonlyMap<string, string>;
}

/** The animals whose `baby X` / `adult X` mean X, as in the official scorer. */
const AGE_PREFIXED_ANIMALS = ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'animal', 'cub'];

/**
 * Parses the synonym list: one class per line, entries separated by `", "`, each entry trimmed.
 * `parseSynonyms('dog, puppy\ndining table, table', 'f')` -> classOf puppy -> dog, doubleWords
 * `dining table` -> itself. A blank line or an empty entry is an error naming `file:line`.
 */
export function parseSynonyms(text: string, file: string): ObjhalVocabulary {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the final newline ends the last line; it starts no new one
  if (lines.length === 0) throw new FileError(`${file}: empty synonym list; give the Object HalBench synonyms_refine.txt (one class per line)`);
  const words = new Set<string>();
  const classOf = new Map<string, string>();
  const classes: string[] = [];
  lines.forEach((raw, i) => {
    const entries = raw.replace(/\r$/, '').trim().split(', ').map((e) => e.trim());
    const bad = entries.findIndex((e) => e === '' || e.includes(','));
    if (bad >= 0) {
      throw new FileError(`${file}:${i + 1}: entry ${bad + 1} is ${entries[bad] === '' ? 'empty' : `"${entries[bad]}" (entries are separated by ", ")`}; each line is "class, synonym, ..." with no blank lines`);
    }
    classes.push(entries[0]!);
    for (const e of entries) {
      words.add(e);
      classOf.set(e, entries[0]!);
    }
  });
  return { words, classOf, classes, doubleWords: doubleWordMap(classOf.keys()) };
}

/**
 * Every entry of two or more words stands for itself, plus the official extras. Later assignments
 * win, which is how `bow tie` (an entry of the `tie` line) comes to mean `tie`.
 */
function doubleWordMap(entries: Iterable<string>): Map<string, string> {
  const d = new Map<string, string>();
  for (const e of entries) if (e.trim().split(' ').length >= 2) d.set(e, e);
  for (const w of ['home plate', 'train track']) d.set(w, w);
  for (const a of AGE_PREFIXED_ANIMALS) {
    d.set(`baby ${a}`, a);
    d.set(`adult ${a}`, a);
  }
  for (const v of ['jet', 'train']) d.set(`passenger ${v}`, v);
  d.set('bow tie', 'tie');
  d.set('toilet seat', 'toilet');
  d.set('wine glas', 'wine glass'); // upstream's; probably from CHAIR's first singularizer ("glass" -> "glas"); NLTK's lemmatizer keeps "glass"
  return d;
}

/** Reads and parses a synonym list (the vendored one by default). */
export function readSynonyms(file: string = DEFAULT_SYNONYMS_FILE): ObjhalVocabulary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FileError(`${file}: cannot read the synonym list (${(err as Error).message}); give the path of synonyms_refine.txt`);
  }
  return parseSynonyms(text, file);
}
