import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAuditFixture } from '../src/audit/fixture.ts';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/rlaifv.js', ...args], { encoding: 'utf8', timeout: 60_000 });

test('--help lists every command', () => {
  const r = run('--help');
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['demo', 'generate', 'align', 'ablate', 'dpo', 'pretrain', 'eval', 'serve', 'audit', 'world', 'defaults']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test("defaults prints settings with the paper's defaults", () => {
  const gen = JSON.parse(run('defaults', 'generate').stdout);
  assert.deepEqual([gen.sampling.n, gen.sampling.temperature, gen.sampling.maxTokens, gen.pairs.diff, gen.pairs.maxPairsPerInstruction], [10, 0.7, 512, 1, 2]);
  const dpo = JSON.parse(run('defaults', 'dpo').stdout);
  assert.deepEqual([dpo.beta, dpo.batchSize, dpo.epochs, dpo.warmupFraction, dpo.weightDecay, dpo.sftWeight], [0.1, 8, 4, 0.05, 0.01, 0]);
  assert.equal(JSON.parse(run('defaults', 'align').stdout).rounds, 4);
  const bad = run('defaults', 'nope');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /must be one of generate, align, .*got 'nope'/);
});

test('bad input gets a one-line error naming the flag or file', () => {
  const missing = run('eval', '--model', '/no/such/checkpoint');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /--model \/no\/such\/checkpoint: no such checkpoint folder/);
  const badInt = run('eval', '--model', 'x', '--limit', 'abc');
  assert.notEqual(badInt.status, 0);
  assert.match(badInt.stderr, /--limit must be an integer >= 1, got 'abc'/);
  const role = run('pretrain', '--role', 'critic', '--out', '/tmp/x');
  assert.match(role.stderr, /--role must be one of policy, labeler, got 'critic'/);
  const retrain = run('pretrain', '--role', 'policy', '--out', '/tmp/x', '--retrain-vision');
  assert.match(retrain.stderr, /--retrain-vision needs --init/);
  const ablation = run('align', '--out', '/tmp/x', '--ablation', 'nope');
  assert.equal(ablation.status, 1);
  assert.match(ablation.stderr, /--ablation must be one of none, .*oracle-feedback, got 'nope'/);
  assert.doesNotMatch(ablation.stderr, /\n\s+at /, 'no stack trace');
});

test('audit serves a generate folder until stopped, and --summary prints its agreement; a folder that is no run gets one line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-cli-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await makeAuditFixture(dir);
  const summary = run('audit', '--run', dir, '--summary');
  assert.equal(summary.status, 0, summary.stderr);
  const info = JSON.parse(summary.stdout);
  assert.deepEqual([info.instructions, info.candidates, info.agreement.judged], [3, 12, 0]);

  const child = spawn(process.execPath, ['bin/rlaifv.js', 'audit', '--run', dir, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /open (http:\/\/\S+)\//.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`audit exited ${code}: ${err}`)));
  });
  assert.match(err, /auditing 3 instructions, 12 candidates, 36 claims/);
  const page = await fetch(`${url}/`);
  assert.match(await page.text(), /<html/i);
  assert.equal(((await (await fetch(`${url}/api/run`)).json()) as { pairs: number }).pairs, info.pairs);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'SIGTERM stops it cleanly');

  const bad = run('audit', '--run', join(dir, 'nope'), '--summary');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^rlaifv: .*nope: no summary\.json, so this is not a finished generate run; run `rlaifv generate --out/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
