import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFacts } from './parse.ts';
import { stripBullet } from './bullets.ts';

const cases: Array<[string, string, string[]]> = [
  ['well formed', '### Facts:\n- There is a dog.\n- The dog is brown.', ['There is a dog.', 'The dog is brown.']],
  ['empty lines and CRLF', '### Facts:\r\n\r\n- A cat.\r\n\r\n- A mat.\r\n', ['A cat.', 'A mat.']],
  ['no header', '- A cat.\n- A mat.', ['A cat.', 'A mat.']],
  ['no header, no bullets: every line is a fact', 'A cat.\nA mat.', ['A cat.', 'A mat.']],
  ['chatter before the header is dropped', 'Sure, here you go:\n- not a fact\n### Facts:\n- A cat.', ['A cat.']],
  ['trailing chatter is dropped', '### Facts:\n- A cat.\n- A mat.\nI hope this helps!', ['A cat.', 'A mat.']],
  ['chatter line between header and bullets', '### Facts:\nHere are the facts:\n- A cat.', ['A cat.']],
  ['an echoed later section ends the list', '### Facts:\n- A cat.\n\n### Question-answer pair:\nQuestion: x\nAnswer: y', ['A cat.']],
  ['an empty first section does not end the list', '### Facts:\n### \n- A cat.', ['A cat.']],
  ['other bullets and leading spaces', '### Facts:\n  * A cat.\n1. A mat.\n2) A hat.\n• A bat.\n-A rat.', ['A cat.', 'A mat.', 'A hat.', 'A bat.', 'A rat.']],
  ['duplicates are kept', '### Facts:\n- A cat.\n- A cat.', ['A cat.', 'A cat.']],
  ['empty bullets, ellipsis and placeholders are dropped', '### Facts:\n- \n- ...\n- {first fact}\n- A cat.', ['A cat.']],
  ['header only', '### Facts:', []],
  ['empty output', '', []],
  ['other header spellings', '## Facts\n- A cat.', ['A cat.']],
  ['numbers inside facts survive', '### Facts:\n- 3.5 kg of apples.\n- 2 dogs.', ['3.5 kg of apples.', '2 dogs.']],
];

for (const [name, output, expected] of cases) {
  test(`parseFacts: ${name}`, () => assert.deepEqual(parseFacts(output), expected));
}

test('stripBullet leaves bold text alone and trims', () => {
  assert.equal(stripBullet('**Bold** text'), '**Bold** text');
  assert.equal(stripBullet('   - x  '), 'x');
  assert.equal(stripBullet('1.5 m tall'), '1.5 m tall');
});
