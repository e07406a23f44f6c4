import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RlaifvError } from '../../util/errors.ts';
import { llmMmhalJudge } from './judge.ts';
import { buildMmhalJudgePrompt } from './prompt.ts';
import { readMmhalTemplate } from './template.ts';
import { FakeChat } from './testing.ts';

const items = readMmhalTemplate();

test('LLM judge: the official prompt as one completion, temperature 0, top_p 1, 512 tokens, seed + index', async () => {
  const chat = new FakeChat(() => 'Accurate and detailed. Rating: 5, very informative, no hallucination');
  const judge = llmMmhalJudge(chat, { seed: 100 });
  assert.equal(judge.id, 'fake-judge');
  assert.deepEqual(judge.settings, { temperature: 0, topP: 1, maxTokens: 512, seed: 100, messages: 'one user message' });
  const r = await judge.rate(items[9]!, 'A red car.');
  assert.deepEqual(r, { text: 'Accurate and detailed. Rating: 5, very informative, no hallucination', rating: 5 });
  assert.deepEqual(chat.calls, [{
    prompts: [buildMmhalJudgePrompt(items[9]!, 'A red car.')],
    options: { temperature: 0, topP: 1, maxTokens: 512, seed: 109 },
  }]);
});

test('LLM judge: the recorded id can name the served model', () => {
  assert.equal(llmMmhalJudge(new FakeChat(() => ''), { id: 'gpt-4-1106-preview' }).id, 'gpt-4-1106-preview');
});

test('LLM judge: garbage, empty and two ratings come back unrated (null), never an error', async () => {
  for (const text of ['lorem ipsum', '', 'Rating: 2. On reflection, Rating: 4.']) {
    const r = await llmMmhalJudge(new FakeChat(() => text)).rate(items[0]!, 'x');
    assert.deepEqual(r, { text, rating: null });
  }
});

test('LLM judge: a chat model that throws is an error naming the question, the judge and the cause', async () => {
  const chat = new FakeChat(() => { throw new Error('503 Service Unavailable'); });
  await assert.rejects(llmMmhalJudge(chat, { attempts: 3 }).rate(items[0]!, 'x'), (err: unknown) => {
    assert.ok(err instanceof RlaifvError);
    assert.equal(err.message, 'MMHal-Bench question 0 ("What color is the fire hydrant cap in the picture?"): the judge \'fake-judge\' failed after 3 attempts: 503 Service Unavailable; check the judge server, then run again');
    assert.equal((err.cause as Error).message, '503 Service Unavailable');
    return true;
  });
  assert.equal(chat.calls.length, 3);
});

test('LLM judge: one attempt by default; a second attempt that succeeds is used', async () => {
  const once = new FakeChat(() => { throw new Error('boom'); });
  await assert.rejects(llmMmhalJudge(once).rate(items[1]!, 'x'), /question 1 .*failed after 1 attempt: boom/);
  assert.equal(once.calls.length, 1);
  const flaky = new FakeChat((_, call) => { if (call === 1) throw new Error('boom'); return 'Rating: 3'; });
  assert.deepEqual(await llmMmhalJudge(flaky, { attempts: 2 }).rate(items[1]!, 'x'), { text: 'Rating: 3', rating: 3 });
});

test('LLM judge: a chat model returning the wrong number of completions is an error naming the question', async () => {
  await assert.rejects(llmMmhalJudge(new FakeChat(() => ['a', 'b'])).rate(items[4]!, 'x'), /question 4 .*returned 2 completions for 1 prompt/);
});

test('LLM judge: attempts below 1 are refused', () => {
  assert.throws(() => llmMmhalJudge(new FakeChat(() => ''), { attempts: 0 }), /attempts must be an integer >= 1, got 0/);
});
