/**
 * NLTK's `WordNetLemmatizer().lemmatize(word)` (pos 'n'): WordNet's morphy over the WordNet 3.0
 * noun data, then the shortest candidate. Restated from NLTK 3.8.1 (`nltk/stem/wordnet.py`,
 * `WordNetCorpusReader._morphy` in `nltk/corpus/reader/wordnet.py`; Apache-2.0).
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { FileError } from '../util/errors.ts';

/** Noun detachment rules, in NLTK's order (the order fixes which candidate wins a length tie). */
const NOUN_SUFFIX_RULES: ReadonlyArray<readonly [suffix: string, replacement: string]> = [
  ['s', ''], ['ses', 's'], ['ves', 'f'], ['xes', 'x'], ['zes', 'z'],
  ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'],
];

/** What morphy needs: the set of noun lemmas and the exception list (inflected -> base forms). */
export interface NounLexicon {
  readonly lemmas: ReadonlySet<string>;
  readonly exceptions: ReadonlyMap<string, readonly string[]>;
}

const VENDORED_DATA = fileURLToPath(new URL('./data/', import.meta.url));

function readGzipLines(folder: string, name: string): string[] {
  const path = join(folder, name);
  try {
    return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.length > 0);
  } catch (err) {
    throw new FileError(`${path}: cannot read the vendored WordNet data (${(err as Error).message}); restore src/nlp/data/ from the repository`, { cause: err });
  }
}

/** Parses noun.exc lines `inflected base...`; a repeated key keeps its last line, as NLTK's dict does. */
export function parseExceptions(lines: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of lines) {
    const [form, ...bases] = line.split(/\s+/).filter((t) => t.length > 0);
    if (form !== undefined) map.set(form, bases);
  }
  return map;
}

/** Reads `noun-lemmas.txt.gz` and `noun.exc.gz` (see data/README.md) from a folder. */
export function loadNounLexicon(folder: string): NounLexicon {
  return {
    lemmas: new Set(readGzipLines(folder, 'noun-lemmas.txt.gz')),
    exceptions: parseExceptions(readGzipLines(folder, 'noun.exc.gz')),
  };
}

let wordnetNouns: NounLexicon | undefined;

/** WordNet 3.0's nouns, read from src/nlp/data once, on first use. */
export function wordnetNounLexicon(): NounLexicon {
  wordnetNouns ??= loadNounLexicon(VENDORED_DATA);
  return wordnetNouns;
}

function applyRules(forms: readonly string[]): string[] {
  return forms.flatMap((form) => NOUN_SUFFIX_RULES
    .filter(([suffix]) => form.endsWith(suffix))
    .map(([suffix, replacement]) => form.slice(0, form.length - suffix.length) + replacement));
}

function keepNouns(forms: readonly string[], lexicon: NounLexicon): string[] {
  return [...new Set(forms.filter((f) => lexicon.lemmas.has(f)))];
}

/**
 * Morphy's candidate base forms of a noun, in NLTK's order: an exception-list entry returns at
 * once ([form, ...bases] that are nouns); else the form itself and one round of suffix rules,
 * kept if they are nouns; if none is, the rules are re-applied to the rewritten forms until some
 * are nouns or no rule applies. Case-sensitive (`Dogs` has none).
 */
export function morphyNoun(form: string, lexicon: NounLexicon = wordnetNounLexicon()): string[] {
  const exception = lexicon.exceptions.get(form);
  if (exception !== undefined) return keepNouns([form, ...exception], lexicon);
  let forms = applyRules([form]);
  const results = keepNouns([form, ...forms], lexicon);
  if (results.length > 0) return results;
  while (forms.length > 0) {
    forms = applyRules(forms);
    const found = keepNouns(forms, lexicon);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * NLTK's `WordNetLemmatizer().lemmatize(word)`: the shortest morphy candidate (the first one on a
 * tie), or the word unchanged. `lemmatizeNoun('glasses')` = 'glass', `lemmatizeNoun('us')` = 'u',
 * `lemmatizeNoun('mice')` = 'mouse', `lemmatizeNoun('Dogs')` = 'Dogs'.
 */
export function lemmatizeNoun(word: string, lexicon: NounLexicon = wordnetNounLexicon()): string {
  const candidates = morphyNoun(word, lexicon);
  return candidates.reduce<string | undefined>((best, c) => (best === undefined || c.length < best.length ? c : best), undefined) ?? word;
}
