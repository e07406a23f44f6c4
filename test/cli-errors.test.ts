/**
 * Every error the CLI meets prints one line (docs/cli.md "Exit codes and errors"): a typed one exits 1,
 * anything else is a bug and exits 2; RLAIFV_DEBUG=1 prints the stack. None prints the TF.js wasm
 * module's minified source, which Node used to show as the place of the crash (40 KB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function rlaifv(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.RLAIFV_DEBUG;
  delete clean.RLAIFV_PROGRESS;
  return spawnSync(process.execPath, ['bin/rlaifv.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...clean, ...env } });
}

/** Run an ES module (TypeScript allowed) in a fresh node. */
function script(source: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const MINIFIED = /function\(|var Module=|\^{20}/;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-errors-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('generate on a file whose every image is missing: the skip is reported, then one line "no instructions to work on" with the first reason, exit 1', (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'x.jsonl');
  writeFileSync(input, JSON.stringify({ id: 'a', image: 'nope.png', question: 'Describe the image.' }) + '\n');
  const out = join(dir, 'out');
  const reason = `instruction a \\(${input}:1\\): image file not found: tried ${join(dir, 'nope.png')}, `;

  const r = rlaifv(['generate', '--out', out, '--input', input]);
  assert.equal(r.status, 1, r.stderr.slice(0, 2000));
  assert.ok(r.stderr.length < 1000, `stderr is ${r.stderr.length} bytes: ${r.stderr.slice(0, 1000)}`);
  assert.doesNotMatch(r.stderr, MINIFIED);
  const err = lines(r.stderr);
  assert.equal(err.length, 2, r.stderr);
  assert.match(err[0]!, new RegExp(`^skipped ${reason}`));
  assert.match(err[1]!, new RegExp(`^rlaifv: no instructions to work on: ${input} gave none \\(offset 0, 1 skipped, 0 repeats; the first: ${reason}`));

  // Without progress lines the error alone still says why.
  const quiet = rlaifv(['generate', '--out', out, '--input', input], { RLAIFV_PROGRESS: 'off' });
  assert.equal(quiet.status, 1);
  assert.ok(quiet.stderr.length < 500, `stderr is ${quiet.stderr.length} bytes`);
  assert.deepEqual(lines(quiet.stderr), [err[1]]);

  const debug = rlaifv(['generate', '--out', out, '--input', input], { RLAIFV_DEBUG: '1' });
  assert.equal(debug.status, 1);
  assert.match(debug.stderr, /rlaifv: RlaifvError: no instructions to work on[^\n]*\n\s+at /, 'the stack follows');
  assert.doesNotMatch(debug.stderr, MINIFIED);
});

test('align without the shipped checkpoints: a typed one-line error saying how to build them, exit 1, and no folder left', (t) => {
  const dir = tempDir(t);
  const out = join(dir, 'run');
  const r = rlaifv(['align', '--out', out, '--rounds', '1'], { RLAIFV_MODELS_DIR: join(dir, 'models') });
  assert.equal(r.status, 1, r.stderr.slice(0, 2000));
  assert.deepEqual(lines(r.stderr), [`rlaifv: shipped checkpoint ${join(dir, 'models', 'policy-base')} is missing: run 'npx rlaifv pretrain --role policy --out ${join(dir, 'models', 'policy-base')}'`]);
  assert.ok(!existsSync(out), 'the run folder made for the lock is removed again');
});

test('a checkpoint whose config breaks a model invariant: one typed line naming the file, exit 1', (t) => {
  const dir = tempDir(t);
  const ckpt = join(dir, 'ckpt');
  mkdirSync(ckpt);
  symlinkSync(join(ROOT, 'models/policy-base/model.safetensors'), join(ckpt, 'model.safetensors'));
  copyFileSync(join(ROOT, 'models/policy-base/vocab.json'), join(ckpt, 'vocab.json'));
  const config = JSON.parse(readFileSync(join(ROOT, 'models/policy-base/config.json'), 'utf8')) as { model: { nHeads: number } };
  config.model.nHeads = 5;
  writeFileSync(join(ckpt, 'config.json'), JSON.stringify(config));
  const r = rlaifv(['eval', '--model', ckpt, '--limit', '1']);
  assert.equal(r.status, 1, r.stderr.slice(0, 2000));
  assert.deepEqual(lines(r.stderr), [`rlaifv: ${join(ckpt, 'config.json')}: dModel 96 is not divisible by nHeads 5; this config cannot describe a model`]);
});

test('an error the CLI does not expect, after TF.js is loaded: one line saying it is a bug and how to see the stack, exit 2', () => {
  // A command whose work fails with a plain Error stands for any bug in library code.
  const boom = (debug: boolean) => script(`
    import { initEngine } from './src/tensor/tf.ts';
    import { COMMANDS } from './src/cli/registry.ts';
    import { main } from './src/cli/main.ts';
    ${debug ? "process.env.RLAIFV_DEBUG = '1';" : ''}
    await initEngine();
    COMMANDS.push({ register: (program) => { program.command('boom').action(() => { throw new Error('dModel 96 is not divisible by nHeads 5'); }); } });
    await main(['node', 'rlaifv', 'boom']);`);
  const r = boom(false);
  assert.equal(r.status, 2, r.stderr.slice(0, 2000));
  assert.ok(r.stderr.length < 500, `stderr is ${r.stderr.length} bytes`);
  assert.deepEqual(lines(r.stderr), ['rlaifv: internal error (a bug in rlaifv): dModel 96 is not divisible by nHeads 5 (rerun with RLAIFV_DEBUG=1 to print the stack)']);

  const debug = boom(true);
  assert.equal(debug.status, 2);
  assert.match(debug.stderr, /^rlaifv: Error: dModel 96 is not divisible by nHeads 5\n\s+at /);
  assert.doesNotMatch(debug.stderr, MINIFIED);
  assert.ok(debug.stderr.length < 5000, `stderr is ${debug.stderr.length} bytes`);
});

test('errors outside the command (an uncaught exception, an unhandled rejection) print one line and exit 2', () => {
  for (const [name, raise] of [
    ['uncaught', "setTimeout(() => { throw new TypeError('stray callback\\nsecond line'); }, 50);"],
    ['rejection', "setTimeout(() => { Promise.reject(new RangeError('x'.repeat(5000))); }, 50);"],
  ] as const) {
    const r = script(`
      import { initEngine } from './src/tensor/tf.ts';
      import { main } from './src/cli/main.ts';
      await initEngine();
      await main(['node', 'rlaifv', 'defaults', 'eval']);
      ${raise}`);
    assert.equal(r.status, 2, `${name}: ${r.stderr.slice(0, 2000)}`);
    assert.equal(lines(r.stderr).length, 1, `${name}: ${r.stderr.slice(0, 2000)}`);
    assert.ok(r.stderr.length < 500, `${name}: stderr is ${r.stderr.length} bytes`);
    assert.match(r.stderr, /^rlaifv: internal error \(a bug in rlaifv\): (TypeError: stray callback|RangeError: x+\.\.\.) \(rerun with RLAIFV_DEBUG=1 to print the stack\)\n$/);
  }
});

test('the wasm engine leaves no process handlers behind, so a crash in library code shows its own source line', () => {
  const r = script(`
    import { initEngine } from './src/tensor/tf.ts';
    await initEngine();
    console.log(process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection'));
    setTimeout(() => { throw new Error('library bug'); }, 10);`);
  assert.equal(r.stdout.trim(), '0 0');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Error: library bug/);
  assert.doesNotMatch(r.stderr, MINIFIED);
  assert.ok(r.stderr.length < 3000, `stderr is ${r.stderr.length} bytes`);
});

test('align on served models names what is missing before any server is contacted: the trainer, the base model; an unknown recipe word is a command', (t) => {
  const dir = tempDir(t);
  const noTrainer = rlaifv(['align', '--out', join(dir, 'a'), '--policy', 'http://127.0.0.1:9/v1', '--labeler', 'http://127.0.0.1:9/v1']);
  assert.equal(noTrainer.status, 1, noTrainer.stderr);
  assert.deepEqual(lines(noTrainer.stderr).length, 1, noTrainer.stderr);
  assert.match(noTrainer.stderr, /served\.trainer.*--trainer trl\|llama-factory\|rlaifv/);
  const noBase = rlaifv(['align', '--out', join(dir, 'b'), '--policy', 'http://127.0.0.1:9/v1', '--trainer', 'trl --mode lora']);
  assert.equal(noBase.status, 1, noBase.stderr);
  assert.match(noBase.stderr, /served\.baseModel.*--base-model/);
  const badLoad = rlaifv(['align', '--out', join(dir, 'c'), '--policy', 'http://127.0.0.1:9/v1', '--trainer', 'trl', '--base-model', 'm', '--load', 'hot']);
  assert.equal(badLoad.status, 1, badLoad.stderr);
  assert.match(badLoad.stderr, /--load.*lora.*reload.*none/);
  const noReload = rlaifv(['align', '--out', join(dir, 'd'), '--policy', 'http://127.0.0.1:9/v1', '--trainer', 'trl', '--base-model', 'm', '--load', 'reload']);
  assert.equal(noReload.status, 1, noReload.stderr);
  assert.match(noReload.stderr, /served.reloadCommand.*--reload-command/);
});

test('bench: an unknown benchmark and missing data are one line each; on a world export --json prints the metrics with the world\'s beside them', (t) => {
  const dir = tempDir(t);
  const unknown = rlaifv(['bench', 'pope', '--model', 'models/policy-base', '--out', join(dir, 'a')]);
  assert.equal(unknown.status, 1, unknown.stderr);
  assert.equal(lines(unknown.stderr).length, 1, unknown.stderr);
  assert.match(unknown.stderr, /benchmark must be one of objhal, amber, mmhal, got 'pope'/);
  const noData = rlaifv(['bench', 'amber', '--model', 'models/policy-base', '--out', join(dir, 'b')]);
  assert.equal(noData.status, 1, noData.stderr);
  assert.match(noData.stderr, /rlaifv bench amber needs --data DIR/);
  const exported = rlaifv(['world', '--export', 'objhal', '--n', '4', '--out', join(dir, 'data')]);
  assert.equal(exported.status, 0, exported.stderr);
  const run = rlaifv(['bench', 'objhal', '--model', 'models/policy-base', '--data', join(dir, 'data'), '--out', join(dir, 'run'), '--json', '--max-tokens', '64']);
  assert.equal(run.status, 0, run.stderr);
  const metrics = JSON.parse(run.stdout);
  for (const key of ['chairS', 'chairSMentioning', 'chairI', 'recall', 'n']) assert.ok(key in metrics, `--json has ${key}`);
  assert.equal(metrics.n, 4);
  assert.equal(metrics.chairI, metrics.world.chairI);
  assert.ok(existsSync(join(dir, 'run', 'report.html')));
});

test('bon: --json prints every selector\'s curve; a benchmark without --data, or one it cannot run, is one line', (t) => {
  const dir = tempDir(t);
  const noData = rlaifv(['bon', '--policy', 'models/policy-base', '--reference', 'models/policy-base', '--out', join(dir, 'a'), '--bench', 'objhal']);
  assert.equal(noData.status, 1, noData.stderr);
  assert.equal(lines(noData.stderr).length, 1, noData.stderr);
  assert.match(noData.stderr, /--bench objhal needs --data DIR/);
  const mmhal = rlaifv(['bon', '--policy', 'models/policy-base', '--reference', 'models/policy-base', '--out', join(dir, 'a'), '--bench', 'mmhal', '--data', dir]);
  assert.equal(lines(mmhal.stderr).length, 1, mmhal.stderr);
  assert.match(mmhal.stderr, /--bench mmhal: must be one of world, objhal, amber/);
  const run = rlaifv(['bon', '--policy', 'models/policy-base', '--reference', 'models/policy-base', '--out', join(dir, 'b'), '--n', '1,2', '--limit', '3', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(out.selectors), ['reward', 'sum', 'policyPerplexity', 'referencePerplexity', 'random']);
  assert.deepEqual(out.selectors.reward.map((p: { n: number }) => p.n), [1, 2]);
  assert.deepEqual(Object.keys(out.selectors.reward[0]), ['n', 'chairS', 'chairI', 'coverage']);
  // The policy is its own reference here: every reward is 0, so the reward keeps the first candidate.
  assert.deepEqual({ ...out.selectors.reward[1], n: 1 }, out.selectors.reward[0]);
  assert.ok(existsSync(join(dir, 'b', 'report.html')) && existsSync(join(dir, 'b', 'curve.json')));
});

test('bon --bench amber on a world export: AMBER\'s generative scorer measures the picks, and the cost per answer is printed', (t) => {
  const dir = tempDir(t);
  assert.equal(rlaifv(['world', '--export', 'amber', '--n', '3', '--out', join(dir, 'data')]).status, 0);
  const run = rlaifv(['bon', '--policy', 'models/policy-aligned', '--reference', 'models/policy-base', '--bench', 'amber', '--data', join(dir, 'data'), '--out', join(dir, 'run'), '--n', '1,2']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /cost per answer at N=2: \d+ tokens sampled, \d+ scored; scoring took \d+% of the model time/);
  const curve = JSON.parse(readFileSync(join(dir, 'run', 'curve.json'), 'utf8'));
  assert.deepEqual(curve.source, { bench: 'amber', data: join(dir, 'data'), prompts: 3 });
  assert.equal(curve.cost.perAnswer[1].scoredTokens, 2 * curve.cost.perAnswer[1].sampledTokens);
});
