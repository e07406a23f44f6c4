import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posTag } from './pos.ts';

// NLTK's perceptron tags cannot be produced offline (no nltk_data), so agreement with nltk.pos_tag
// is not measured here; these pin wink-pos-tagger 2.2.2's Penn tags on typical benchmark text.
test('posTag: Penn Treebank tags, one per token, nouns as NN/NNS', () => {
  const tokens = ['The', 'image', 'shows', 'two', 'dogs', 'playing', 'with', 'a', 'red', 'frisbee', 'on', 'the', 'grass', '.'];
  assert.deepEqual(posTag(tokens).map(([, tag]) => tag),
    ['DT', 'NN', 'VBZ', 'CD', 'NNS', 'VBG', 'IN', 'DT', 'JJ', 'NN', 'IN', 'DT', 'NN', '.']);
});

test('posTag: brackets and $ get the symbols NLTK uses, not -LRB-/-RRB-/NNP', () => {
  assert.deepEqual(posTag(['(', 'a', 'puppy', ')', '$', '5']),
    [['(', '('], ['a', 'DT'], ['puppy', 'NN'], [')', ')'], ['$', '$'], ['5', 'CD']]);
});

test('posTag: Treebank tokens (quotes, clitics) keep their own tags and their order', () => {
  assert.deepEqual(posTag(['``', 'I', 'ca', "n't", "''"]),
    [['``', '``'], ['I', 'PRP'], ['ca', 'MD'], ["n't", 'RB'], ["''", "''"]]);
});

test('posTag: no tokens, no tags; the input array is not modified', () => {
  assert.deepEqual(posTag([]), []);
  const tokens = Object.freeze(['Dogs', 'bark']);
  assert.equal(posTag(tokens).length, 2);
});
