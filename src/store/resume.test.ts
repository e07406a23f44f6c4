import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { cached } from './cached.ts';
import { cacheKey } from './key.ts';
import { openStore } from './run-store.ts';
import { fixtureInputs, fixtureResult, RESUME_SCOPE, type FixtureInput, type FixtureResult } from './resume.fixture.ts';

const TOTAL = 600; // the writer needs over a second for all of them; it is killed after ~0.1 s
const KILL_AFTER = 30;

/** Start the writer, SIGKILL it once it reports KILL_AFTER results committed; resolve with the last count it reported. */
function runAndKill(path: string): Promise<{ reported: number; signal: string | null }> {
  const script = fileURLToPath(new URL('./resume.fixture.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(TOTAL)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let reported = 0;
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const m = /^done (\d+)$/.exec(line);
      if (m) reported = Number(m[1]);
      if (reported >= KILL_AFTER && child.exitCode === null) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`writer exited with ${code} before being killed:\n${stderr}`));
      else resolve({ reported, signal });
    });
  });
}

test('a writer killed with SIGKILL midway leaves every committed result intact, and the resume computes only the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-resume-'));
  const path = join(dir, 'store.sqlite');
  try {
    const { reported, signal } = await runAndKill(path);
    assert.equal(signal, 'SIGKILL', 'the writer finished before it could be killed; make it slower');
    assert.ok(reported >= KILL_AFTER);

    // The file is sound after the kill (WAL replayed on open).
    const raw = new Database(path);
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();

    const inputs = fixtureInputs(TOTAL);
    const store = openStore(path);
    const stored = store.countResults(RESUME_SCOPE.stage);
    assert.ok(stored >= reported, `${stored} results stored but the writer reported ${reported} committed`);
    assert.ok(stored < TOTAL, `all ${TOTAL} results stored: the kill did not land midway`);
    // Batches are atomic: a kill between or inside a batch never leaves part of one.
    assert.equal(stored % 3, 0, `${stored} results is not a whole number of 3-input batches`);

    // Each stored result is exactly what the writer computed for its input.
    const present = new Set<number>();
    const found = store.getMany<FixtureResult>(inputs.map((input) => cacheKey(RESUME_SCOPE, input)));
    found.forEach((result, i) => {
      if (result === undefined) return;
      assert.deepEqual(result, fixtureResult(inputs[i]!), `result ${i} is corrupt`);
      present.add(i);
    });
    assert.equal(present.size, stored);
    for (let i = 0; i < reported; i++) assert.ok(present.has(i), `result ${i} was reported committed but is missing`);

    // Resume: only the missing inputs are sent, and every result comes back in input order.
    const sent: number[] = [];
    const outcome = await cached(store, RESUME_SCOPE, inputs, async (batch: FixtureInput[]) => {
      sent.push(...batch.map((input) => input.id));
      return batch.map(fixtureResult);
    }, { batchSize: 7 });
    assert.equal(outcome.hits, stored);
    assert.equal(outcome.misses, TOTAL - stored);
    assert.deepEqual(sent.sort((a, b) => a - b), inputs.map((input) => input.id).filter((id) => !present.has(id)));
    assert.deepEqual(outcome.results, inputs.map(fixtureResult));
    assert.equal(store.countResults(), TOTAL);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
