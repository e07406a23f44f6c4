import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { weightsFingerprint } from '../model/weights.ts';
import { createModel, loadCheckpoint, saveCheckpoint } from '../model/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { worldTokenizer } from '../pretrain/run.ts';
import { parseMetrics } from '../report/index.ts';
import { runAlign } from './run.ts';
import { tempDir } from '../util/temp-dir.ts';
import { exportWorldBenchmark } from '../bench/world-export/index.ts';

const tiny = { dModel: 16, nLayers: 1, nHeads: 2, maxText: 112 };

test('a two-round loop on a tiny configuration runs end to end, writes metrics.json and report.html, and resumes', async () => {
  await initEngine();
  const dir = mkdtempSync(join(tmpdir(), 'align-'));
  try {
    for (const [name, seed] of [['policy', 1], ['labeler', 2]] as const) {
      const m = createModel(name, worldTokenizer(), tiny, seed);
      await saveCheckpoint(m, join(dir, name));
      m.dispose();
    }
    const settings = {
      rounds: 2, instructionsPerRound: 3, evalScenes: 4, valScenes: 2, samplesPerRound: 1,
      policy: join(dir, 'policy'), labeler: join(dir, 'labeler'),
      data: { sampling: { n: 4, maxTokens: 24, temperature: 1 } },
      dpo: { epochs: 1, checkpointsPerEpoch: 2 },
    };
    const lines: string[] = [];
    const out = join(dir, 'run');
    const metrics = await runAlign(settings, out, { log: (l) => lines.push(l) });
    assert.deepEqual(metrics.rounds.map((r) => r.round), [0, 1, 2]);
    for (const r of metrics.rounds.slice(1)) {
      assert.equal(typeof r.chairI, 'number');
      assert.ok('pairPrecision' in r && 'pairs' in r, 'rounds >= 1 report pair precision and pairs');
    }
    assert.equal(metrics.heldOut?.length, 2);
    // The coverage guard measures every round against the base policy M_0, not the round's start,
    // and each round validates on scenes of its own (validationSlices 'per-round').
    const guard = lines.filter((l) => /coverage guard/.test(l));
    assert.equal(guard.length, 2, lines.join('\n'));
    assert.ok(guard[0]!.includes('of M_0 on val scenes 0..1 is '), guard.join('\n'));
    assert.ok(guard[1]!.includes('of M_0 on val scenes 2..3 is '), guard.join('\n'));
    const written = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.deepEqual(written.rounds.map((r: { round: number }) => r.round), [0, 1, 2]);
    // The loop writes with the report's schema: reading the file back through it drops and adds nothing.
    assert.ok(written.samples.length > 0, 'report samples are written, so the check covers them too');
    assert.deepEqual(parseMetrics(written), written);
    assert.ok(readFileSync(join(out, 'report.html'), 'utf8').includes('<svg'));
    assert.ok(existsSync(join(out, 'round-2', 'model', 'model.safetensors')));

    // Rerunning the finished folder recomputes nothing: every round is read back.
    const again: string[] = [];
    const metrics2 = await runAlign(settings, out, { log: (l) => again.push(l) });
    assert.equal(again.filter((l) => /already done/.test(l)).length, 2);
    assert.deepEqual(metrics2.rounds, metrics.rounds);
    // Other settings would mix rounds made under both: refused, naming the field.
    await assert.rejects(runAlign({ ...settings, dpo: { ...settings.dpo, beta: 0.2 } }, out), /dpo\.beta: 0\.1 -> 0\.2/);
    // More rounds extend the run; the held-out world then measures the new final policy, M_0's figures kept.
    const longer = await runAlign({ ...settings, rounds: 3 }, out);
    assert.deepEqual(longer.rounds.map((r) => r.round), [0, 1, 2, 3]);
    assert.deepEqual(longer.heldOut?.map((r) => r.round), [0, 3]);
    assert.deepEqual(longer.heldOut?.[0], metrics.heldOut?.[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with oracle feedback every claim verdict with a known truth is right', async () => {
  await initEngine();
  const dir = mkdtempSync(join(tmpdir(), 'align-oracle-'));
  try {
    const metrics = await runAlign({
      rounds: 1, instructionsPerRound: 3, evalScenes: 2, valScenes: 2, samplesPerRound: 0, ablation: 'oracle-feedback',
      data: { sampling: { n: 4, maxTokens: 40 } }, dpo: { epochs: 1, checkpointsPerEpoch: 1 },
    }, join(dir, 'run'));
    const round = metrics.rounds[1]!;
    assert.equal(round.claimAccuracy, 1, JSON.stringify(round));
    assert.ok((round.pairs ?? 0) > 0, 'the shipped policy\'s candidates differ in true claims, so pairs form');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const judge of ['base', 'current'] as const) {
  test(`self-feedback with selfFeedbackJudge '${judge}': round 2 is sampled by M_1 and judged by ${judge === 'base' ? 'M_0' : 'M_1'}`, async () => {
    await initEngine();
    const dir = mkdtempSync(join(tmpdir(), 'align-self-'));
    try {
      const out = join(dir, 'run');
      await runAlign({
        rounds: 2, instructionsPerRound: 4, evalScenes: 2, valScenes: 4, samplesPerRound: 0, selfFeedback: true, selfFeedbackJudge: judge,
        // Without M_0 among the candidates, M_1 is the trained checkpoint, so the two roles can be told apart.
        data: { sampling: { n: 4, maxTokens: 40 } }, dpo: { epochs: 1, checkpointsPerEpoch: 1, includeReference: false },
      }, out);
      const models = (round: number) => JSON.parse(readFileSync(join(out, `round-${round}`, 'data', 'summary.json'), 'utf8')).models;
      const m0 = await weightsFingerprint(loadCheckpoint(shippedModel(loadSettings(), 'policy-base')));
      const m1 = await weightsFingerprint(loadCheckpoint(join(out, 'round-1', 'model')));
      assert.notEqual(m1, m0, 'M_1 must differ from M_0 for this test to tell the judges apart');
      assert.deepEqual(models(1), { policy: m0, labeler: m0, llm: null, selfFeedback: true }, 'round 1: M_0 samples and judges itself');
      // With 'base', M_0 is a labeler like any other to round 2's data engine.
      assert.deepEqual(models(2), judge === 'base'
        ? { policy: m1, labeler: m0, llm: null, selfFeedback: false }
        : { policy: m1, labeler: m1, llm: null, selfFeedback: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('eval objhal: every round, round 0 included, is also scored on a benchmark (a world export here), in metrics.json, the report, and bench/round-<i>/', async () => {
  await initEngine();
  const dir = tempDir('align-bench-');
  exportWorldBenchmark('objhal', join(dir, 'data'), { n: 6 });
  const settings = {
    rounds: 1, instructionsPerRound: 3, evalScenes: 2, valScenes: 2, samplesPerRound: 0, eval: 'objhal' as const, evalData: join(dir, 'data'),
    data: { sampling: { n: 4, maxTokens: 40 } }, dpo: { epochs: 1, checkpointsPerEpoch: 1 },
  };
  const metrics = await runAlign(settings, join(dir, 'run'));
  for (const r of metrics.rounds) {
    assert.equal(r.benchmark?.name, 'objhal', `round ${r.round}`);
    assert.equal(typeof r.benchmark?.metrics['chairI'], 'number');
    assert.ok(existsSync(join(dir, 'run', 'bench', `round-${r.round}`, 'results.json')));
  }
  assert.equal(typeof metrics.rounds[0]!.chairI, 'number', 'the world is still measured in-process');
  assert.match(readFileSync(join(dir, 'run', 'report.html'), 'utf8'), /<h3>Object HalBench<\/h3>/);
  await assert.rejects(runAlign({ ...settings, evalData: undefined }, join(dir, 'other')), /evalData.*--eval-data DIR/);
});
