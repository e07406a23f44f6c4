import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { loadCheckpoint } from '../model/index.ts';
import { openStore } from '../store/index.ts';
import { craftedPairs, tinyPolicy } from './testing.ts';
import { pickBest, trainDpo } from './trainer.ts';
import { weightsFingerprint } from '../model/weights.ts';

before(async () => { await initEngine(); });

const tmp = () => mkdtempSync(join(tmpdir(), 'rlaifv-dpo-'));

/** Summed log pi of chosen and rejected per pair, and the implicit reward margin against `ref`. */
async function margins(model: ReturnType<typeof tinyPolicy>, pairs: ReturnType<typeof craftedPairs>, ref: Array<{ chosen: number; rejected: number }>, beta: number) {
  const lp = await model.logProbs(pairs.flatMap((p) => [{ image: p.image, prompt: p.prompt, response: p.chosen }, { image: p.image, prompt: p.prompt, response: p.rejected }]));
  return pairs.map((_, i) => beta * ((lp[2 * i]!.sum - ref[i]!.chosen) - (lp[2 * i + 1]!.sum - ref[i]!.rejected)));
}

test('a few DPO steps raise the chosen-rejected reward margin and reward accuracy; metrics go to the store', async () => {
  const dir = tmp();
  const store = openStore(join(dir, 'store.sqlite'));
  const pairs = craftedPairs(4);
  const policy = tinyPolicy(3);
  const settings = { epochs: 6, batchSize: 2, lr: 3e-3, checkpointsPerEpoch: 1, warmupFraction: 0 };
  const r = await trainDpo({ policy, pairs, settings, outDir: join(dir, 'round'), store, runName: 'dpo/iter-1' });
  assert.equal(r.plan.totalSteps, 12);
  assert.equal(r.history.length, 12);
  const first = r.history[0]!;
  const last = r.history.at(-1)!;
  assert.ok(Math.abs(first.loss - Math.LN2) < 1e-4, `first step starts at pi = pi_ref: loss ${first.loss}`);
  assert.ok(Math.abs(first['rewards/margins']) < 1e-4);
  assert.ok(last['rewards/margins'] > 0.05, `margin after training ${last['rewards/margins']}`);
  assert.equal(last['rewards/accuracies'], 1);
  assert.ok(last.loss < first.loss - 0.02, `loss ${first.loss} -> ${last.loss}`);
  // Without validation the last checkpoint is the best, and the policy now holds it.
  assert.equal(r.best.step, 12);
  const m = await margins(policy, pairs, r.reference, 0.1);
  assert.ok(m.every((x) => x > 0), `every pair now prefers chosen: ${m}`);
  assert.equal(await weightsFingerprint(policy), await weightsFingerprint(loadCheckpoint(r.best.dir)));
  const names = new Set(store.metrics('dpo/iter-1').map((p) => p.name));
  for (const n of ['loss', 'rewards/chosen', 'rewards/rejected', 'rewards/margins', 'rewards/accuracies', 'lr', 'grad_norm']) assert.ok(names.has(n), `metric ${n}`);
  assert.equal(store.metrics('dpo/iter-1', 'loss').length, 12);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('checkpoint selection: the best validation score wins; step 0 (M_i) when nothing improves', async () => {
  const pairs = craftedPairs(4);
  const settings = { epochs: 2, batchSize: 2, lr: 1e-3, checkpointsPerEpoch: 2 };
  // 2 steps per epoch, 2 checkpoints per epoch: checkpoints after steps 1, 2, 3, 4, plus step 0.
  const scoresA: Record<number, number> = { 0: 0.5, 1: 0.4, 2: 0.2, 3: 0.3, 4: 0.25 };
  const dirA = tmp();
  const a = await trainDpo({ policy: tinyPolicy(4), pairs, settings, outDir: dirA, validate: async (_m, at) => scoresA[at.step]! });
  assert.deepEqual(a.checkpoints.map((c) => c.step), [0, 1, 2, 3, 4]);
  assert.deepEqual(a.checkpoints.map((c) => c.epoch), [0, 0.5, 1, 1.5, 2]);
  assert.equal(a.best.step, 2);
  assert.equal(a.best.dir, join(dirA, 'ckpt-2'));
  assert.ok(existsSync(join(a.best.dir, 'model.safetensors')));

  const dirB = tmp();
  const policy = tinyPolicy(4);
  const start = await weightsFingerprint(policy);
  const worse = await trainDpo({ policy, pairs, settings, outDir: dirB, validate: async (_m, at) => (at.step === 0 ? 0.3 : 0.3 + at.step) });
  assert.equal(worse.best.step, 0);
  assert.equal(await weightsFingerprint(policy), start, 'the policy is restored to M_i');

  // A tie with M_i keeps M_i: a round must strictly improve to replace it.
  assert.equal(pickBest([{ step: 0, score: 0.3 }, { step: 5, score: 0.3 }]).step, 0);
  assert.equal(pickBest([{ step: 0, score: Number.NaN }, { step: 5, score: 0.9 }]).step, 5);
  assert.equal(pickBest([{ step: 0, score: Number.NaN }, { step: 5, score: Number.NaN }]).step, 5);
  rmSync(dirA, { recursive: true, force: true });
  rmSync(dirB, { recursive: true, force: true });
});
