import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treebankTokenize } from './treebank.ts';
import { readNltkFixture } from './fixture.ts';

test('treebank: every fixture sentence tokenizes exactly as NLTK 3.8 NLTKWordTokenizer', () => {
  const fixture = readNltkFixture();
  const disagree = fixture.tokenize.filter((c) => JSON.stringify(treebankTokenize(c.sentence)) !== JSON.stringify(c.tokens));
  console.log(`treebank vs NLTK ${fixture.nltk}: ${fixture.tokenize.length - disagree.length} of ${fixture.tokenize.length} sentences agree`);
  assert.ok(fixture.tokenize.length >= 800, `fixture has ${fixture.tokenize.length} sentences`);
  assert.deepEqual(disagree.map((c) => [c.sentence, treebankTokenize(c.sentence)]), []);
});

const cases: Array<[rule: string, input: string, want: string[]]> = [
  ['NLTK doctest: only the final period splits; $ and parens pad; 3,36 stays',
    'Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.',
    ['Good', 'muffins', 'cost', '$', '3.88', '(', 'roughly', '3,36', 'euros', ')', 'in', 'New', 'York.', 'Please', 'buy', 'me', 'two', 'of', 'them.', 'Thanks', '.']],
  ['opening " becomes ``, closing " becomes \'\'', 'He said "hi".', ['He', 'said', '``', 'hi', "''", '.']],
  ['curly and guillemet quotes stand alone', '“Look” «here»', ['“', 'Look', '”', '«', 'here', '»']],
  ['a quote before a one-letter non-clitic word splits; longer words and clitics keep it', "'x marks 'em 's", ["'", 'x', 'marks', "'em", "'s"]],
  [': and , split unless a digit follows', 'time: 10:30, 1,000', ['time', ':', '10:30', ',', '1,000']],
  ['ellipsis and ; @ # $ % & * stand alone', 'wait...a;b@c#d$e%f&g*h', ['wait', '...', 'a', ';', 'b', '@', 'c', '#', 'd', '$', 'e', '%', 'f', '&', 'g', '*', 'h']],
  ['? and ! split anywhere', 'what?!no', ['what', '?', '!', 'no']],
  ['brackets pad; a final period before a closer splits', '(a [b] {c} <d>.)', ['(', 'a', '[', 'b', ']', '{', 'c', '}', '<', 'd', '>', '.', ')']],
  ['double dash splits, single hyphen stays', 'well-known--really', ['well-known', '--', 'really']],
  ["possessive and clitics: 's 'm 'd 'll 're 've n't", "dog's I'm he'd we'll you're I've don't", ['dog', "'s", 'I', "'m", 'he', "'d", 'we', "'ll", 'you', "'re", 'I', "'ve", 'do', "n't"]],
  ["a plural possessive's quote splits", "the dogs' toys", ['the', 'dogs', "'", 'toys']],
  ['MacIntyre contractions (case-insensitive)', 'Cannot gimme gonna gotta lemme more\'n wanna go', ['Can', 'not', 'gim', 'me', 'gon', 'na', 'got', 'ta', 'lem', 'me', 'more', "'n", 'wan', 'na', 'go']],
  ["'tis and 'twas after a space", "it 'tis 'Twas", ['it', "'t", 'is', "'T", 'was']],
  ['wanna splits only before whitespace (the padding space counts at the end)', 'I wanna wanna-be', ['I', 'wan', 'na', 'wanna-be']],
  ['a colon before a final newline splits (Python $ matches before it)', 'Note:\n', ['Note', ':']],
  ['Unicode letters are word characters (Python \\w)', 'café’s naïve', ['café', '’', 's', 'naïve']],
  ['a non-ASCII digit after a comma keeps it attached (Python \\d)', '٣,٤', ['٣,٤']],
  ['non-breaking and em spaces separate tokens (Python str.split)', 'a\u00a0b\u2003c', ['a', 'b', 'c']],
  ['empty input gives no tokens', '', []],
];

for (const [rule, input, want] of cases) {
  test(`treebank: ${rule}`, () => assert.deepEqual(treebankTokenize(input), want));
}
