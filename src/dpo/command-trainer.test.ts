import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { initEngine } from '../tensor/tf.ts';
import { writeTrlDataset } from '../export/index.ts';
import { loadCheckpoint, saveCheckpoint } from '../model/index.ts';
import { commandArgv, shellQuote, splitCommand } from './command-template.ts';
import { trainedBefore, trainWithCommand } from './command-trainer.ts';
import { loadLoraAdapter, loraRoute } from './lora-loading.ts';
import { readTrlPairs } from './read-trl.ts';
import { craftedPairs, tinyPolicy } from './testing.ts';
import { weightsFingerprint } from '../model/weights.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
before(async () => { await initEngine(); });

/** A fake policy server on 127.0.0.1 that records requests and answers with `reply`. */
async function fakeServer(reply: (path: string, body: Record<string, unknown>) => [number, string]) {
  const requests: Array<{ path: string; body: Record<string, unknown>; auth?: string }> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      const body = JSON.parse(data || '{}');
      requests.push({ path: req.url!, body, ...(req.headers.authorization && { auth: req.headers.authorization }) });
      const [status, text] = reply(req.url!, body);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('templates: shell-like words, placeholders filled inside one argument, never split or expanded', () => {
  assert.deepEqual(splitCommand(`python  "train dpo.py" --x='a b' c\\ d ""`), ['python', 'train dpo.py', '--x=a b', 'c d', '']);
  const argv = commandArgv('trl dpo --data {dataset} --lr={lr} --name run-{round}', { dataset: "/tmp/my data; rm -rf ~", lr: '5e-7', round: '2' });
  assert.deepEqual(argv, ['trl', 'dpo', '--data', '/tmp/my data; rm -rf ~', '--lr=5e-7', '--name', 'run-2']);
  assert.throws(() => commandArgv('x {datset}', { dataset: 'd' }), /unknown placeholder \{datset\}; must be one of \{dataset\}/);
  assert.throws(() => splitCommand('x "y'), /unclosed " quote/);
  assert.equal(shellQuote('plain/path-1.0'), 'plain/path-1.0');
  assert.equal(shellQuote("it's $HOME"), `'it'\\''s $HOME'`);
});

test('the external trainer runs this project\'s own DPO trainer as a subprocess, once per round', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv dpo cmd ')); // a space in every path
  const pairs = craftedPairs(4);
  await writeTrlDataset(join(dir, 'trl'), pairs.map((p, i) => ({
    id: `p${i}`, image: p.image, question: p.prompt, chosen: p.chosen, rejected: p.rejected, meta: { generator: 'g', labeler: 'l' },
  })));
  // The dataset reads back as the pairs it was written from.
  const back = await readTrlPairs(join(dir, 'trl'));
  assert.deepEqual(back.map((p) => [p.prompt, p.chosen, p.rejected]), pairs.map((p) => [p.prompt, p.chosen, p.rejected]));
  assert.deepEqual(back[1]!.image, pairs[1]!.image);

  const base = join(dir, 'base');
  await saveCheckpoint(tinyPolicy(7), base);
  const command = `${shellQuote(process.execPath)} bin/rlaifv.js dpo --pairs {dataset} --base {base_model} --out {output_dir} `
    + '--epochs 1 --batch-size 2 --beta {beta} --lr {lr} --validate none --checkpoints-per-epoch 1';
  const round = { dataset: join(dir, 'trl'), baseModel: base, outputDir: join(dir, 'round-1'), round: 1, beta: 0.1, lr: 1e-3 };
  try {
    const r = await trainWithCommand({ command }, round, { cwd: ROOT });
    assert.equal(r.path, join(dir, 'round-1'));
    assert.equal(r.trained, true);
    assert.equal(trainedBefore({ command }, round), true);
    assert.equal(existsSync(`${r.path}.trainer.pid`), false, 'the pid file goes with the trainer');
    const trained = loadCheckpoint(r.path);
    assert.notEqual(await weightsFingerprint(trained), await weightsFingerprint(loadCheckpoint(base)), 'the subprocess trained the model');
    assert.match(readFileSync(r.logFile, 'utf8'), /DPO step 2\/2/);

    // A resumed pipeline does not retrain a finished round; another command does.
    const again = await trainWithCommand({ command }, round, { cwd: ROOT });
    assert.equal(again.trained, false);
    assert.equal(readFileSync(r.logFile, 'utf8').split('\n').filter((l) => l.startsWith('$ ')).length, 1);
    assert.equal(trainedBefore({ command: command.replace('--epochs 1', '--epochs 2') }, round), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing trainer is an error naming the command, its exit status and the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-fail-'));
  const command = `${shellQuote(process.execPath)} -e "console.error('CUDA out of memory'); process.exit(3)" {output_dir}`;
  const round = { dataset: dir, baseModel: 'org/model', outputDir: join(dir, 'out'), round: 2, beta: 0.1, lr: 1e-5 };
  await assert.rejects(trainWithCommand({ command }, round), (err: Error) => {
    assert.match(err.message, /exited with status 3/);
    assert.match(err.message, new RegExp(`log: ${join(dir, 'out')}\\.log`));
    assert.match(err.message, /CUDA out of memory/);
    return true;
  });
  await assert.rejects(trainWithCommand({ command: 'rlaifv-no-such-trainer {dataset}' }, round), /failed to start.*installed and on PATH/);
  await assert.rejects(trainWithCommand({ command: `${shellQuote(process.execPath)} -e ""` }, round), /wrote nothing to \{output_dir\}/);
  rmSync(dir, { recursive: true, force: true });
});

test('shell mode single-quotes values', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-shell-'));
  const round = { dataset: join(dir, `it's a "set"`), refLogps: join(dir, 'ref.jsonl'), baseModel: 'org/model', outputDir: join(dir, 'out'), round: 3, beta: 0.2, lr: 2e-5 };
  await trainWithCommand({
    command: 'mkdir -p {output_dir} && printf %s {dataset} > {output_dir}/seen.txt && printf %s {base_model} > {output_dir}/base.txt && printf %s {ref_logps} > {output_dir}/ref.txt',
    shell: true,
  }, round);
  assert.equal(readFileSync(join(dir, 'out', 'seen.txt'), 'utf8'), round.dataset);
  assert.equal(readFileSync(join(dir, 'out', 'base.txt'), 'utf8'), 'org/model', 'a Hub id is passed as given');
  assert.equal(readFileSync(join(dir, 'out', 'ref.txt'), 'utf8'), round.refLogps);
  assert.ok(existsSync(`${join(dir, 'out')}.rlaifv-done.json`));
  rmSync(dir, { recursive: true, force: true });
});

test('a trainer left running by a killed run is stopped, children included, before the round trains again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-dpo-orphan-'));
  const out = join(dir, 'out');
  // The orphan: a shell (the "trainer") with a child, recorded in the pid file as runLogged records it.
  const orphan = spawn('/bin/sh', ['-c', 'sleep 60 & wait'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 200));
  const stat = readFileSync(`/proc/${orphan.pid}/stat`, 'utf8');
  writeFileSync(`${out}.trainer.pid`, JSON.stringify({ pid: orphan.pid, start: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] }) + '\n');
  const exited = new Promise((r) => orphan.on('exit', r));
  await trainWithCommand({ command: 'mkdir -p {output_dir}', shell: true }, { dataset: dir, baseModel: 'm', outputDir: out, round: 1, beta: 0.1, lr: 1 });
  await exited;
  assert.match(readFileSync(`${out}.log`, 'utf8'), /stopping the command a killed run left running/);
  rmSync(dir, { recursive: true, force: true });
});

test('LoRA routes: vLLM under /v1, SGLang at the root; an adapter already loaded is replaced; 404 says how to enable it', async () => {
  assert.equal(loraRoute('http://h:8000/v1/', 'vllm', 'load_lora_adapter'), 'http://h:8000/v1/load_lora_adapter');
  assert.equal(loraRoute('http://h:8000', 'vllm', 'load_lora_adapter'), 'http://h:8000/v1/load_lora_adapter');
  assert.equal(loraRoute('http://h:30000/v1', 'sglang', 'load_lora_adapter'), 'http://h:30000/load_lora_adapter');

  let loaded = true;
  const server = await fakeServer((path) => {
    if (path === '/load_lora_adapter') return loaded ? [400, "The lora adapter 'a' has already been loaded."] : [200, 'ok'];
    if (path === '/unload_lora_adapter') { loaded = false; return [200, 'ok']; }
    return [404, 'Not Found'];
  });
  try {
    assert.equal(await loadLoraAdapter({ baseUrl: `${server.url}/v1`, engine: 'sglang', loraName: 'a', loraPath: '/x' }), 'a');
    assert.deepEqual(server.requests.map((r) => r.path), ['/load_lora_adapter', '/unload_lora_adapter', '/load_lora_adapter']);
    await assert.rejects(loadLoraAdapter({ baseUrl: server.url, engine: 'vllm', loraName: 'a', loraPath: '/x' }),
      /HTTP 404.*VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/s);
  } finally {
    await server.close();
  }
});

test('a command outlives a killed run without losing its output: it writes to the log file, not to a pipe with no reader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-orphan-log-'));
  const log = join(dir, 'out.log');
  const source = `import { runLogged } from ${JSON.stringify(join(ROOT, 'src/dpo/run-logged.ts'))};
    await runLogged(['/bin/sh', '-c', 'for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.3; done'], { logFile: ${JSON.stringify(log)} });`;
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: ROOT, stdio: 'ignore' });
  try {
    for (let waited = 0; !(existsSync(log) && readFileSync(log, 'utf8').includes('tick 1')); waited += 50) {
      assert.ok(waited < 20_000, 'the command started');
      await new Promise((r) => setTimeout(r, 50));
    }
    parent.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2500));
    assert.match(readFileSync(log, 'utf8'), /tick 6/, 'the orphaned command kept running and logging');
  } finally {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
