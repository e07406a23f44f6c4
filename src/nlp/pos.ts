/**
 * Penn Treebank part-of-speech tags for already-tokenized text, standing in for `nltk.pos_tag`
 * (NLTK's averaged perceptron, whose trained weights are not available offline). The tagger is
 * wink-pos-tagger 2.2.2 (MIT): a lexicon plus Brill-style context rules, ~93% on WSJ per its
 * README against the perceptron's ~97%, so tags (and the nouns chosen from them) can differ.
 */
import posTagger from 'wink-pos-tagger';

/** wink names brackets the PTB way (-LRB-) and calls `$` NNP; NLTK's tagger uses the symbols. */
const NLTK_TAG_FOR_TOKEN: ReadonlyMap<string, string> = new Map([
  ['(', '('], [')', ')'], ['$', '$'], ['#', '#'],
]);

let tagger: ReturnType<typeof posTagger> | undefined;

/**
 * Tags tokens (e.g. from `wordTokenize`) with Penn Treebank tags, one pair per token in order:
 * `posTag(['Two', 'dogs', 'sleep', '.'])` gives `[['Two','CD'], ['dogs','NNS'], ['sleep','VBP'], ['.','.']]`.
 */
export function posTag(tokens: readonly string[]): Array<[token: string, tag: string]> {
  if (tokens.length === 0) return [];
  tagger ??= posTagger();
  const tagged = tagger.tagRawTokens([...tokens]);
  return tokens.map((token, i) => [token, NLTK_TAG_FOR_TOKEN.get(token) ?? tagged[i]?.pos ?? 'NN']);
}
