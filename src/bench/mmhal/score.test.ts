import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MmhalJudge } from './judge.ts';
import { llmMmhalJudge } from './judge.ts';
import { officialAnswerText, scoreMmhal } from './score.ts';
import { readMmhalTemplate, type MmhalItem } from './template.ts';
import { FakeChat } from './testing.ts';

const items = readMmhalTemplate();
const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} != ${b}`);

/** A judge that rates question i with `rate(i)` and records what it was asked. */
function scriptedJudge(rate: (item: MmhalItem) => number | null): MmhalJudge & { seen: string[] } {
  const seen: string[] = [];
  return {
    id: 'scripted', seen,
    async rate(item, answer) {
      seen.push(answer);
      const rating = rate(item);
      return { text: rating === null ? 'no idea' : `Rating: ${rating}`, rating };
    },
  };
}

test('scoreMmhal over all 96: rating i % 7 for question i, by hand', async () => {
  const r = await scoreMmhal({ items, answers: items.map(() => 'an answer'), judge: scriptedJudge((it) => it.index % 7) });
  assert.equal(r.n, 96);
  assert.equal(r.judge, 'scripted');
  assert.equal(r.judgeSettings, undefined);
  // 96 = 13 x 7 + 5: 13 cycles summing 0+1+...+6 = 21, then 0+1+2+3+4 = 10 -> 283 / 96
  close(r.score, 283 / 96);
  // ratings < 3 are 0, 1, 2: 3 per cycle x 13 + 3 in the last five -> 42 / 96
  close(r.hallucinationRate, 42 / 96);
  // attribute = indices 0, 8, ..., 88 rated i % 7: 0,1,2,3,4,5,6,0,1,2,3,4 = 31 -> 31 / 12
  close(r.byType.attribute.score, 31 / 12);
  assert.equal(r.byType.attribute.n, 12);
  assert.deepEqual(r.unparsedRatings, []);
  assert.deepEqual(r.records.map((x) => x.index), [...Array(96).keys()]);
});

test('scoreMmhal: unparsed judge texts count 0 and are listed with the reason', async () => {
  const texts = ['Good. Rating: 6', 'nothing useful', 'Rating: 1 ... Rating: 5', 'RATING: 3'];
  const chat = new FakeChat((prompt) => texts[items.findIndex((it) => prompt.includes(`### Question\n${it.question}\n`))]!);
  const first4 = items.slice(0, 4);
  const r = await scoreMmhal({ items: first4, answers: ['a', 'b', 'c', 'd'], judge: llmMmhalJudge(chat, { id: 'judge-x' }) });
  // ratings 6, 0 (none), 0 (two), 3 -> mean 9 / 4; below 3: two of four
  close(r.score, 9 / 4);
  close(r.hallucinationRate, 2 / 4);
  assert.equal(r.judge, 'judge-x');
  assert.deepEqual(r.judgeSettings, { temperature: 0, topP: 1, maxTokens: 512, seed: 0, messages: 'one user message' });
  assert.deepEqual(r.unparsedRatings, [
    { index: 1, question: items[1]!.question, judgeText: 'nothing useful', reason: "no 'rating: d' (d in 0..6) in the text" },
    { index: 2, question: items[2]!.question, judgeText: 'Rating: 1 ... Rating: 5', reason: 'several ratings (1, 5)' },
  ]);
  assert.deepEqual(r.records[1], {
    index: 1, questionType: 'adversarial', question: items[1]!.question, answer: 'b', judgeText: 'nothing useful', rating: 0, parsed: false,
  });
  assert.equal(r.records[3]!.rating, 3);
  assert.equal(r.records[3]!.parsed, true);
});

test('scoreMmhal: answers are cleaned as RLAIF-V does before judging', async () => {
  assert.equal(officialAnswerText('  Assistant: A cat. Assistant: '), 'A cat.');
  const judge = scriptedJudge(() => 4);
  const r = await scoreMmhal({ items: items.slice(0, 2), answers: ['Assistant: yes', ' no \n'], judge });
  assert.deepEqual(judge.seen.sort(), ['no', 'yes']);
  assert.deepEqual(r.records.map((x) => x.answer), ['yes', 'no']);
});

test('scoreMmhal: records keep the question order whatever order the judge finishes in', async () => {
  const judge: MmhalJudge = {
    id: 'slow-first',
    rate: (item) => new Promise((ok) => setTimeout(() => ok({ text: `Rating: ${item.index % 7}`, rating: item.index % 7 }), 20 - item.index)),
  };
  const progress: number[] = [];
  const r = await scoreMmhal({ items: items.slice(0, 8), answers: Array(8).fill('x'), judge, concurrency: 8, onProgress: (d) => progress.push(d) });
  assert.deepEqual(r.records.map((x) => x.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('scoreMmhal: a judge that throws stops the run with its error, and no new question is started', async () => {
  const chat = new FakeChat((prompt) => { if (prompt.includes(items[2]!.question)) throw new Error('connection refused'); return 'Rating: 4'; });
  await assert.rejects(
    scoreMmhal({ items: items.slice(0, 10), answers: Array(10).fill('x'), judge: llmMmhalJudge(chat), concurrency: 1 }),
    /MMHal-Bench question 2 .*connection refused/,
  );
  assert.equal(chat.calls.length, 3);
});

test('scoreMmhal: misuse is a plain error', async () => {
  await assert.rejects(scoreMmhal({ items: items.slice(0, 2), answers: ['x'], judge: scriptedJudge(() => 1) }), /1 answers for 2 questions/);
  await assert.rejects(scoreMmhal({ items: [], answers: [], judge: scriptedJudge(() => 1) }), /no questions/);
  await assert.rejects(scoreMmhal({ items: items.slice(0, 1), answers: ['x'], judge: scriptedJudge(() => 7) }), /judge 'scripted' rated question 0 7; a rating is an integer 0..6 or null/);
});
