/** The NLTK conformance fixture (made once by tools/make_nltk_fixture.py with real NLTK), for tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface NltkFixture {
  nltk: string;
  wordnet: string;
  /** NLTKWordTokenizer().tokenize(sentence) */
  tokenize: Array<{ sentence: string; tokens: string[] }>;
  /** [word, WordNetLemmatizer().lemmatize(word)] */
  lemmatize: Array<[word: string, lemma: string]>;
  /** the UNTRAINED PunktSentenceTokenizer().tokenize(text): a stand-in, not the English model */
  untrained_punkt: Array<{ text: string; sentences: string[] }>;
}

export function readNltkFixture(): NltkFixture {
  const path = fileURLToPath(new URL('./fixtures/nltk-3.8.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as NltkFixture;
}
