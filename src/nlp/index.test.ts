import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lemmatizeNoun, posTag, sentences, wordTokenize } from './index.ts';

test('wordTokenize: sentences first, so every sentence-final period is its own token', () => {
  // the Treebank step alone detaches only the text's last period: 'dog.' would stay one token
  assert.deepEqual(wordTokenize("A dog sleeps. It can't swim!"), ['A', 'dog', 'sleeps', '.', 'It', 'ca', "n't", 'swim', '!']);
  assert.deepEqual(wordTokenize('I saw Mr. Smith. He had 2 dogs.'), ['I', 'saw', 'Mr.', 'Smith', '.', 'He', 'had', '2', 'dogs', '.']);
  assert.deepEqual(sentences('I saw Mr. Smith. He had 2 dogs.'), ['I saw Mr. Smith.', 'He had 2 dogs.']);
  assert.deepEqual(wordTokenize(''), []);
});

test('the AMBER noun path: tokenize, tag, keep NN*, lemmatize case-sensitively', () => {
  // 'Dogs' opens the sentence: its lemma stays 'Dogs' (WordNet lemmas are lowercase), so it would
  // not match 'dog' in AMBER's vocabulary, exactly as upstream
  const nouns = posTag(wordTokenize('Dogs chase two mice. The glasses are on the table.'))
    .filter(([, tag]) => tag.startsWith('NN')).map(([token]) => lemmatizeNoun(token));
  assert.deepEqual(nouns, ['Dogs', 'mouse', 'glass', 'table']);
});
