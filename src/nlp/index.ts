/**
 * The NLP the benchmark scorers need, after NLTK 3.8.1: sentence split (approximate Punkt),
 * word tokenization (exact NLTKWordTokenizer port), noun lemmatization (exact WordNet 3.0 morphy)
 * and Penn Treebank POS tags (wink-pos-tagger, not NLTK's perceptron).
 */
import { sentences } from './sentences.ts';
import { treebankTokenize } from './treebank.ts';

export { sentences } from './sentences.ts';
export { treebankTokenize } from './treebank.ts';
export { lemmatizeNoun, morphyNoun } from './morphy.ts';
export { posTag } from './pos.ts';

/**
 * `nltk.word_tokenize(text)`: split into sentences, then the improved Treebank tokenizer on each.
 * `wordTokenize("A dog. It can't swim.")` gives `['A', 'dog', '.', 'It', 'ca', "n't", 'swim', '.']`.
 */
export function wordTokenize(text: string): string[] {
  return sentences(text).flatMap(treebankTokenize);
}
