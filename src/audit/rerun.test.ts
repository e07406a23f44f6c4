/**
 * A person's answers in DIR/audit.jsonl reach the data engine: `rlaifv generate` rerun on the folder
 * scores with them, from the run store alone (no model call), and records where each verdict came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDataEngine } from '../pipeline/run.ts';
import { CountingBackend } from '../pipeline/testing.ts';
import { fixtureConfig, fixtureModels, makeAuditFixture } from './fixture.ts';
import { appendHumanVerdict } from './answers.ts';

const lines = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('rerunning generate after an audit scores with the person\'s verdicts, without calling a model', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await makeAuditFixture(dir);
  const before = lines(dir, 'verdicts.jsonl');
  const scoreBefore = new Map(lines(dir, 'candidates.jsonl').map((c) => [c.id, c.score]));
  // Overturn one claim the labeler accepted: every candidate of that instruction asking it loses a point.
  const target = before.find((v) => v.accepted)!;
  assert.ok(target, 'the fixture has an accepted claim');
  appendHumanVerdict(dir, { instructionId: target.instructionId, question: target.question, answer: 'no' });
  const affected = before.filter((v) => v.instructionId === target.instructionId && v.question === target.question);

  const models = fixtureModels();
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  const { summary } = await runDataEngine(fixtureConfig(), { policy, labeler, outDir: dir });
  assert.equal(policy.counts.calls + labeler.counts.calls, 0, 'everything came from the run store');
  assert.equal(summary.humanVerdicts, affected.length);

  const after = lines(dir, 'verdicts.jsonl');
  for (const [i, v] of after.entries()) {
    const overturned = affected.some((a) => a.candidateId === v.candidateId && a.claimIndex === v.claimIndex);
    assert.equal(v.accepted, overturned ? false : before[i].accepted, `${v.candidateId} #${v.claimIndex}`);
    assert.equal(v.human, overturned ? 'no' : undefined);
    assert.equal(v.yes, before[i].yes, "the labeler's own answer is kept beside the person's");
  }
  const scoreAfter = new Map(lines(dir, 'candidates.jsonl').map((c) => [c.id, c.score]));
  for (const [id, s] of scoreBefore) {
    const lost = affected.filter((a) => a.candidateId === id).length;
    assert.equal(scoreAfter.get(id), s === null ? null : s - lost, id);
  }
  const official = lines(dir, 'labeler.official.jsonl').filter((o) => o.ds_question_id === target.instructionId && o.raw_question === `${target.question} Please answer yes or no.`);
  assert.ok(official.length > 0 && official.every((o) => o.scores.yes === 0 && o.scores.no === 1), 'the official records carry the final verdict');
  assert.equal(summary.labelerYesRate, before.filter((v) => v.accepted).length / before.length, "the yes-rate stays the labeler's own");
});
