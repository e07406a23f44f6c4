import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockBackend } from '../../backend/mock.ts';
import type { ChatModel } from '../../backend/types.ts';
import { encodePng } from '../../image/codec.ts';
import { BenchDecodingSchema } from '../answers.ts';
import { runBench } from '../run.ts';
import { mmhalBenchmark } from './benchmark.ts';
import { imageFileName } from './images.ts';
import { readMmhalTemplate } from './template.ts';

test('rlaifv bench mmhal: the template\'s questions with the user\'s images, rated by the LLM judge, metrics and records written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mmhal-'));
  try {
    for (const item of readMmhalTemplate()) {
      writeFileSync(join(dir, imageFileName(item)), encodePng({ width: 1, height: 1, data: new Uint8Array([item.index, 0, 0]) }));
    }
    const model = new MockBackend('m', { text: (r) => `Assistant: answer to ${r.prompt.slice(0, 10)}` });
    // Questions 0..7: ratings 6,5,4,3,2,1,0 and one reply with no rating (counted 0).
    const replies = ['Rating: 6', 'rating: 5', 'Rating: 4', 'Rating: 3', 'Rating: 2', 'Rating: 1', 'Rating: 0', 'I cannot tell.'];
    let asked = 0;
    const judge: ChatModel = { name: 'judge-x', complete: async (prompts, o) => prompts.map((_, i) => replies[(o.seed + i) % 8]!).map((t) => (asked++, t)) };
    const results = await runBench(mmhalBenchmark({ dataDir: dir }), { model, modelId: 'm', outDir: join(dir, 'run'), decoding: BenchDecodingSchema.parse({}), judge, limit: 8 });
    // score = (6+5+4+3+2+1+0+0)/8 = 21/8; ratings below 3: 2,1,0,0 -> 4/8.
    assert.equal(results.metrics['score'], 21 / 8);
    assert.equal(results.metrics['hallucinationRate'], 0.5);
    assert.equal(results.metrics['unparsedRatings'], 1);
    assert.equal(results.metrics['n'], 8);
    assert.equal(results.judge, 'judge-x');
    assert.match(results.data.checksum, /^[0-9a-f]{64}$/);
    const records = readFileSync(join(dir, 'run', 'items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(records.length, 8);
    assert.equal(records[0].answer.startsWith('answer to'), true, 'the official scorer strips "Assistant:" before judging');
    assert.deepEqual([records[7].parsed, records[7].rating], [false, 0]);
    assert.equal(asked, 8);
    await assert.rejects(mmhalBenchmark({ dataDir: dir }).score([], [], undefined), /--judge URL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
