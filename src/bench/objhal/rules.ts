/**
 * The `rules` extractor: CHAIR's caption parser (`caption_to_words`, BENCHMARKS.md §1.4). The same
 * parser reads COCO's reference captions for the ground truth, and the answers when the judge LLM
 * is not used.
 */
import type { ObjhalMention } from './mention.ts';
import type { ObjhalNlp } from './nlp.ts';
import type { ObjhalVocabulary } from './vocabulary.ts';

export interface RuleParse {
  /** The lemmas after two-word phrases were merged: the scorer's `words` for the items record. */
  words: string[];
  /** Every occurrence of a vocabulary entry, in order: one word said twice is two mentions. */
  mentions: ObjhalMention[];
}

/**
 * Lowercase, tokenize, lemmatize every token as a noun, merge adjacent pairs found in the
 * double-word map (left to right, a merged pair is skipped over), drop `seat` when `toilet` is
 * present, keep entries of the vocabulary and map them to their class.
 *
 * With a whitespace tokenizer and a lemmatizer that maps dogs -> dog:
 * `parseByRules('Two dogs near a toilet seat.', vocab, nlp)` -> mentions
 * `[{ word: 'dog', cls: 'dog' }, { word: 'toilet', cls: 'toilet' }]`.
 */
export function parseByRules(text: string, vocab: ObjhalVocabulary, nlp: ObjhalNlp): RuleParse {
  const lemmas = nlp.wordTokenize(text.toLowerCase()).map((t) => nlp.lemmatizeNoun(t));
  const merged = mergeDoubleWords(lemmas, vocab.doubleWords, true);
  return { words: merged, mentions: wordsToMentions(merged, vocab) };
}

/**
 * Left-to-right scan of adjacent pairs: a pair in `doubleWords` becomes its mapped word and both
 * tokens are consumed. Only pairs are looked up, so a three-word entry (`stove top oven`) never
 * matches. `keepSingles` false returns the mapped pairs only (the official `get_double_words_only`).
 */
export function mergeDoubleWords(tokens: readonly string[], doubleWords: ReadonlyMap<string, string>, keepSingles: boolean): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const pair = i + 1 < tokens.length ? `${tokens[i]} ${tokens[i + 1]}` : undefined;
    const mapped = pair === undefined ? undefined : doubleWords.get(pair);
    if (mapped !== undefined) {
      out.push(mapped);
      i += 2;
    } else {
      if (keepSingles) out.push(tokens[i]!);
      i += 1;
    }
  }
  return out;
}

/** "the seat of the toilet" is no chair: with `toilet` among the words, every `seat` goes. */
export function dropToiletSeat(words: readonly string[]): string[] {
  return words.includes('toilet') && words.includes('seat') ? words.filter((w) => w !== 'seat') : [...words];
}

/** The vocabulary entries among `words`, each with its class, in order, `seat` dropped beside `toilet`. */
export function wordsToMentions(words: readonly string[], vocab: ObjhalVocabulary): ObjhalMention[] {
  return dropToiletSeat(words).filter((w) => vocab.words.has(w)).map((word) => ({ word, cls: vocab.classOf.get(word)! }));
}
