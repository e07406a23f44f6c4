import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divideWithLlm } from './llm.ts';
import { DivideSettingsSchema } from './settings.ts';
import { completeSparse } from './complete.ts';
import { ScriptedChat } from './testing.ts';

const settings = DivideSettingsSchema.parse({});

test('divideWithLlm sends one prompt per answer with the official sampling and parses the facts', async () => {
  const chat = new ScriptedChat((p, seed) => `### Facts:\n- fact of ${/Answer: (.*)$/.exec(p)![1]} @${seed}`);
  const out = await divideWithLlm(chat, [{ question: 'q', answer: 'A' }, { question: 'q', answer: 'B' }], settings, 10);
  assert.deepEqual(out.map((d) => d.claims), [['fact of A @10'], ['fact of B @11']]);
  assert.equal(out[0]!.raw, '### Facts:\n- fact of A @10');
  assert.equal(chat.calls.length, 1);
  assert.deepEqual(chat.calls[0]!.options, { temperature: 0.2, topP: 0.9, maxTokens: 256, seed: 10 });
});

test('blank answers get no call and no claims, and do not shift the seeds of the others', async () => {
  const chat = new ScriptedChat((_, seed) => `- s${seed}`);
  const items = [{ question: 'q', answer: 'A' }, { question: 'q', answer: '  ' }, { question: 'q', answer: 'C' }];
  const out = await divideWithLlm(chat, items, settings, 0);
  assert.deepEqual(out, [{ claims: ['s0'], raw: '- s0' }, { claims: [], raw: undefined }, { claims: ['s2'], raw: '- s2' }]);
  assert.deepEqual(chat.calls.map((c) => [c.prompts.length, c.options.seed]), [[1, 0], [1, 2]]);
});

test('completeSparse rejects a model that returns the wrong number of completions', async () => {
  const broken = { name: 'broken', complete: async () => [] as string[] };
  await assert.rejects(completeSparse(broken, ['a'], settings, 0), /broken' returned 0 completions for 1 prompts/);
});
