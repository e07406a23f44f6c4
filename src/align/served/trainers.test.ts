import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandArgv, placeholderValues } from '../../dpo/index.ts';
import { parseAlignSettings } from '../settings.ts';
import { trainerCommand } from './trainers.ts';

const served = (trainer: string, extra: object = {}) => parseAlignSettings({
  policy: 'http://gpu1:8000/v1', served: { trainer, baseModel: 'llava-hf/llava-1.5-7b-hf' }, ...extra,
});
const round = { dataset: '/r/round-2/trainer-data', refLogps: '/r/round-2/trainer-data/ref_logps.jsonl', baseModel: '/r/round-1/model', outputDir: '/r/round-2/model', round: 2, beta: 0.1, lr: 5e-5 };
const argv = (s: ReturnType<typeof served>, outDir = '/r') => commandArgv(String(trainerCommand(s, outDir, 2).command), placeholderValues(round));

test('a recipe gets the common arguments, the words after its name, and the learning rate only when the dpo section sets one', () => {
  const trl = argv(served('trl --mode lora'));
  assert.equal(trl[0], 'python3');
  assert.match(trl[1]!, /recipes\/trl\/dpo_trl\.py$/);
  assert.deepEqual(trl.slice(2), [
    '--dataset', round.dataset, '--base-model', round.baseModel, '--output-dir', round.outputDir, '--round', '2', '--beta', '0.1',
    '--ref-logps', round.refLogps, '--mode', 'lora',
  ]);
  assert.ok(argv(served('trl', { dpo: { lr: 1e-6 } })).includes('--lr'), 'a learning rate the user set is passed on');
  assert.match(argv(served('llama-factory'))[1]!, /recipes\/llama-factory\/train\.py$/);
});

test('the rlaifv recipe trains as the in-process round does: its DPO settings file, the round\'s validation scenes, the coverage guard against M_0', () => {
  const words = argv(served('rlaifv', { valScenes: 50, coverageWeight: 3, worldSeed: 2 }));
  const after = words.slice(words.indexOf('--') + 1);
  assert.deepEqual(after, [
    '--config', '/r/trainer/dpo.json', '--validate', 'world', '--val-scenes', '50', '--val-offset', '50', '--world-seed', '2',
    '--coverage-weight', '3', '--coverage-reference', 'llava-hf/llava-1.5-7b-hf',
  ]);
  assert.ok(words.includes('--lr'), 'the embedded trainer takes the dpo section\'s learning rate, default included');
});

test('anything else is the user\'s command template, placeholders filled, values kept one argument each', () => {
  const words = argv(served('accelerate launch train.py --data {dataset} --model {base_model} --out {output_dir}'));
  assert.deepEqual(words, ['accelerate', 'launch', 'train.py', '--data', round.dataset, '--model', round.baseModel, '--out', round.outputDir]);
  assert.equal(trainerCommand(served('x {dataset}', { served: { trainer: 'x {dataset}', baseModel: 'm', trainerShell: true } }), '/r', 1).shell, true);
});
