import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedChat } from '../divide/testing.ts';
import { convertWithLlm } from './llm.ts';
import { parseQuestions } from './parse.ts';
import { buildConvertPrompt, DEFAULT_CONVERT_TEMPLATE } from './prompt.ts';
import { ConvertSettingsSchema } from './settings.ts';

const settings = ConvertSettingsSchema.parse({});

test('settings carry the official defaults and reject unknown keys', () => {
  assert.deepEqual([settings.temperature, settings.topP, settings.maxTokens], [0.2, 0.9, 256]);
  assert.equal(settings.template, DEFAULT_CONVERT_TEMPLATE);
  assert.throws(() => ConvertSettingsSchema.parse({ promptWords: 300 }), /promptWords/);
  assert.throws(() => ConvertSettingsSchema.parse({ template: 'x' }), /\{claims\}/);
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
});
