import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDividePrompt, DEFAULT_DIVIDE_TEMPLATE, truncateWords } from './prompt.ts';
import { DivideSettingsSchema } from './settings.ts';

test('settings carry the official defaults and reject unknown keys', () => {
  const s = DivideSettingsSchema.parse({});
  assert.deepEqual({ t: s.temperature, p: s.topP, m: s.maxTokens, w: s.promptWords }, { t: 0.2, p: 0.9, m: 256, w: 300 });
  assert.equal(s.template, DEFAULT_DIVIDE_TEMPLATE);
  assert.throws(() => DivideSettingsSchema.parse({ temprature: 0.3 }), /temprature/);
  assert.throws(() => DivideSettingsSchema.parse({ template: 'no placeholder' }), /\{answer\}/);
});

test('truncation splits on single spaces exactly like the official join/split', () => {
  assert.equal(truncateWords('a b c d', 2), 'a b');
  assert.equal(truncateWords('a  b c', 3), 'a  b'); // the double space is an empty word
  assert.equal(truncateWords('a\nb c', 1), 'a\nb'); // a newline does not separate words
  assert.equal(truncateWords('a b', 10), 'a b');
});

test('the prompt holds the format, question and answer, with one-pass substitution', () => {
  const p = buildDividePrompt('What is {answer}?', 'A red car.', 300);
  assert.match(p, /### Facts:\n- \{first fact\}/);
  assert.match(p, /Question: What is \{answer\}\?\nAnswer: A red car\.$/);
});

test('the whole filled prompt is truncated, so the tail of a long answer is cut', () => {
  const answer = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
  const p = buildDividePrompt('Describe the image.', answer, 300);
  assert.equal(p.split(' ').length, 300);
  assert.ok(p.startsWith(DEFAULT_DIVIDE_TEMPLATE.slice(0, 40)));
  assert.match(p, /Answer: w0 w1 /);
  assert.ok(!p.includes('w399'));
  const templateWords = DEFAULT_DIVIDE_TEMPLATE.replace('{question}', 'Describe the image.').replace('{answer}', '').split(' ').length;
  // The answer keeps what the instructions and question leave of the 300 words.
  assert.ok(p.endsWith(` w${300 - templateWords}`), p.slice(-20));
});

test('a custom template is used', () => {
  assert.equal(buildDividePrompt('q', 'a', 300, 'Q={question} A={answer}'), 'Q=q A=a');
});
