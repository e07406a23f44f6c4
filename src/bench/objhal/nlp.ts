/**
 * The text tools Object HalBench needs, as a structural interface so that the scorer depends on
 * what it calls, not on one implementation: `src/nlp/` provides NLTK-exact ones, tests pass
 * small fakes whose output can be checked by hand.
 */

/** Tokenizer and noun lemmatizer of the caption parser (NLTK `word_tokenize`, `WordNetLemmatizer`). */
export interface ObjhalNlp {
  /** NLTK `word_tokenize`: sentence split, then Treebank tokens. */
  wordTokenize(text: string): string[];
  /** NLTK `WordNetLemmatizer().lemmatize(w)` (noun): shortest WordNet candidate, else `w`; case-sensitive. */
  lemmatizeNoun(word: string): string;
  /** Penn Treebank tags, one per token (NLTK `pos_tag`); the `llm` extractor needs it, `rules` does not. */
  posTag?(tokens: readonly string[]): Array<[string, string]>;
}

/** The tools of the `llm` extractor, which stands in NN-runs for spaCy's noun chunks. */
export type ObjhalTaggingNlp = Required<ObjhalNlp>;
