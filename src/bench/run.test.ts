import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockBackend } from '../backend/mock.ts';
import type { ChatModel } from '../backend/types.ts';
import { BenchDecodingSchema, type BenchQuestion } from './answers.ts';
import { runBench, type Benchmark } from './run.ts';

/** A benchmark of two questions whose score is the share of answers the judge calls "bad". */
const counting: Benchmark = {
  name: 'counting',
  needsJudge: () => true,
  load: async () => ({
    checksum: 'c0ffee',
    questions: ['a', 'b', 'c'].map((id, k): BenchQuestion => ({ id, prompt: `q ${id}`, image: { width: 1, height: 1, data: new Uint8Array([k, k, k]) } })),
  }),
  score: async (questions, answers, judge) => {
    const verdicts = await judge!.complete(answers.map((a) => `judge: ${a}`), { temperature: 0, topP: 1, maxTokens: 8, seed: 0 });
    const bad = verdicts.filter((v) => v.includes('bad')).length;
    return { metrics: { badRate: bad / answers.length, n: answers.length }, items: questions.map((q, i) => ({ id: q.id, answer: answers[i], verdict: verdicts[i] })) };
  },
};

test('a benchmark run writes results.json and items.jsonl, and a rerun replays every model and judge call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  try {
    const model = new MockBackend('m', { text: (r) => (r.prompt === 'q b' ? 'bad answer' : 'fine answer') });
    let judged = 0;
    const judge: ChatModel = { name: 'judge-x', complete: async (prompts) => { judged += prompts.length; return prompts.map((p) => (p.includes('bad') ? 'bad' : 'ok')); } };
    const o = { model, modelId: 'm', outDir: dir, decoding: BenchDecodingSchema.parse({}), judge, limit: 2 };
    const results = await runBench(counting, o);
    assert.deepEqual(results, {
      benchmark: 'counting', model: 'm', modelId: 'm', n: 2, metrics: { badRate: 0.5, n: 2 }, decoding: { temperature: 0, topP: 1, maxTokens: 1024, seed: 0 },
      judge: 'judge-x', data: { checksum: 'c0ffee' },
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')), results);
    const items = readFileSync(join(dir, 'items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(items, [{ id: 'a', answer: 'fine answer', verdict: 'ok' }, { id: 'b', answer: 'bad answer', verdict: 'bad' }]);
    const again = await runBench(counting, o);
    assert.deepEqual(again, results);
    assert.equal(model.calls.generate.length, 1, 'answers replayed');
    assert.equal(judged, 2, 'judgements replayed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
