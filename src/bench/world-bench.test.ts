/**
 * The three scorers end to end on world exports with the shipped policy: what each benchmark
 * measures must agree with the world's exact metrics of the same answers (issue 17's targets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeServer } from '../backend/http/testing/fake-server.ts';
import { openChatModel } from '../model/open.ts';
import { mmhalBenchmark } from './mmhal/benchmark.ts';
import { loadCheckpoint } from '../model/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { initEngine } from '../tensor/tf.ts';
import { tempDir } from '../util/temp-dir.ts';
import { BenchDecodingSchema } from './answers.ts';
import { openBenchmark } from './registry.ts';
import { runBench } from './run.ts';
import { exportWorldBenchmark } from './world-export/index.ts';

async function benchOnExport(name: string, n?: number) {
  await initEngine();
  const dir = tempDir(`bench-${name}-`);
  exportWorldBenchmark(name, join(dir, 'data'), n === undefined ? {} : { n });
  const model = loadCheckpoint(shippedModel(loadSettings(), 'policy-base'));
  const bench = openBenchmark(name, { dataDir: join(dir, 'data') });
  const o = { model, modelId: 'policy-base', outDir: join(dir, 'run'), decoding: BenchDecodingSchema.parse({ maxTokens: 96 }) };
  return { results: await runBench(bench, o), again: () => runBench(openBenchmark(name, { dataDir: join(dir, 'data') }), o), model };
}

const world = (m: Record<string, unknown>) => m['world'] as { chairI: number; chairS: number; coverage: number; yesNoAccuracy: number | null };

test('Object HalBench on a world export: the rules extractor\'s CHAIRi and CHAIRs are the world\'s, on the same answers', async () => {
  const { results } = await benchOnExport('objhal', 20);
  const m = results.metrics;
  assert.equal(results.n, 20);
  assert.ok(Math.abs((m['chairI'] as number) - world(m).chairI) <= 0.01, `CHAIRi ${m['chairI']} vs the world's ${world(m).chairI}`);
  assert.equal(m['chairS'], world(m).chairS);
});

test('AMBER on a world export: CHAIR is the world\'s CHAIRi and the discriminative accuracy its yes/no accuracy, to AMBER\'s rounding', async () => {
  const { results } = await benchOnExport('amber', 10);
  const m = results.metrics;
  assert.ok(Math.abs((m['chair'] as number) / 100 - world(m).chairI) <= 0.01, `CHAIR ${m['chair']} vs the world's ${world(m).chairI}`);
  assert.ok(Math.abs((m['accuracy'] as number) / 100 - world(m).yesNoAccuracy!) <= 0.0005, `accuracy ${m['accuracy']} vs ${world(m).yesNoAccuracy}`);
  assert.equal((m['hal'] as number) / 100, world(m).chairS, 'Hal = the share of descriptions with a hallucination = CHAIRs');
});

test('MMHal-Bench on a world export: the world\'s truth rates every answer, recorded as the judge; a rerun replays with no model call', async () => {
  const { results, again, model } = await benchOnExport('mmhal');
  assert.equal(results.n, 96);
  assert.equal(results.judge, 'world-truth-w0');
  const score = results.metrics['score'] as number;
  assert.ok(score >= 0 && score <= 6);
  assert.equal(results.metrics['unparsedRatings'], 0, 'the world judge always writes one rating');
  const generate = model.generate.bind(model);
  let calls = 0;
  model.generate = async (...args) => (calls++, generate(...args));
  assert.deepEqual(await again(), results);
  assert.equal(calls, 0);
});

test('MMHal-Bench\'s LLM judge over HTTP: a scripted OpenAI-compatible server rates, garbage counts as 0 and is listed, never a crash', async () => {
  await initEngine();
  const dir = tempDir('bench-mmhal-llm-');
  exportWorldBenchmark('mmhal', join(dir, 'data'));
  // The judge rates by the question's position in the prompt's text: answers to "Where ..." questions get 5, others garbage.
  const server = await FakeServer.start({ models: ['judge-7b'], text: (prompt) => (/### Question\nWhere/.test(prompt) ? 'The answer is right.\nRating: 5' : 'no idea') });
  try {
    const judge = await openChatModel(server.url, { role: 'judge' });
    const bench = mmhalBenchmark({ dataDir: join(dir, 'data'), templateFile: join(dir, 'data', 'response_template.json') });
    const model = loadCheckpoint(shippedModel(loadSettings(), 'policy-base'));
    const results = await runBench(bench, { model, modelId: 'policy-base', outDir: join(dir, 'run'), decoding: BenchDecodingSchema.parse({ maxTokens: 48 }), judge: judge.backend, judgeId: judge.id, limit: 16 });
    const items = readFileSync(join(dir, 'run', 'items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string; rating: number; parsed: boolean });
    const where = items.filter((i) => i.question.startsWith('Where'));
    assert.ok(where.length > 0 && where.length < 16, 'both kinds of question are among the first 16');
    assert.ok(where.every((i) => i.rating === 5 && i.parsed));
    assert.ok(items.filter((i) => !i.question.startsWith('Where')).every((i) => i.rating === 0 && !i.parsed));
    assert.equal(results.metrics['unparsedRatings'], 16 - where.length);
    assert.equal(results.metrics['score'], (5 * where.length) / 16);
    assert.equal(results.judge, 'judge-7b');
    await judge.close();
  } finally {
    await server.close();
  }
});
