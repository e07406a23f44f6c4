import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkResumable, settingsConflicts } from './resume.ts';

test('settingsConflicts names every differing leaf, and ignores what may change between invocations', () => {
  const table: Array<[saved: unknown, current: unknown, expected: string[]]> = [
    [{ dpo: { lr: 2e-4 } }, { dpo: { lr: 5e-5 } }, ['dpo.lr: 0.0002 -> 0.00005']],
    [{ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } }, []],
    [{ b: { c: [1, 2] } }, { b: { c: [2, 1] } }, ['b.c: [1,2] -> [2,1]']],
    [{ a: 1 }, { a: 1, z: true }, ['z: (unset) -> true']],
    [{ align: { rounds: 4, samplesPerRound: 3, worldSeed: 0 } }, { align: { rounds: 6, samplesPerRound: 0, worldSeed: 2 } }, ['align.worldSeed: 0 -> 2']],
    [{ models: { labeler: 'x' } }, { models: { labeler: null } }, ['models.labeler: "x" -> null']],
  ];
  for (const [saved, current, expected] of table) assert.deepEqual(settingsConflicts(saved, current), expected, JSON.stringify(saved));
});

test('checkResumable records settings, accepts the same ones, and refuses other ones or an unrecorded folder with rounds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'resume-'));
  try {
    const run = join(dir, 'run');
    mkdirSync(run);
    await checkResumable(run, { dpo: { lr: 5e-5 }, align: { rounds: 4 } });
    assert.deepEqual(JSON.parse(readFileSync(join(run, 'settings.json'), 'utf8')), { dpo: { lr: 5e-5 }, align: { rounds: 4 } });
    await checkResumable(run, { dpo: { lr: 5e-5 }, align: { rounds: 6 } });
    await assert.rejects(checkResumable(run, { dpo: { lr: 2e-4 }, align: { rounds: 6 } }), (e: Error) => {
      assert.equal(e.name, 'ResumeError');
      assert.match(e.message, /run was made with other settings or models \(dpo\.lr: 0\.00005 -> 0\.0002\): .*new --out/);
      return true;
    });
    const old = join(dir, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'round-0.json'), '{}');
    await assert.rejects(checkResumable(old, {}), /did not record its settings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
