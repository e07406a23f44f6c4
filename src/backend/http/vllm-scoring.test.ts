import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseFormatError } from './errors.ts';
import { responseLogProbs, responseSpan } from './vllm-scoring.ts';
import type { PromptLogprobEntry } from './wire.ts';

// ChatML-like ids: 1 <s>, 5 user text, 6 assistant header, 9 7 response, 2 end-of-turn, 3 newline.
const renders = { full: [1, 5, 6, 9, 7, 2, 3], open: [1, 5, 6, 9, 7], head: [1, 5, 6] };

test('responseSpan: the response tokens and the end-of-turn token after them', () => {
  assert.deepEqual(responseSpan(renders, 'w'), { start: 3, end: 6 });
  // An empty response still scores end-of-turn.
  assert.deepEqual(responseSpan({ full: [1, 5, 6, 2, 3], open: [1, 5, 6], head: [1, 5, 6] }, 'w'), { start: 3, end: 4 });
  // A merge across the boundary (head's last token differs in full) starts the span at the merged token.
  assert.deepEqual(responseSpan({ full: [1, 5, 60, 7, 2], open: [1, 5, 60, 7], head: [1, 5, 6] }, 'w'), { start: 2, end: 5 });
  assert.throws(() => responseSpan({ full: [1, 5, 6, 9], open: [1, 5, 6, 9], head: [1, 5, 6] }, 'w'), /adds no token after/);
});

const entry = (id: number, logprob: number, token: string): PromptLogprobEntry => ({ [String(id)]: { logprob, rank: 1, decoded_token: token } });

test('responseLogProbs reads the span from the end, past image tokens the text-only renders lack', () => {
  const imageTokens = [entry(99, -0.1, '<img>'), entry(99, -0.1, '<img>')];
  const prompt: PromptLogprobEntry[] = [null, ...imageTokens, entry(5, -1, 'hi'), entry(6, -0.5, 'A:'), entry(9, -2, 'red'), entry(7, -3, 'cube'), entry(2, -0.25, '</s>'), entry(3, -0.01, '\n')];
  const r = responseLogProbs(prompt, renders, 'w');
  assert.deepEqual(r.tokens, ['red', 'cube', '</s>']);
  assert.deepEqual(r.tokenLogProbs, [-2, -3, -0.25]);
  assert.equal(r.sum, -5.25);
});

test('responseLogProbs fails loudly when prompt_logprobs and /tokenize do not line up', () => {
  const wrong: PromptLogprobEntry[] = [null, entry(5, -1, 'hi'), entry(6, -0.5, 'A:'), entry(9, -2, 'red'), entry(8, -3, 'ball'), entry(2, -0.25, '</s>'), entry(3, 0, '\n')];
  assert.throws(() => responseLogProbs(wrong, renders, 'POST http://h/v1/chat/completions'), (e: unknown) =>
    e instanceof ResponseFormatError && /no entry for token id 7/.test(e.message) && e.message.includes('http://h'));
  assert.throws(() => responseLogProbs([null, entry(1, 0, 'x')], renders, 'w'), /fewer than the 7 tokens/);
});
