/**
 * The failure modes of `rlaifv align` on served models (issue 16): a trainer that fails or writes
 * nothing, a replica that refuses the adapter or is down, and a run killed with -9 while sampling,
 * training or loading. Servers are `rlaifv serve` on the shipped models, started in this process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hotLoad } from '../../dpo/hot-load.ts';
import { initEngine } from '../../tensor/tf.ts';
import { RlaifvError } from '../../util/errors.ts';
import { runAlign } from '../run.ts';
import { beforeGenerate, servers, shippedCheckpoints } from './testing.ts';

/** One small round: few instructions, short answers, no evaluation. */
const ROUND = {
  rounds: 1, instructionsPerRound: 3, evalScenes: 1, valScenes: 1, samplesPerRound: 0,
  data: { sampling: { n: 3, maxTokens: 16, temperature: 1 } },
};

/** The trainer's starts in a round's log: runLogged writes one `$ command` line per start. */
const starts = (log: string) => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('$ ')).length;

test('a trainer that fails names its command and log tail, one that writes nothing is named; the rerun retries only the trainer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-failures-'));
  shippedCheckpoints(dir);
  await initEngine();
  let sampling = 0;
  const up = await servers(dir, { wrap: (b) => beforeGenerate(b, (o) => { if (o.maxTokens > 1) sampling++; }) });
  try {
    const fail = join(dir, 'fail'), empty = join(dir, 'empty');
    // Fails while `fail` exists, exits 0 writing nothing while `empty` exists, else "trains": M_1 = a copy of M_0.
    const trainer = `if [ -f ${fail} ]; then echo "loading {base_model}"; echo "CUDA out of memory (round {round})" >&2; exit 3; fi; `
      + `if [ -f ${empty} ]; then exit 0; fi; cp -r {base_model} {output_dir}`;
    const settings = { ...ROUND, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, served: { trainer, trainerShell: true, baseModel: join(dir, 'policy'), eval: 'none' as const } };
    const out = join(dir, 'run');
    const log = join(out, 'round-1', 'model.log');

    writeFileSync(fail, '');
    await assert.rejects(runAlign(settings, out), (err: Error) => {
      assert.match(err.message, /exited with status 3/);
      assert.ok(err.message.includes(`if [ -f ${fail} ]`), `the command is named: ${err.message}`);
      assert.match(err.message, /\| CUDA out of memory \(round 1\)/);
      assert.ok(err.message.includes(log), 'the log is named');
      return true;
    });
    const sampled = sampling;
    assert.ok(sampled > 0);

    rmSync(fail);
    writeFileSync(empty, '');
    await assert.rejects(runAlign(settings, out), /the trainer exited successfully but wrote nothing to \{output_dir\} = \S+round-1\/model/);

    rmSync(empty);
    const lines: string[] = [];
    const metrics = await runAlign(settings, out, { log: (l) => lines.push(l) });
    assert.equal(metrics.rounds.at(-1)?.model, 'rlaifv-round-1');
    // Only the trainer ran again: the data engine answered from its store, no sampling request reached the server.
    assert.equal(sampling, sampled, 'no sampling after the first run');
    assert.equal(starts(log), 3);
    assert.ok(existsSync(join(out, 'round-1', 'round.json')));
  } finally {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

test('a replica that refuses the adapter fails the round naming VLLM_ALLOW_RUNTIME_LORA_UPDATING=True', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-failures-'));
  shippedCheckpoints(dir);
  await initEngine();
  const up = await servers(dir, { policy: { allowLoraLoading: false } });
  try {
    const settings = { ...ROUND, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, served: { trainer: 'cp -r {base_model} {output_dir}', baseModel: join(dir, 'policy'), eval: 'none' as const } };
    await assert.rejects(runAlign(settings, join(dir, 'run')), (err: Error) => {
      assert.match(err.message, /load_lora_adapter/);
      assert.ok(err.message.includes('VLLM_ALLOW_RUNTIME_LORA_UPDATING=True'), err.message);
      return true;
    });
  } finally {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a policy replica that is down when the round\'s adapter is loaded is retried, then named; the others are loaded', async () => {
  const loads: string[] = [];
  const fake = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { loads.push(`${req.url} ${body}`); res.end('Success: LoRA adapter loaded'); });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`;
  const down = `http://127.0.0.1:${await closedPort()}/v1`;
  const lines: string[] = [];
  try {
    await assert.rejects(hotLoad({
      kind: 'lora', engine: 'vllm', baseUrls: [up, down], modelName: 'rlaifv-round-1', adapterPath: '/runs/r/round-1/model',
      readyTimeoutMs: 1000, attempts: 3, retryDelayMs: 10, progress: (l) => lines.push(l),
    }), (err: Error) => {
      assert.ok(err instanceof RlaifvError);
      assert.ok(err.message.startsWith(`policy replica ${down} is down: 3 attempts to load rlaifv-round-1 failed`), err.message);
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
    assert.deepEqual(loads, ['/v1/load_lora_adapter {"lora_name":"rlaifv-round-1","lora_path":"/runs/r/round-1/model"}']);
    assert.equal(lines.filter((l) => l.startsWith(`${down} unreachable`)).length, 2, lines.join('\n'));
  } finally {
    await new Promise((r) => fake.close(r));
  }
});
