import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { dpoPlan, stepLr, stepPairs } from './plan.ts';
import { readTrlPairs } from './read-trl.ts';
import { parseDpoSettings } from './settings.ts';
import { craftedPairs, tinyPolicy } from './testing.ts';
import { dpoStep } from './step.ts';
import { AdamW } from '../model/index.ts';
import { referenceLogProbs } from './reference.ts';
import { heldOutPairsValidator, holdOut } from './validate.ts';

before(async () => { await initEngine(); });

test("settings carry the paper's defaults and name the field that is wrong", () => {
  const s = parseDpoSettings({});
  assert.deepEqual([s.beta, s.batchSize, s.epochs, s.warmupFraction, s.schedule, s.weightDecay, s.sftWeight, s.logProbs, s.checkpointsPerEpoch, s.includeReference],
    [0.1, 8, 4, 0.05, 'cosine', 0.01, 0, 'sum', 4, true]);
  assert.throws(() => parseDpoSettings({ beta: -1 }, 'config.json'), /config\.json: field 'beta'/);
  assert.throws(() => parseDpoSettings({ betta: 0.1 }), /betta/);
});

test('plan: every pair once per epoch, checkpoints every quarter epoch, warm-up then cosine to 0', () => {
  const s = parseDpoSettings({});
  const plan = dpoPlan(100, s);
  assert.deepEqual([plan.stepsPerEpoch, plan.totalSteps, plan.warmupSteps], [13, 52, 3]);
  assert.deepEqual(plan.checkpointSteps.slice(0, 5), [3, 7, 10, 13, 16]);
  assert.equal(plan.checkpointSteps.at(-1), 52);
  for (const epoch of [0, 1]) {
    const seen = Array.from({ length: 13 }, (_, j) => stepPairs(plan, 0, epoch * 13 + j)).flat();
    assert.deepEqual([...seen].sort((a, b) => a - b), [...Array(100).keys()]);
  }
  assert.notDeepEqual(stepPairs(plan, 0, 0), stepPairs(plan, 0, 13), 'each epoch is shuffled anew');
  assert.deepEqual(stepPairs(plan, 0, 5), stepPairs(dpoPlan(100, s), 0, 5), 'order depends on the seed only');
  assert.ok(stepLr(plan, s, 0) < stepLr(plan, s, 2));
  assert.equal(stepLr(plan, s, 3), s.lr);
  assert.ok(stepLr(plan, s, 51) < s.lr * 0.01);
});

test('held-out pairs: split is seeded and disjoint; M_i scores ln 2, a model trained on them scores lower', async () => {
  const { train, val } = holdOut([...Array(20).keys()], 0.1, 0);
  assert.equal(val.length, 2);
  assert.deepEqual([...train, ...val].sort((a, b) => a - b), [...Array(20).keys()]);
  assert.deepEqual(holdOut([...Array(20).keys()], 0.1, 0).val, val);
  assert.equal(holdOut([1], 0.1, 0).val.length, 0, 'a single pair is never held out');

  const pairs = craftedPairs(4);
  const policy = tinyPolicy(9);
  const validate = await heldOutPairsValidator(policy, pairs, { beta: 0.1, logProbs: 'sum' }, { batchSize: 8 });
  assert.ok(Math.abs((await validate(policy)) - Math.LN2) < 1e-9);
  const ref = await referenceLogProbs(policy, pairs, { batchSize: 8 });
  const opt = new AdamW(policy.net.params);
  for (let i = 0; i < 5; i++) dpoStep(policy, opt, 3e-3, pairs, ref, { beta: 0.1, sftWeight: 0, logProbs: 'sum' });
  opt.dispose();
  assert.ok((await validate(policy)) < Math.LN2 - 0.01);
});

test('TRL rows with plain-string fields read too; errors name file, line and field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-trl-'));
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
  writeFileSync(join(dir, 'pairs.trl.jsonl'), JSON.stringify({ images: [`data:image/png;base64,${png}`], prompt: 'Q', chosen: 'A', rejected: 'B' }) + '\n');
  const [p] = await readTrlPairs(join(dir, 'pairs.trl.jsonl'));
  assert.deepEqual([p!.prompt, p!.chosen, p!.rejected, p!.image.width], ['Q', 'A', 'B', 1]);
  assert.equal((await readTrlPairs(dir)).length, 1, 'a folder with one .jsonl file');
  writeFileSync(join(dir, 'bad.jsonl'), JSON.stringify({ images: ['missing.png'], prompt: 'Q', chosen: 'A', rejected: 'B' }) + '\n'
    + JSON.stringify({ images: [], prompt: 'Q', chosen: 'A', rejected: 'B' }) + '\n');
  await assert.rejects(readTrlPairs(join(dir, 'bad.jsonl')), /bad\.jsonl:1: field 'images\[0\]': image file .*missing\.png does not exist/);
  await assert.rejects(readTrlPairs(dir), /several \.jsonl files/);
  rmSync(dir, { recursive: true, force: true });
});
