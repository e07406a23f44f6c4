import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDoubleWords, parseByRules } from './rules.ts';
import { fakeNlp } from './testing.ts';
import { readSynonyms } from './vocabulary.ts';

const vocab = readSynonyms();
const mentions = (text: string) => parseByRules(text, vocab, fakeNlp).mentions.map((m) => `${m.word}->${m.cls}`);

test('rules: lowercased, lemmatized, every occurrence a mention, synonyms mapped to their class', () => {
  // two dogs and a puppy chase a dog . -> lemmas dog, puppy, dog: three mentions of class dog (no dedup in caption_to_words)
  assert.deepEqual(mentions('Two Dogs and a puppy chase a dog.'), ['dog->dog', 'puppy->dog', 'dog->dog']);
  assert.deepEqual(parseByRules('A Dog.', vocab, fakeNlp).words, ['a', 'dog', '.']);
});

test('rules: two-word phrases first, left to right, a matched pair consumed', () => {
  // "dining table" is one entry (class dining table), not "table" (also dining table) twice
  assert.deepEqual(mentions('A dining table.'), ['dining table->dining table']);
  // "hot dog" is class hot dog: the pair wins over the single word "dog"
  assert.deepEqual(mentions('a hot dog'), ['hot dog->hot dog']);
  // "teddy bear" consumes "bear": no bear mention
  assert.deepEqual(mentions('a teddy bear'), ['teddy bear->teddy bear']);
  // baby X / adult X -> X; passenger jet -> jet (class airplane); bow tie -> tie
  assert.deepEqual(mentions('a baby elephant, an adult zebra, two passenger jets and a bow tie'),
    ['elephant->elephant', 'zebra->zebra', 'jet->airplane', 'tie->tie']);
  // wine glasses -> lemmas wine, glass -> "wine glass" is itself an entry
  assert.deepEqual(mentions('wine glasses'), ['wine glass->wine glass']);
});

test('rules: only pairs are looked up, so the three-word entry "stove top oven" never matches', () => {
  // pairs: "stove top" (not a double word) -> stove; "top oven" (no) -> top; oven -> oven: two mentions of class oven
  assert.deepEqual(mentions('a stove top oven'), ['stove->oven', 'oven->oven']);
  // the scan resumes after a consumed pair: "cell phone" eats "phone", then "phone" alone matches
  assert.deepEqual(mergeDoubleWords(['cell', 'phone', 'phone'], vocab.doubleWords, true), ['cell phone', 'phone']);
  assert.deepEqual(mergeDoubleWords(['a', 'cell', 'phone', 'x'], vocab.doubleWords, false), ['cell phone']);
});

test('rules: toilet beside seat drops every seat; seat alone is a chair', () => {
  assert.deepEqual(mentions('the seat of the toilet'), ['toilet->toilet']);
  assert.deepEqual(mentions('two seats near the toilet, a seat'), ['toilet->toilet']);
  assert.deepEqual(mentions('a seat'), ['seat->chair']);
  // "toilet seat" is itself a double word meaning toilet
  assert.deepEqual(mentions('a toilet seat'), ['toilet->toilet']);
});

test('rules: words outside the list and multi-noun phrases that are no entry match nothing', () => {
  // coffee and mug are separate tokens and neither is an entry; "iPhone" is lowercased to "iphone", which is not an entry
  assert.deepEqual(mentions('a coffee mug and an iPhone'), []);
});
