import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from './run-store.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('results round-trip through put/get/getMany and survive reopening', (t) => {
  const path = join(tempDir(t), 'nested', 'store.sqlite'); // the directory is created
  const store = openStore(path);
  const candidate = { text: 'A cat on a mat.', seed: 7, logProb: -Infinity, image: new Uint8Array([1, 2, 3]) };
  store.put('k1', candidate, 'sample');
  store.putMany([{ key: 'k2', value: [1, 2] }, { key: 'k3', value: null }], 'label');
  assert.deepEqual(store.get('k1'), candidate);
  assert.equal(store.get('nope'), undefined);
  assert.equal(store.has('k3'), true);
  assert.equal(store.get('k3'), null);
  assert.deepEqual(store.getMany(['k2', 'nope', 'k1']), [[1, 2], undefined, candidate]);
  // A key names its content: a second write of a key keeps the first value.
  store.put('k2', 'other', 'label');
  assert.deepEqual(store.get('k2'), [1, 2]);
  assert.equal(store.countResults(), 3);
  assert.equal(store.countResults('label'), 2);
  store.close();
  store.close(); // idempotent

  const again = openStore(path);
  assert.deepEqual(again.get('k1'), candidate);
  assert.equal(again.deleteStage('label'), 2);
  assert.equal(again.countResults(), 1);
  again.close();

  const raw = new Database(path, { readonly: true });
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  raw.close();
});

test('stages are marked done per round, with info, and deleteStage clears the marks', () => {
  let clock = 1000;
  const store = openStore(':memory:', { now: () => clock });
  assert.equal(store.isDone('sample'), false);
  store.markDone('sample', 0, { candidates: 40 });
  clock = 2000;
  store.markDone('label', 1);
  assert.equal(store.isDone('sample'), true);
  assert.equal(store.isDone('sample', 1), false);
  assert.equal(store.isDone('label', 1), true);
  assert.deepEqual(store.doneStages(), [
    { stage: 'sample', round: 0, doneAt: 1000, info: { candidates: 40 } },
    { stage: 'label', round: 1, doneAt: 2000, info: undefined },
  ]);
  store.deleteStage('sample');
  assert.equal(store.isDone('sample'), false);
  store.close();
});

test('each invocation is a run row; a killed one stays "running"', () => {
  let clock = 10;
  const store = openStore(':memory:', { now: () => clock });
  const first = store.startRun({ config: { sample: { n: 10, temperature: 0.7 } }, version: '0.1.0' });
  clock = 20;
  const second = store.startRun({ config: { sample: { n: 10, temperature: 0.7 } }, version: '0.1.1' });
  clock = 30;
  store.finishRun(second);
  assert.deepEqual(store.runs(), [
    { id: first, startedAt: 10, finishedAt: null, status: 'running', version: '0.1.0', config: { sample: { n: 10, temperature: 0.7 } } },
    { id: second, startedAt: 20, finishedAt: 30, status: 'ok', version: '0.1.1', config: { sample: { n: 10, temperature: 0.7 } } },
  ]);
  assert.throws(() => store.finishRun(99), /finishRun\(99\) names no run/);
  store.close();
});

test('metrics are time series per run; repeating a step replaces it; NaN survives', () => {
  const store = openStore(':memory:');
  store.appendMetrics('dpo/iter-1', 0, { loss: Math.LN2, 'rewards/margins': 0 });
  store.appendMetric('dpo/iter-1', 1, 'loss', 0.6);
  store.appendMetric('dpo/iter-1', 1, 'loss', 0.5); // a resumed trainer redoes step 1
  store.appendMetric('dpo/iter-1', 2, 'loss', Number.NaN);
  store.appendMetric('dpo/iter-2', 0, 'loss', 0.7);
  assert.deepEqual(store.metrics('dpo/iter-1', 'loss'), [
    { name: 'loss', step: 0, value: Math.LN2 }, { name: 'loss', step: 1, value: 0.5 }, { name: 'loss', step: 2, value: Number.NaN },
  ]);
  assert.deepEqual(store.metrics('dpo/iter-1').map((p) => `${p.name}@${p.step}`), ['loss@0', 'loss@1', 'loss@2', 'rewards/margins@0']);
  assert.deepEqual(store.metricRuns(), ['dpo/iter-1', 'dpo/iter-2']);
  assert.throws(() => store.appendMetric('dpo/iter-1', 1.5, 'loss', 1), /step must be an integer >= 0, got 1.5/);
  assert.throws(() => store.appendMetrics('r', 0, { loss: '1' as unknown as number }), /metric 'loss' is a string/);
  store.close();
});

test('a read-only store reads while another connection writes', (t) => {
  const path = join(tempDir(t), 'store.sqlite');
  const writer = openStore(path);
  writer.put('a', 1);
  const reader = openStore(path, { readonly: true });
  writer.put('b', 2);
  assert.deepEqual(reader.getMany(['a', 'b']), [1, 2]);
  assert.throws(() => reader.put('c', 3), /read-only/);
  reader.close();
  writer.close();
});
