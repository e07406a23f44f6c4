import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { openStore } from '../store/index.ts';
import { craftedPairs, tinyPolicy } from './testing.ts';
import { trainDpo } from './trainer.ts';
import { weightsFingerprint } from '../model/weights.ts';

before(async () => { await initEngine(); });

/** A policy whose reference computations are counted. */
function countedPolicy(seed: number) {
  const policy = tinyPolicy(seed);
  const calls = { logProbs: 0 };
  const original = policy.logProbs.bind(policy);
  policy.logProbs = async (batch) => { calls.logProbs++; return original(batch); };
  return { policy, calls };
}

const settings = { epochs: 2, batchSize: 2, lr: 2e-3, checkpointsPerEpoch: 2, referenceBatchSize: 4 };

for (const where of ['file', 'store'] as const) {
  test(`a killed round resumes from its last checkpoint with optimizer state, reusing reference log-probs (${where})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-resume-'));
    const pairs = craftedPairs(4);

    // The uninterrupted round, for comparison.
    const whole = tinyPolicy(5);
    const full = await trainDpo({ policy: whole, pairs, settings, outDir: join(dir, 'whole'), validate: async (_m, at) => -at.step });

    // The same round, "killed" while validating the checkpoint after step 3 (steps 1 and 2 are finished).
    const out = join(dir, 'killed');
    const storePath = join(dir, 'store.sqlite');
    const first = countedPolicy(5);
    const validated: number[] = [];
    const validate = async (_m: unknown, at: { step: number }) => {
      if (at.step === 3 && validated.filter((s) => s === 3).length === 0) { validated.push(3); throw new Error('killed'); }
      validated.push(at.step);
      return -at.step;
    };
    const store1 = where === 'store' ? openStore(storePath) : undefined;
    await assert.rejects(trainDpo({ policy: first.policy, pairs, settings, outDir: out, validate, ...(store1 && { store: store1 }) }), /killed/);
    store1?.close();
    assert.equal(first.calls.logProbs, 2, '8 responses in batches of 4');
    assert.deepEqual(validated, [0, 1, 2, 3]);

    // A new process: M_i loaded again, same folder (and store).
    const second = countedPolicy(5);
    const store2 = where === 'store' ? openStore(storePath) : undefined;
    const resumed = await trainDpo({ policy: second.policy, pairs, settings, outDir: out, validate, ...(store2 && { store: store2 }) });
    store2?.close();
    assert.equal(second.calls.logProbs, 0, 'reference log-probs are read back, not recomputed');
    assert.deepEqual(validated, [0, 1, 2, 3, 3, 4], 'finished checkpoints 0-2 are not revalidated');
    assert.deepEqual(resumed.checkpoints.map((c) => c.step), [0, 1, 2, 3, 4]);
    assert.deepEqual(resumed.history.map((h) => h.step), [1, 2, 3, 4]);
    assert.deepEqual(resumed.reference, full.reference);
    assert.deepEqual(resumed.history.map((h) => h.loss), full.history.map((h) => h.loss), 'same steps, same losses as without the kill');
    assert.equal(await weightsFingerprint(second.policy), await weightsFingerprint(whole), 'bit-identical weights: optimizer state was restored');
    assert.ok(!existsSync(join(out, 'ckpt-2', 'optimizer.safetensors')), 'only the newest checkpoint keeps optimizer state');

    // Running a finished round again trains nothing and returns the same best checkpoint.
    const third = countedPolicy(5);
    const again = await trainDpo({ policy: third.policy, pairs, settings, outDir: out, validate });
    assert.equal(again.best.step, 4);
    assert.equal(again.history.length, 4);
    assert.deepEqual(validated, [0, 1, 2, 3, 3, 4]);

    // Another starting policy or other settings in the same folder is refused, naming the fix.
    await assert.rejects(trainDpo({ policy: tinyPolicy(6), pairs, settings, outDir: out }), /another policy.*delete/s);
    await assert.rejects(trainDpo({ policy: tinyPolicy(5), pairs, settings: { ...settings, beta: 0.2 }, outDir: out }), /other DPO settings/);
    rmSync(dir, { recursive: true, force: true });
  });
}
