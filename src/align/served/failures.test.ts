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
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../dpo/command-template.ts';
import { hotLoad } from '../../dpo/hot-load.ts';
import { openCheckpoint } from '../../model/open.ts';
import { PACKAGE_ROOT } from '../../settings.ts';
import { initEngine } from '../../tensor/tf.ts';
import { RlaifvError } from '../../util/errors.ts';
import type { Metrics } from '../../report/index.ts';
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
    const settings = { ...ROUND, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, served: { trainer, trainerShell: true, baseModel: join(dir, 'policy') }, eval: 'none' as const };
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
    const settings = { ...ROUND, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`, served: { trainer: 'cp -r {base_model} {output_dir}', baseModel: join(dir, 'policy') }, eval: 'none' as const };
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

/** A promise with its resolve, for holding a server's answer until the test lets it go. */
function latch(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

/** metrics.json without its timing fields, which differ between any two runs. */
function untimed(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'), (key, value) => (key === 'seconds' ? undefined : value));
}

/** `rlaifv align` as a user runs it, in a process of its own; `kill` sends it SIGKILL. */
function cli(out: string, config: string): { pid: number; exited: Promise<number | null>; kill(): void; output(): string } {
  let output = '';
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'rlaifv.js'), 'align', '--out', out, '--config', config],
    { env: { ...process.env, RLAIFV_DEBUG: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { pid: child.pid!, exited, kill: () => child.kill('SIGKILL'), output: () => output };
}

async function until(what: string, ok: () => boolean, run: { exited: Promise<number | null>; output(): string }): Promise<void> {
  let gone = false;
  void run.exited.then(() => { gone = true; });
  while (!ok()) {
    if (gone) throw new Error(`the run ended before ${what}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The pid in a trainer's pid file; undefined while there is none (or it is being written). */
function trainerPid(file: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

/** Whether a process runs (a zombie, waiting for its parent to read its status, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('kill -9 while sampling, training and loading: each rerun resumes, the last ends with an uninterrupted run\'s metrics.json, the finished training is not run again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-kill-'));
  shippedCheckpoints(dir);
  await initEngine();
  // What the test holds: the first sampling request, and the adapter's loading, each until the run is killed.
  let holdSampling: ReturnType<typeof latch> | undefined;
  const samplingHeld = latch();
  const left: number[] = [];
  let holdLoading: ReturnType<typeof latch> | undefined;
  const loadingHeld = latch();
  const up = await servers(dir, {
    wrap: (b) => beforeGenerate(b, async (o) => {
      if (o.maxTokens > 1 && holdSampling) { samplingHeld.open(); await holdSampling.promise; }
    }),
    policy: { loadAdapter: async (folder, name) => {
      if (holdLoading) { loadingHeld.open(); await holdLoading.promise; }
      return openCheckpoint(folder, name);
    } },
  });
  try {
    // The rlaifv recipe's trainer, behind a gate file: until it exists the trainer waits, as a long training would.
    const gate = join(dir, 'gate');
    const trainer = `while [ ! -f ${shellQuote(gate)} ]; do sleep 0.05; done; bash ${shellQuote(join(PACKAGE_ROOT, 'recipes', 'rlaifv', 'train.sh'))} `
      + '--dataset {dataset} --base-model {base_model} --output-dir {output_dir} --round {round} --beta {beta} --lr {lr} --ref-logps {ref_logps} '
      + '-- --epochs 2 --validate none';
    const settings = {
      ...ROUND, evalScenes: 2, dpo: { lr: 1e-3 }, policy: `${up.policy.url}/v1`, labeler: `${up.labeler.url}/v1`,
      served: { trainer, trainerShell: true, baseModel: join(dir, 'policy') },
    };
    const config = join(dir, 'align.json');
    writeFileSync(config, JSON.stringify(settings));

    // The uninterrupted run.
    writeFileSync(gate, '');
    const whole = join(dir, 'whole');
    await runAlign(settings, whole);
    rmSync(gate);

    const out = join(dir, 'killed');
    const round = join(out, 'round-1');
    // (a) killed while the policy server answers the first sampling request.
    holdSampling = latch();
    let run = cli(out, config);
    left.push(run.pid);
    await Promise.race([samplingHeld.promise, until('sampling', () => false, run)]);
    run.kill();
    await run.exited;
    holdSampling.open();
    holdSampling = undefined;

    // (b) the rerun samples, then is killed while its trainer runs (held at the gate): the trainer is left running.
    run = cli(out, config);
    left.push(run.pid);
    const pidFile = join(round, 'model.trainer.pid');
    await until('training', () => trainerPid(pidFile) !== undefined, run);
    const orphan = trainerPid(pidFile)!;
    left.push(orphan);
    run.kill();
    await run.exited;
    assert.ok(running(orphan), 'the killed run left its trainer running');

    // (c) the rerun stops that trainer before starting its own, trains, and is killed while the server loads the adapter.
    holdLoading = latch();
    run = cli(out, config);
    left.push(run.pid);
    await until('the second training', () => (trainerPid(pidFile) ?? orphan) !== orphan, run);
    assert.ok(!running(orphan), 'the orphan trainer was stopped before the new one started');
    writeFileSync(gate, '');
    await Promise.race([loadingHeld.promise, until('loading', () => false, run)]);
    run.kill();
    await run.exited;
    holdLoading.open();
    holdLoading = undefined;

    // The last rerun finishes.
    run = cli(out, config);
    left.push(run.pid);
    assert.equal(await run.exited, 0, run.output());
    const metrics = untimed(join(out, 'metrics.json')) as Metrics;
    assert.deepEqual(metrics, untimed(join(whole, 'metrics.json')));
    assert.ok((metrics.rounds[1]?.dpo?.steps.length ?? 0) > 0, 'the round trained');
    const log = readFileSync(join(round, 'model.log'), 'utf8');
    assert.match(log, /stopping the command a killed run left running/);
    // Two starts: the one killed at the gate and the one that finished; the kill while loading trained nothing again.
    assert.equal(starts(join(round, 'model.log')), 2);
    assert.match(run.output(), /already trained/);
  } finally {
    // After a failure, nothing of this test keeps running: the CLI runs and a trainer waiting at the gate.
    for (const pid of [...left, trainerPid(join(dir, 'killed', 'round-1', 'model.trainer.pid'))]) if (pid !== undefined && running(pid)) process.kill(pid, 'SIGKILL');
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
