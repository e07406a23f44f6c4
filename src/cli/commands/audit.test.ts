import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeAuditFixture } from '../../audit/fixture.ts';
import { FeedbackStore } from '../../feedback/store.ts';
import { tempDir } from '../../util/temp-dir.ts';

const rlaifv = (...args: string[]) => spawnSync(process.execPath, ['bin/rlaifv.js', 'audit', ...args], { encoding: 'utf8', timeout: 60_000 });

test('rlaifv audit invite / users / export / --summary manage the people and feedback of a run; a campaign will not start without an admin', async () => {
  const dir = tempDir('rlaifv-cli-audit-people-');
  await makeAuditFixture(dir);

  const refused = rlaifv('--run', dir, '--host', '0.0.0.0', '--port', '0');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^rlaifv: a campaign \(--host 0\.0\.0\.0\) needs an admin to sign in first: rlaifv audit invite --run .* --name NAME --role admin\n$/);

  const admin = rlaifv('invite', '--run', dir, '--name', 'Ada', '--role', 'admin');
  assert.equal(admin.status, 0, admin.stderr);
  assert.match(admin.stdout, /^http:\/\/127\.0\.0\.1:8090\/invite\/[A-Za-z0-9_-]{43}\n$/);
  const bob = rlaifv('invite', '--run', dir, '--name', 'Bob', '--public-url', 'https://audit.example.org');
  assert.match(bob.stdout, /^https:\/\/audit\.example\.org\/invite\/[A-Za-z0-9_-]{43}\n$/);
  assert.match(bob.stderr, /invited Bob \(p\d+, annotator\)/);

  const table = rlaifv('users', '--run', dir);
  assert.deepEqual(table.stdout.split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' ')).filter(Boolean), ['id name role', 'p1 Ada admin', 'p2 Bob annotator']);
  const revoked = rlaifv('users', '--run', dir, '--revoke', 'p2', '--json');
  assert.equal(revoked.status, 0, revoked.stderr);
  assert.equal((JSON.parse(revoked.stdout) as Array<{ id: string; revokedAt: string | null }>).find((p) => p.id === 'p2')!.revokedAt !== null, true);
  assert.match(rlaifv('users', '--run', dir, '--revoke', 'p9').stderr, /^rlaifv: revoke: no person "p9"; see rlaifv audit users\n$/);

  const store = FeedbackStore.open(dir);
  const ins = (await import('../../audit/data.ts')).AuditRun;
  const run = await ins.open(dir);
  const first = run.instruction(run.ids()[0]!);
  const question = first.candidates[0]!.claims[0]!.question;
  store.record('p1', { kind: 'verdict', instructionId: first.id, question, answer: first.candidates[0]!.claims[0]!.labelerAccepted ? 'no' : 'yes' });
  store.record('p1', { kind: 'done', instructionId: first.id });
  store.close();

  const out = join(dir, 'feedback.jsonl');
  const exported = rlaifv('export', '--run', dir, '--out', out);
  assert.equal(exported.status, 0, exported.stderr);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { who: { name: string }; kind: string });
  assert.deepEqual(lines.map((l) => [l.who.name, l.kind]), [['Ada', 'verdict'], ['Ada', 'done']]);

  const summary = JSON.parse(rlaifv('--run', dir, '--summary').stdout);
  assert.deepEqual([summary.instructions, summary.agreement.judged, summary.agreement.agree], [3, 1, 0], 'the labeler against the one answer');
  assert.deepEqual(summary.progress, { items: 3, doneByEnough: 1, events: 2, people: 2 });
  assert.equal(summary.feedback.labelerVsMajority.judged, 1);
});
