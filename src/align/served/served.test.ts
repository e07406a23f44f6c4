import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../../tensor/tf.ts';
import type { RoundMetrics } from '../../report/index.ts';
import { runAlign } from '../run.ts';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { servers, shippedCheckpoints } from './testing.ts';
import { exportWorldBenchmark } from '../../bench/world-export/index.ts';

/** The loop's settings of both runs: two short rounds. */
const SETTINGS = {
  rounds: 2, instructionsPerRound: 4, evalScenes: 4, valScenes: 2, samplesPerRound: 1,
  data: { sampling: { n: 4, maxTokens: 24, temperature: 1 } },
  dpo: { epochs: 1, checkpointsPerEpoch: 2 },
};

/** What the two runs must agree on, per round. */
const COMPARED = ['round', 'chairI', 'chairS', 'coverage', 'attributeErrorRate', 'yesNoAccuracy', 'meanMentions', 'pairs', 'pairPrecision', 'claimAccuracy'] as const;
const figures = (rounds: RoundMetrics[]) => rounds.map((r) => Object.fromEntries(COMPARED.map((k) => [k, r[k]])));

test('two rounds over HTTP (rlaifv serve as vLLM, the rlaifv recipe as the trainer) give the in-process loop\'s figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-served-'));
  shippedCheckpoints(dir);
  await initEngine();
  const up = await servers(dir);
  try {
    const inProcess = await runAlign({ ...SETTINGS, policy: join(dir, 'policy'), labeler: join(dir, 'labeler') }, join(dir, 'in-process'));
    const lines: string[] = [];
    const served = { ...SETTINGS, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, served: { trainer: 'rlaifv', baseModel: join(dir, 'policy') } };
    const out = join(dir, 'served');
    const metrics = await runAlign(served, out, { log: (l) => lines.push(l) });
    assert.deepEqual(figures(metrics.rounds), figures(inProcess.rounds));
    // The start-up check says what each server can do.
    assert.ok(lines.includes(`policy policy at ${up.policy.url}/v1 (rlaifv): image input, n > 1 choices, yes/no logprobs, response scoring (response_logprobs)`), lines.slice(0, 3).join('\n'));
    assert.ok(lines.includes(`labeler labeler at ${up.labeler.url}/v1 (rlaifv): image input, yes/no logprobs`), lines.slice(0, 3).join('\n'));
    assert.deepEqual(figures(metrics.heldOut ?? []), figures(inProcess.heldOut ?? []));
    // The trainer trained exactly as the loop does in-process: same steps, same losses, same checkpoint chosen.
    const curve = (rounds: RoundMetrics[]) => rounds.map((r) => r.dpo?.steps.map((x) => [x.step, x.loss, x['rewards/margins']]));
    assert.deepEqual(curve(metrics.rounds), curve(inProcess.rounds));
    assert.deepEqual(metrics.rounds.map((r) => r.dpo?.best), inProcess.rounds.map((r) => r.dpo?.best), 'the same checkpoint chosen, with the same score');
    // Round i samples with M_{i-1}'s served name, and M_i is the round's adapter on the server.
    assert.deepEqual(metrics.rounds.map((r) => r.model), ['policy', 'rlaifv-round-1', 'rlaifv-round-2']);
    const models = await (await fetch(`${up.policy.url}/v1/models`)).json() as { data: Array<{ id: string }> };
    assert.deepEqual(models.data.map((m) => m.id).sort(), ['policy', 'rlaifv-round-1', 'rlaifv-round-2']);
    // The trainer's own log is in the metrics, and the trainer got the reference log-probs.
    assert.ok((metrics.rounds[1]!.dpo?.steps.length ?? 0) > 0, 'training curves from the trainer log');
    assert.equal(metrics.rounds[1]!.dpo?.source, 'trainer_state.json');
    assert.match(readFileSync(join(out, 'round-1', 'model.log'), 'utf8'), /--ref-logps \S+ref_logps\.jsonl/);
    assert.ok(existsSync(join(out, 'report.html')));
    // The reference log-probs are columns of the trainer's datasets too.
    const row = JSON.parse(readFileSync(join(out, 'round-1', 'trainer-data', 'train.jsonl'), 'utf8').split('\n')[0]!);
    assert.ok(row.ref_chosen_logps < 0 && row.ref_rejected_logps < 0, JSON.stringify(Object.keys(row)));
    assert.equal(row.origin, 'ai', 'the trainer data marks where each pair came from');
    const parquet = await parquetReadObjects({ file: await asyncBufferFromFile(join(out, 'round-1', 'trainer-data', 'pairs.parquet')) });
    assert.equal(parquet[0]!['ref_chosen_logps'], row.ref_chosen_logps);

    // A rerun reads every round back, trains nothing, and ends with the same metrics.
    const again: string[] = [];
    const rerun = await runAlign(served, out, { log: (l) => again.push(l) });
    assert.equal(again.filter((l) => /already done/.test(l)).length, 2);
    assert.ok(!again.some((l) => /training with/.test(l)));
    assert.deepEqual(rerun.rounds, metrics.rounds);
    // Other settings are refused with the field named; other replica URLs are not other settings.
    await assert.rejects(runAlign({ ...served, served: { ...served.served, adapterName: 'x-{round}' } }, out), /served\.adapterName/);
    // More rounds extend the run from M_2 on the server; the held-out world then measures M_3, M_0's figures kept.
    const longer = await runAlign({ ...served, rounds: 3 }, out);
    assert.deepEqual(longer.rounds.map((r) => r.model), ['policy', 'rlaifv-round-1', 'rlaifv-round-2', 'rlaifv-round-3']);
    assert.deepEqual(longer.rounds.slice(0, 3), metrics.rounds);
    assert.deepEqual(longer.heldOut?.map((r) => r.model), ['policy', 'rlaifv-round-3']);
    assert.deepEqual(longer.heldOut?.[0], metrics.heldOut?.[0]);
    assert.match(readFileSync(join(out, 'round-3', 'model.log'), 'utf8'), new RegExp(`--base-model ${join(out, 'round-2', 'model')}`), 'round 3 starts from M_2');
  } finally {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a served model evaluated on a benchmark instead of the world: each round\'s model answers it under its served name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-served-bench-'));
  shippedCheckpoints(dir);
  await initEngine();
  exportWorldBenchmark('objhal', join(dir, 'data'), { n: 4 });
  const up = await servers(dir);
  try {
    const metrics = await runAlign({
      ...SETTINGS, rounds: 1, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, eval: 'objhal', evalData: join(dir, 'data'),
      served: { trainer: 'rlaifv', baseModel: join(dir, 'policy') },
    }, join(dir, 'run'));
    assert.deepEqual(metrics.rounds.map((r) => [r.model, r.benchmark?.name, r.benchmark?.metrics['n']]), [['policy', 'objhal', 4], ['rlaifv-round-1', 'objhal', 4]]);
    assert.equal(metrics.rounds[1]!.chairI, undefined, 'no world figures for a served model evaluated on a benchmark');
    assert.equal(metrics.heldOut, undefined);
  } finally {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
