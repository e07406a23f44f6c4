import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedChat } from '../divide/testing.ts';
import { convertWithLlm, llmConverter } from './convert.ts';
import { parseQuestions } from './parse.ts';
import { buildConvertPrompt, DEFAULT_CONVERT_TEMPLATE } from './prompt.ts';
import { ruleConverter, toPolarQuestion } from './rules.ts';
import { parseConvertSettings } from './settings.ts';

const settings = parseConvertSettings();

test('settings carry the official defaults and reject unknown keys', () => {
  assert.deepEqual([settings.temperature, settings.topP, settings.maxTokens], [0.2, 0.9, 256]);
  assert.equal(settings.template, DEFAULT_CONVERT_TEMPLATE);
  assert.throws(() => parseConvertSettings({ promptWords: 300 }), /promptWords/);
  assert.throws(() => parseConvertSettings({ template: 'x' }), /\{claims\}/);
});

test('the prompt lists one claim per line, in order, and asks to keep negations', () => {
  const p = buildConvertPrompt(['There is a dog.', 'The cat is\nnot black.', 'Costs $1.']);
  assert.match(p, /### Modified sentences:\n- \{first question\}/);
  assert.match(p, /negative word/);
  assert.ok(p.endsWith('### Declarative sentences:\n- There is a dog.\n- The cat is not black.\n- Costs $1.'));
});

test('parseQuestions: a matching count is ok, any mismatch is an explicit not-ok value', () => {
  const out = '### Modified sentences:\n- Is there a dog?\n- Is the cat not black?';
  assert.deepEqual(parseQuestions(out, 2), { ok: true, questions: ['Is there a dog?', 'Is the cat not black?'] });
  const fewer = parseQuestions(out, 3);
  assert.equal(fewer.ok, false);
  assert.ok(!fewer.ok && fewer.reason === 'count-mismatch' && /expected 3 questions .* returned 2/.test(fewer.detail));
  assert.equal(parseQuestions(out, 1).ok, false);
  assert.deepEqual(parseQuestions('', 0), { ok: true, questions: [] });
  // Chatter and an echoed input section do not count as questions.
  assert.deepEqual(parseQuestions('Sure.\n### Modified sentences:\n- Q1?\n\n### Declarative sentences:\n- A.', 1), { ok: true, questions: ['Q1?'] });
});

test('convertWithLlm: one call for the items with claims, seeds by item position, mismatch flagged', async () => {
  const chat = new ScriptedChat((p, seed) => {
    const n = (p.match(/^- (?!\{|\.\.\.)/gm) ?? []).length;
    return `### Modified sentences:\n${Array.from({ length: seed === 2 ? n + 1 : n }, (_, i) => `- Q${i}@${seed}?`).join('\n')}`;
  });
  const out = await convertWithLlm(chat, [['A.', ' '], [], ['B.', 'C.']], settings, 0);
  assert.deepEqual(out[0], { ok: true, questions: ['Q0@0?'], raw: '### Modified sentences:\n- Q0@0?' });
  assert.deepEqual(out[1], { ok: true, questions: [] });
  assert.equal(out[2]!.ok, false); // 3 questions for 2 claims
  assert.deepEqual(chat.calls.map((c) => [c.prompts.length, c.options.seed]), [[1, 0], [1, 2]]);
  assert.ok(!chat.calls[0]!.prompts[0]!.includes('- \n'), 'blank claims are not sent');
  assert.equal((await llmConverter(chat, settings, 5).convert([['A.']]))[0]!.ok, true);
});

const polar: Array<[string, string]> = [
  ['There is a dog.', 'Is there a dog?'],
  ['There are two cats on the sofa.', 'Are there two cats on the sofa?'],
  ['There is no car in the street.', 'Is there no car in the street?'],
  ['There was a man.', 'Was there a man?'],
  ['The dog is brown.', 'Is the dog brown?'],
  ['The cat is not black.', 'Is the cat not black?'],
  ['The apples are red.', 'Are the apples red?'],
  ['A bird can fly.', 'Can a bird fly?'],
  ['John is tall.', 'Is John tall?'],
  ['The sky was cloudy!', 'Was the sky cloudy?'],
  ["The dog isn't brown.", "Is it true that the dog isn't brown?"],
  ['The man holds a cup.', 'Is it true that the man holds a cup?'],
  ['The man who is smiling is tall.', 'Is it true that the man who is smiling is tall?'],
  ['Is it sunny?', 'Is it sunny?'],
];
for (const [claim, question] of polar) {
  test(`toPolarQuestion: ${claim}`, () => assert.equal(toPolarQuestion(claim), question));
}

test('the rule converter never drops a word, so negations survive', async () => {
  const claims = ['There is no dog.', 'The cat is not on the mat.', 'Nobody is here.', 'The cups never break.', 'The TV can not turn on.'];
  const [conv] = await ruleConverter().convert([claims]);
  assert.ok(conv!.ok);
  conv!.questions.forEach((q, i) => {
    const words = (s: string) => s.toLowerCase().replace(/[.?!]/g, '').split(/\s+/).filter(Boolean);
    for (const w of words(claims[i]!)) assert.ok(words(q).includes(w), `${w} missing from ${q}`);
  });
  assert.deepEqual(await ruleConverter().convert([[' ', 'A cat is here.'], []]), [{ ok: true, questions: ['Is a cat here?'] }, { ok: true, questions: [] }]);
});
