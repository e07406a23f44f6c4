import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMetrics, writeReport } from './write.ts';
import { fixtureMetrics } from './metrics.fixture.ts';
import { MetricsFormatError, type MetricsInput } from './metrics.ts';

test('writeReport writes report.html and metrics.json atomically, readMetrics reads them back', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rlaifv-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'nested', 'run');
  const { reportPath, metricsPath } = await writeReport(out, fixtureMetrics());
  assert.deepEqual((await readdir(out)).sort(), ['metrics.json', 'report.html'], 'no temp files left behind');
  assert.match(await readFile(reportPath, 'utf8'), /^<!DOCTYPE html>[\s\S]*<svg/);
  assert.deepEqual(JSON.parse(await readFile(metricsPath, 'utf8')), fixtureMetrics());
  const back = await readMetrics(metricsPath);
  assert.equal(back.rounds.length, 3);
  assert.equal(back.samples[0]?.chosen.claims.length, 2);
  // a second write replaces both files
  await writeReport(out, { rounds: [{ round: 0, chairI: 0.5 }] });
  assert.equal((await readMetrics(metricsPath)).rounds.length, 1);
});

test('writeReport writes nothing for invalid metrics; readMetrics names the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rlaifv-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(writeReport(dir, { rounds: 'x' } as unknown as MetricsInput), MetricsFormatError);
  assert.deepEqual(await readdir(dir), []);
  const bad = join(dir, 'metrics.json');
  await writeFile(bad, '{"rounds": [');
  await assert.rejects(readMetrics(bad), (e: unknown) => e instanceof MetricsFormatError && e.message.includes(bad) && /JSON/.test(e.message));
  await assert.rejects(readMetrics(join(dir, 'missing.json')), /cannot read metrics/);
});
