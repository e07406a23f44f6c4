import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError } from '../util/errors.ts';
import { lemmatizeNoun, loadNounLexicon, morphyNoun, parseExceptions, wordnetNounLexicon, type NounLexicon } from './morphy.ts';
import { readNltkFixture } from './fixture.ts';

test('morphy: every fixture word lemmatizes exactly as NLTK 3.8 WordNetLemmatizer over WordNet 3.0', () => {
  const fixture = readNltkFixture();
  assert.equal(fixture.wordnet, '3.0');
  const disagree = fixture.lemmatize.filter(([word, lemma]) => lemmatizeNoun(word) !== lemma);
  console.log(`lemmatizeNoun vs NLTK ${fixture.nltk}: ${fixture.lemmatize.length - disagree.length} of ${fixture.lemmatize.length} words agree`);
  assert.ok(fixture.lemmatize.length >= 3000, `fixture has ${fixture.lemmatize.length} words`);
  assert.deepEqual(disagree.map(([w, l]) => [w, lemmatizeNoun(w), l]), []);
});

test('morphy: the vendored WordNet 3.0 noun data has the counts of index.noun and noun.exc', () => {
  const lexicon = wordnetNounLexicon();
  assert.equal(lexicon.lemmas.size, 117798);
  // noun.exc has 2,054 lines, 4 of whose first words repeat (aurar diastemata involucra sudatoria)
  assert.equal(lexicon.exceptions.size, 2054 - 4);
});

const tricky: Array<[word: string, lemma: string, why: string]> = [
  ['glasses', 'glass', "morphy gives ['glasses', 'glass']: both nouns, the shorter wins"],
  ['us', 'u', "['us', 'u']: 'us' (the country) and 'u' (the letter) are nouns, 'u' is shorter"],
  ['mice', 'mouse', 'exception list'],
  ['feet', 'foot', 'exception list'],
  ['people', 'people', "itself a noun; 'people' has no rule that gives a noun"],
  ['buses', 'bus', "s->'' gives 'buse' (not a noun), ses->s gives 'bus'"],
  ['boxes', 'box', 'xes->x'],
  ['knives', 'knife', "exception list (ves->f would give 'knif')"],
  ['species', 'specie', "['species', 'specie']: 'specie' is shorter"],
  ['data', 'data', "['data', 'datum'] from the exception list: 4 letters < 5, 'data' wins"],
  ['axes', 'ax', "['ax', 'axis'] from the exception list: 'ax' is shorter"],
  ['Dogs', 'Dogs', "case-sensitive: 'Dog' is not a lemma, so unchanged"],
  ['dogs', 'dog', "s->''"],
  ['women', 'woman', 'exception list'],
  ['geese', 'goose', 'exception list'],
  ['xyzzies', 'xyzzies', 'no candidate is a noun: unchanged'],
];

for (const [word, lemma, why] of tricky) {
  test(`morphy: ${word} -> ${lemma} (${why})`, () => assert.equal(lemmatizeNoun(word), lemma));
}

/** A tiny lexicon, so each rule of the algorithm is visible on its own. */
function lexicon(lemmas: string[], exc: string[] = []): NounLexicon {
  return { lemmas: new Set(lemmas), exceptions: parseExceptions(exc) };
}

test('morphy rule: an exception-list hit returns at once ([form, ...bases] that are nouns), rules unused', () => {
  const lex = lexicon(['oxen', 'ox', 'oxan'], ['oxen ox']);
  // without the exception men->man would give 'oxan'; the exception path never applies rules
  assert.deepEqual(morphyNoun('oxen', lex), ['oxen', 'ox']);
  assert.equal(lemmatizeNoun('oxen', lex), 'ox');
});

test('morphy rule: the original form counts, then one round of every matching rule, in rule order', () => {
  const lex = lexicon(['bus', 'buse', 'buses']);
  // rules on 'buses': s->'' 'buse', ses->s 'bus'; the form itself first
  assert.deepEqual(morphyNoun('buses', lex), ['buses', 'buse', 'bus']);
  assert.equal(lemmatizeNoun('buses', lex), 'bus');
});

test('morphy rule: shortest candidate, the first one on a length tie', () => {
  // 'axes': s->'' gives 'axe' (3), xes->x gives 'ax' (2)
  const lex = lexicon(['axe', 'ax']);
  assert.deepEqual(morphyNoun('axes', lex), ['axe', 'ax']);
  assert.equal(lemmatizeNoun('axes', lex), 'ax');
  const tie = lexicon(['abc', 'abd'], ['x abc abd']);
  assert.equal(lemmatizeNoun('x', tie), 'abc'); // both length 3: the first listed wins
});

test('morphy rule: with no noun after one round, the rules re-apply to the rewritten forms', () => {
  const lex = lexicon(['ma']);
  // 'mass': s->'' 'mas' (not a noun); round 2 on 'mas': s->'' 'ma' (a noun)
  assert.deepEqual(morphyNoun('mass', lex), ['ma']);
  // when round 1 already finds 'mas', round 2 ('ma') never runs
  assert.deepEqual(morphyNoun('mass', lexicon(['mas', 'ma'])), ['mas']);
});

test('morphy rule: nothing found means the word comes back unchanged', () => {
  assert.deepEqual(morphyNoun('cats', lexicon([])), []);
  assert.equal(lemmatizeNoun('cats', lexicon([])), 'cats');
});

test('morphy: noun.exc parsing keeps the last line of a repeated key, like a Python dict', () => {
  assert.deepEqual([...parseExceptions(['aurar eyrir', 'aurar aurar ', '', 'mice mouse'])], [['aurar', ['aurar']], ['mice', ['mouse']]]);
});

test('morphy: a folder without the data files is a FileError naming the file and the fix', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-nlp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => loadNounLexicon(dir), (err: unknown) => err instanceof FileError
    && err.message.includes(join(dir, 'noun-lemmas.txt.gz')) && err.message.includes('restore src/nlp/data/'));
});
