import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/index.ts';
import { RESUME_OVERRIDES } from './resume.fixture.ts';
import { runDataEngine } from './run.ts';
import { chunkFreeSnapshot, CountingBackend, outputSnapshot, tinyConfig, tinyModels } from './testing.ts';

interface Report { stage: string; done: number; cached: number; generateSent: number; yesNoSent: number }

const root = mkdtempSync(join(tmpdir(), 'rlaifv-engine-resume-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Run the fixture until `killWhen` says so, then SIGKILL it; resolve with every report it printed. */
function runAndKill(outDir: string, killWhen: (r: Report) => boolean, chunkSize?: number): Promise<{ reports: Report[]; signal: string | null }> {
  const script = fileURLToPath(new URL('./resume.fixture.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, outDir, ...(chunkSize ? [String(chunkSize)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: Report[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [stage, ...nums] = line.split(' ');
      const [done, cached, generateSent, yesNoSent] = nums.map(Number) as [number, number, number, number];
      const r = { stage: stage!, done, cached, generateSent, yesNoSent };
      reports.push(r);
      if (killWhen(r) && child.exitCode === null) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null) reject(new Error(`the run exited with ${code} before it was killed; make it slower\n${stderr}`));
      else resolve({ reports, signal });
    });
  });
}

function stored(outDir: string): { generate: number; label: number } {
  const store = openStore(join(outDir, 'run.sqlite'));
  try {
    return { generate: store.countResults('generate'), label: store.countResults('label') };
  } finally {
    store.close();
  }
}

test('a run killed with SIGKILL twice resumes without recomputing a finished request and writes the same bytes', async () => {
  const outDir = join(root, 'killed');
  // Kill 1: in the middle of generation.
  const first = await runAndKill(outDir, (r) => r.stage === 'generate' && r.done >= 2);
  assert.equal(first.signal, 'SIGKILL');
  const afterFirst = stored(outDir);
  assert.ok(afterFirst.generate >= 2 && afterFirst.generate < 6, `${afterFirst.generate} of 6 generate requests stored`);
  assert.ok(!existsSync(join(outDir, 'pairs.parquet')), 'outputs are only written at the end');

  // Kill 2: the stored requests are not sent again; killed in the middle of labelling.
  const second = await runAndKill(outDir, (r) => r.stage === 'label' && r.done - r.cached >= 3);
  assert.equal(second.signal, 'SIGKILL');
  const gen = second.reports.filter((r) => r.stage === 'generate');
  assert.equal(gen[0]!.cached, afterFirst.generate, 'the resumed run finds every stored request');
  assert.equal(gen.at(-1)!.generateSent, 6 - afterFirst.generate, 'and sends only the others');
  const afterSecond = stored(outDir);
  assert.equal(afterSecond.generate, 6);
  assert.ok(afterSecond.label >= 3, `${afterSecond.label} labels stored`);

  // Resume to the end in this process.
  const models = await tinyModels();
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  const config = tinyConfig(RESUME_OVERRIDES);
  await runDataEngine(config, { policy, labeler, outDir });
  const final = stored(outDir);
  assert.equal(policy.counts.generate, 0);
  assert.ok(final.label > afterSecond.label, 'the second kill landed before labelling finished');
  assert.equal(labeler.counts.yesNo, final.label - afterSecond.label, 'only the labels missing from the store were computed');

  // An uninterrupted run leaves byte-identical outputs.
  const cleanDir = join(root, 'clean');
  await runDataEngine(config, { ...models, outDir: cleanDir });
  const clean = outputSnapshot(cleanDir);
  assert.deepEqual([...outputSnapshot(outDir).keys()], [...clean.keys()]);
  assert.deepEqual(outputSnapshot(outDir), clean);
  assert.ok(clean.has('pairs.parquet') && clean.has('pairs.trl.jsonl') && clean.has('verdicts.jsonl'));
});

test('a chunked run killed in its second chunk resumes from the store and writes the same bytes as a run taken whole', async () => {
  const outDir = join(root, 'killed-chunked');
  // 6 instructions, 3 per chunk: the first chunk's records are already in the .partial files when the kill lands.
  const killed = await runAndKill(outDir, (r) => r.stage === 'label' && r.yesNoSent > 0 && r.generateSent > 3, 3);
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(existsSync(join(outDir, 'candidates.jsonl.partial')) && !existsSync(join(outDir, 'candidates.jsonl')));
  const before = stored(outDir);

  const models = await tinyModels();
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  await runDataEngine(tinyConfig({ ...RESUME_OVERRIDES, chunkSize: 3 }), { policy, labeler, outDir });
  const after = stored(outDir);
  assert.equal(policy.counts.generate, 6 - before.generate, 'only the generations missing from the store');
  assert.equal(labeler.counts.yesNo, after.label - before.label, 'only the labels missing from the store');
  assert.ok(!existsSync(join(outDir, '.spill')) && !existsSync(join(outDir, 'candidates.jsonl.partial')));

  const wholeDir = join(root, 'whole-for-chunked');
  await runDataEngine(tinyConfig(RESUME_OVERRIDES), { ...models, outDir: wholeDir });
  assert.deepEqual(chunkFreeSnapshot(outDir), chunkFreeSnapshot(wholeDir));
});
