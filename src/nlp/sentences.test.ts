import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sentences } from './sentences.ts';
import { readNltkFixture } from './fixture.ts';

test('sentences vs NLTK untrained Punkt: agree except where the untrained model lacks abbreviations/ellipsis rules', () => {
  const fixture = readNltkFixture();
  const disagree = fixture.untrained_punkt.filter((c) => JSON.stringify(sentences(c.text)) !== JSON.stringify(c.sentences));
  console.log(`sentences vs untrained Punkt: ${fixture.untrained_punkt.length - disagree.length} of ${fixture.untrained_punkt.length} texts agree`);
  // The untrained model knows no abbreviation, so it breaks after Mr. Dr. e.g. a.m. U.S. Jan. St. ft. lbs.,
  // and keeps "floor... The" together; the English model (and this splitter) do the opposite.
  for (const c of disagree) {
    assert.match(c.text, /\b(?:Mr|Dr|Jan|St|ft|lbs|U\.S|U\.K|U\.S\.A|e\.g|E\.g|I\.e|a\.m)\.|\.\.\. The/u, `unexpected disagreement: ${c.text}`);
  }
  assert.ok(disagree.length <= 10, `${disagree.length} disagreements`);
});

const cases: Array<[rule: string, text: string, want: string[]]> = [
  ['a period, ? or ! then a space ends a sentence', 'A dog. A cat? Yes! No', ['A dog.', 'A cat?', 'Yes!', 'No']],
  ['a plain word with a period breaks even before a lowercase word (Punkt does)', 'He scored. then left', ['He scored.', 'then left']],
  ['no break without whitespace after the mark', 'a.b and 3.5 and x?y', ['a.b and 3.5 and x?y']],
  ['closing quotes and brackets stay with the sentence', 'He said "stop." (Then he left.) Ok.', ['He said "stop."', '(Then he left.)', 'Ok.']],
  ['an abbreviation does not break before a name', 'I saw Mr. Smith and Dr. Jones today.', ['I saw Mr. Smith and Dr. Jones today.']],
  ['an abbreviation breaks before a capitalized common starter', 'Buy apples, pears, etc. The rest later.', ['Buy apples, pears, etc.', 'The rest later.']],
  ['dotted letters are abbreviations (U.S., e.g.)', 'In the U.S. people drive, e.g. here.', ['In the U.S. people drive, e.g. here.']],
  ['the part after a hyphen is checked too (ex-Gov.)', 'The ex-Gov. Brown spoke.', ['The ex-Gov. Brown spoke.']],
  ['an initial does not break before a name', 'J. S. Bach wrote it.', ['J. S. Bach wrote it.']],
  ['a number with a period breaks before a capital only', 'In 2019. The end. Step 3. then 4.', ['In 2019.', 'The end.', 'Step 3. then 4.']],
  ['an ellipsis breaks only before a capitalized common starter', 'Wait... the dog... It ran.', ['Wait... the dog...', 'It ran.']],
  ["closers right after the period are Punkt's next token: an abbreviation keeps, a number breaks", '(see Dr.) Then. (in 2019.) x', ['(see Dr.) Then.', '(in 2019.)', 'x']],
  ['surrounding whitespace is dropped; empty text has no sentences', '  One.\n\n Two.  ', ['One.', 'Two.']],
  ['empty', '   ', []],
];

for (const [rule, text, want] of cases) {
  test(`sentences: ${rule}`, () => assert.deepEqual(sentences(text), want));
}
