import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeChoices, names, pick, withoutMethod } from './registry.ts';

test('pick finds an entry by name and names the choices when it fails', () => {
  const table = { rules: 1, llm: 2 };
  assert.equal(pick('divide.method', table, 'llm'), 2);
  assert.throws(() => pick('divide.method', table, 'rulez'), { message: "divide.method must be one of rules, llm, got 'rulez'" });
  assert.throws(() => pick('divide.method', table, 'toString'), /must be one of rules, llm, got 'toString'/, 'inherited keys are not entries');
});

test('names gives the keys in order for z.enum; describeChoices joins the help texts', () => {
  assert.deepEqual(names({ b: 0, a: 0 }), ['b', 'a']);
  assert.throws(() => names({}), /at least one entry/);
  assert.equal(describeChoices({ rules: 'by rule', llm: 'by a text LLM' }), "'rules': by rule; 'llm': by a text LLM");
});

test('withoutMethod keeps the settings a method depends on', () => {
  assert.deepEqual(withoutMethod({ method: 'llm', temperature: 0.2, topP: 0.9 }), { temperature: 0.2, topP: 0.9 });
});
