import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../util/errors.ts';
import { parseDataEngineConfig } from './config.ts';

test("an empty configuration gives the paper's defaults", () => {
  const c = parseDataEngineConfig({});
  assert.deepEqual(c.sampling, { n: 10, temperature: 0.7, topP: 1, maxTokens: 512, seed: 0 });
  assert.equal(c.divide.method, 'rules');
  assert.equal(c.divide.temperature, 0.2);
  assert.equal(c.divide.topP, 0.9);
  assert.equal(c.divide.maxTokens, 256);
  assert.equal(c.divide.promptWords, 300);
  assert.equal(c.questions.method, 'rules');
  assert.equal(c.questions.temperature, 0.2);
  assert.equal(c.label.selfFeedback, false);
  assert.deepEqual(c.pairs, { duplicateQuestions: 'drop', diff: 1, maxPairsPerInstruction: 2, seed: 0, lengthBalance: true, ratioSteps: 50 });
  assert.deepEqual({ ...c.input, kinds: undefined }, {
    source: 'world', worldSeed: 0, split: 'train', offset: 0, count: 200, strict: false, kinds: undefined,
    fetchTimeoutMs: 30_000, maxImageBytes: 64 * 2 ** 20, maxImagePixels: 4096 * 4096, allowRemote: true,
  });
  assert.deepEqual(c.input.kinds, { describe: 1, objects: 0, where: 0 });
  assert.deepEqual(c.models, {});
  assert.deepEqual(c.export, { formats: ['parquet', 'trl'], dsName: 'rlaifv' });
});

test('a partial section keeps the defaults of its other fields', () => {
  const c = parseDataEngineConfig({ sampling: { n: 4 }, divide: { method: 'llm', temperature: 0 } });
  assert.equal(c.sampling.n, 4);
  assert.equal(c.sampling.temperature, 0.7);
  assert.equal(c.divide.method, 'llm');
  assert.equal(c.divide.temperature, 0);
  assert.equal(c.divide.maxTokens, 256);
});

test('a bad value and an unknown key are named, with where they came from', () => {
  assert.throws(() => parseDataEngineConfig({ sampling: { n: 0 } }, 'run.json'),
    (e: Error) => e instanceof ConfigError && /^run\.json: field 'sampling\.n': /.test(e.message));
  assert.throws(() => parseDataEngineConfig({ sampling: { temprature: 1 } }, 'run.json'),
    (e: Error) => /field 'sampling\.temprature': Unrecognized key/.test(e.message));
  assert.throws(() => parseDataEngineConfig({ samplng: {} }), (e: Error) => /field 'samplng'/.test(e.message));
  assert.throws(() => parseDataEngineConfig({ divide: { method: 'magic' } }), (e: Error) => /field 'divide\.method'/.test(e.message));
  assert.throws(() => parseDataEngineConfig({ input: { kinds: { describe: 0 } } }), (e: Error) => /field 'input\.kinds': at least one instruction kind/.test(e.message));
});
