import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { loadCheckpoint, saveCheckpoint } from '../model/index.ts';
import { writeTrlDataset } from '../export/trl.ts';
import { readTrlPairs } from '../dpo/read-trl.ts';
import { referenceLogProbs, writeReferenceFile } from '../dpo/reference.ts';
import { DpoRunSchema, parseDpoSettings, type DpoRun } from '../dpo/settings.ts';
import { craftedPairs, tinyPolicy } from '../dpo/testing.ts';
import { trainDpo } from '../dpo/trainer.ts';
import { coverageGuardedValidator, validationEval } from '../dpo/validate.ts';
import { validationScenes } from '../align/evaluate.ts';
import { weightsFingerprint } from '../model/weights.ts';
import { runDpoCli } from './dpo-run.ts';

before(async () => { await initEngine(); });

const meta = { generator: 'g', labeler: 'l' };
const settings = parseDpoSettings({ epochs: 2, batchSize: 2, lr: 3e-3, checkpointsPerEpoch: 2, warmupFraction: 0 });

/** A base checkpoint and a TRL dataset of `n` crafted pairs (with reference columns when `reference` is given). */
async function fixture(dir: string, n: number, reference?: Array<{ chosen: number; rejected: number }>): Promise<{ base: string; data: string }> {
  const base = join(dir, 'base');
  if (!existsSync(base)) await saveCheckpoint(tinyPolicy(5), base);
  const data = join(dir, reference ? 'trl-ref' : 'trl');
  await writeTrlDataset(data, craftedPairs(n).map((p, i) => ({
    id: `p${i}`, image: p.image, question: p.prompt, chosen: p.chosen, rejected: p.rejected, meta, ...(reference && { reference: reference[i]! }),
  })));
  return { base, data };
}

const train = (pairs: string, base: string, out: string, run: Partial<DpoRun> = {}) =>
  runDpoCli({ pairs, base, out, settings, run: DpoRunSchema.parse(run), log: () => {} });

test('reference log-probs from ref_logps.jsonl or the dataset columns train bit-identically to computing them; trainer_state.json is TRL\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-cli-'));
  try {
    const { base, data } = await fixture(dir, 6);
    const pairs = await readTrlPairs(data);
    const ref = await referenceLogProbs(loadCheckpoint(base), pairs, { batchSize: 8 });
    const refFile = join(dir, 'ref_logps.jsonl');
    writeReferenceFile(refFile, pairs, ref, 'tiny');
    const { data: dataRef } = await fixture(dir, 6, ref);

    // --validate pairs holds 2 pairs out: their reference values come from the same file / columns.
    const run = { validate: 'pairs' as const, valFraction: 0.34 };
    const computed = await train(data, base, join(dir, 'a'), run);
    const fromFile = await train(data, base, join(dir, 'b'), { ...run, refLogps: refFile });
    const fromColumns = await train(dataRef, base, join(dir, 'c'), run);
    const weights = (out: string) => readFileSync(join(out, 'model.safetensors'));
    for (const [name, r, out] of [['file', fromFile, 'b'], ['columns', fromColumns, 'c']] as const) {
      assert.deepEqual(r.history, computed.history, `${name}: same per-step history`);
      assert.deepEqual(r.checkpoints.map((c) => c.score), computed.checkpoints.map((c) => c.score), `${name}: same validation scores`);
      assert.ok(weights(join(dir, out)).equals(weights(join(dir, 'a'))), `${name}: same weights, byte for byte`);
    }
    assert.ok(computed.checkpoints.slice(1).some((c) => c.score !== computed.checkpoints[0]!.score), 'validation saw training move the model');
    assert.ok(!existsSync(join(dir, 'b', 'dpo-round', 'reference.jsonl')), 'given values are not recomputed');

    const state = JSON.parse(readFileSync(join(dir, 'a', 'trainer_state.json'), 'utf8'));
    assert.equal(state.global_step, computed.plan.totalSteps);
    assert.equal(state.max_steps, computed.plan.totalSteps);
    assert.equal(state.best_global_step, computed.best.step);
    assert.equal(state.best_model_checkpoint, computed.best.dir);
    assert.equal(state.best_metric, computed.best.score);
    assert.equal(state.log_history.length, computed.history.length);
    assert.deepEqual(Object.keys(state.log_history[0]), ['epoch', 'grad_norm', 'learning_rate', 'loss', 'rewards/accuracies', 'rewards/chosen', 'rewards/margins', 'rewards/rejected', 'step']);
    const h = computed.history.at(-1)!;
    assert.deepEqual(state.log_history.at(-1), {
      epoch: h.epoch, grad_norm: h.gradNorm, learning_rate: h.lr, loss: h.loss, 'rewards/accuracies': h['rewards/accuracies'],
      'rewards/chosen': h['rewards/chosen'], 'rewards/margins': h['rewards/margins'], 'rewards/rejected': h['rewards/rejected'], step: h.step,
    });

    // A file for other pairs is refused, naming it.
    const other = await fixture(mkdtempSync(join(dir, 'o-')), 5);
    await assert.rejects(train(other.data, base, join(dir, 'd'), { refLogps: refFile }), /ref_logps\.jsonl: has reference log-probs for 6 pairs, the dataset .*train\.jsonl has 5/);
    // Columns carry no token counts: the base model's tokenizer supplies them, so a per-token mean trains the same way too.
    const mean = { ...settings, logProbs: 'mean' as const };
    const meanComputed = await runDpoCli({ pairs: data, base, out: join(dir, 'e'), settings: mean, run: DpoRunSchema.parse(run), log: () => {} });
    const meanColumns = await runDpoCli({ pairs: dataRef, base, out: join(dir, 'f'), settings: mean, run: DpoRunSchema.parse(run), log: () => {} });
    assert.deepEqual(meanColumns.history, meanComputed.history);
    assert.ok(weights(join(dir, 'e')).equals(weights(join(dir, 'f'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--validate world with a coverage reference picks the checkpoint and weights round i of the in-process align loop picks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-world-'));
  try {
    const { base, data } = await fixture(dir, 4);
    const m0 = join(dir, 'm0');
    await saveCheckpoint(tinyPolicy(11), m0); // the coverage reference differs from the round's start
    const round = 2;
    const scenes = validationScenes(round, 2, 'per-round', 0);
    const cli = await train(data, base, join(dir, 'cli'), { validate: 'world', valScenes: 2, valOffset: scenes.offset, coverageWeight: 2, coverageReference: m0, worldSeed: 0 });

    // The align loop's round: trainDpo on the same pairs, scored by the coverage-guarded validator.
    const policy = loadCheckpoint(base);
    const reference = await validationEval(loadCheckpoint(m0), scenes);
    const inProcess = await trainDpo({
      policy, pairs: await readTrlPairs(data), settings, outDir: join(dir, 'align-round'),
      validate: coverageGuardedValidator(scenes, 2, reference),
    });
    // The guard is in play and measured against M_0, not --base: step 0 (the base itself) pays a coverage penalty.
    const start = await validationEval(loadCheckpoint(base), scenes);
    assert.ok(reference.coverage > start.coverage);
    assert.equal(cli.checkpoints[0]!.score, start.chairI + 2 * Math.max(0, 0.95 * reference.coverage - start.coverage));
    assert.equal(cli.best.step, inProcess.best.step);
    assert.equal(await weightsFingerprint(loadCheckpoint(join(dir, 'cli'))), await weightsFingerprint(policy));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rlaifv dpo killed while training leaves no model in --out; the rerun finishes it; --config carries DPO and run settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-kill-'));
  try {
    const { base, data } = await fixture(dir, 4);
    const out = join(dir, 'out');
    const config = join(dir, 'dpo.json');
    writeFileSync(config, JSON.stringify({ epochs: 40, batchSize: 2, lr: 1e-3, checkpointsPerEpoch: 1, validate: 'none', runName: 'r' }));
    const args = ['bin/rlaifv.js', 'dpo', '--pairs', data, '--base', base, '--out', out, '--config', config];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (/checkpoint .*ckpt-4\b/.test(err)) child.kill('SIGKILL');
      });
      child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`not killed mid-training:\n${err}`))));
    });
    assert.ok(existsSync(join(out, 'dpo-round', 'state.json')), 'training had started');
    assert.ok(!existsSync(join(out, 'model.safetensors')) && !existsSync(join(out, 'trainer_state.json')), '--out does not look finished');

    const rerun = spawnSync(process.execPath, [...args, '--epochs', '3'], { encoding: 'utf8', timeout: 120_000 });
    assert.match(rerun.stderr, /dpo-round\/state\.json: this round was started with other DPO settings/, 'the flag overrides the config file');
    const resumed = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /resuming DPO at step [1-9]/);
    assert.ok(existsSync(join(out, 'model.safetensors')) && !existsSync(join(out, '.staging')));
    assert.equal(JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8')).global_step, 80);

    writeFileSync(config, JSON.stringify({ epochs: 1, validate: 'world', valOfset: 3 }));
    const bad = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /dpo\.json \(with command-line options\): field 'valOfset'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
