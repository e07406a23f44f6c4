/**
 * The three NLTK steps AMBER's generative scorer runs on an answer, as an interface: the scorer
 * takes them as a parameter so that the real ports (src/nlp/) and small table fakes in tests are
 * interchangeable.
 */
export interface AmberNlp {
  /** NLTK `word_tokenize`: sentence split, then Treebank tokens. Case is kept. */
  wordTokenize(text: string): string[];
  /** NLTK `pos_tag`: one Penn Treebank tag per token, in order. */
  posTag(tokens: string[]): Array<[string, string]>;
  /** NLTK `WordNetLemmatizer().lemmatize(word)` (noun): shortest WordNet candidate, else the word; case-sensitive. */
  lemmatizeNoun(word: string): string;
}

/**
 * The nouns of an answer as `inference.py` extracts them: every token whose tag starts with `NN`
 * (NN, NNS, NNP, NNPS), lemmatized as a noun, in order, repeats kept. Nothing is lowercased, so a
 * sentence-initial `Dog` stays `Dog` and later misses the lowercase vocabulary.
 */
export function extractNouns(text: string, nlp: AmberNlp): string[] {
  const tagged = nlp.posTag(nlp.wordTokenize(text));
  return tagged.filter(([, tag]) => tag.startsWith('NN')).map(([word]) => nlp.lemmatizeNoun(word));
}
