import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreement, disputed } from './agreement.ts';
import { auditFilePath, humanKey, readHumanVerdicts } from '../pipeline/label/human-verdicts.ts';
import { appendHumanVerdict } from './answers.ts';

function tempRun(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the last answer for an instruction and question wins, null clears it, and answers survive a reread', (t) => {
  const dir = tempRun(t);
  assert.equal(readHumanVerdicts(dir).size, 0, 'no audit file: no answers');
  appendHumanVerdict(dir, { instructionId: 'i1', question: 'Is there a red circle?', answer: 'yes' });
  appendHumanVerdict(dir, { instructionId: 'i1', question: ' Is there a red circle? ', answer: 'no' });
  appendHumanVerdict(dir, { instructionId: 'i2', question: 'Is there a star?', answer: 'yes' });
  appendHumanVerdict(dir, { instructionId: 'i2', question: 'Is there a star?', answer: null });
  const v = readHumanVerdicts(dir);
  assert.deepEqual([...v], [[humanKey('i1', 'Is there a red circle?'), 'no']]);
  assert.equal(readFileSync(auditFilePath(dir), 'utf8').trim().split('\n').length, 4, 'every answer given is kept, in order');
});

test('a last line cut short by a crash is ignored, then dropped by the next answer; a bad line elsewhere names file and line', (t) => {
  const dir = tempRun(t);
  appendHumanVerdict(dir, { instructionId: 'i1', question: 'Is there a red circle?', answer: 'yes' });
  appendFileSync(auditFilePath(dir), '{"instructionId":"i1","quest');
  assert.deepEqual([...readHumanVerdicts(dir).values()], ['yes']);
  appendHumanVerdict(dir, { instructionId: 'i3', question: 'Is there a bar?', answer: 'no' });
  assert.equal(readHumanVerdicts(dir).size, 2, 'the fragment is gone and both answers read');
  assert.ok(!readFileSync(auditFilePath(dir), 'utf8').includes('"quest\n'));

  writeFileSync(auditFilePath(dir), 'garbage\n{"instructionId":"i1","question":"q?","answer":"yes"}\n');
  assert.throws(() => readHumanVerdicts(dir), (e: Error) => e.message.includes(`${auditFilePath(dir)}:1: not JSON`));
  writeFileSync(auditFilePath(dir), '{"instructionId":"i1","question":"q?","answer":"maybe"}\n');
  assert.throws(() => readHumanVerdicts(dir), /audit\.jsonl:1: field "answer" must be "yes", "no" or null, got "maybe"/);
  assert.throws(() => appendHumanVerdict(dir, { instructionId: '', question: 'q?', answer: 'yes' }), /"instructionId" must be a non-empty string/);
});

test('agreement counts each answered question once against the labeler, and the person against the truth', () => {
  const human = new Map([['a', 'yes'], ['b', 'no'], ['c', 'no'], ['d', 'yes']] as const);
  const rows: Array<[string, boolean, boolean | null | undefined]> = [
    // key, labeler accepted, truth
    ['a', true, true], // agree
    ['b', true, false], // false accept
    ['c', false, true], // agree with the person, the person is wrong against the truth
    ['d', false, null], // false reject, truth unknown
    ['e', true, false], // not answered: not counted
  ];
  const a = agreement(rows.map(([key, labelerAccepted, truth]) => ({ key, labelerAccepted, truth })), human, true);
  assert.deepEqual(a, { judged: 4, agree: 2, rate: 0.5, falseAccepts: 1, falseRejects: 1, humanMatchesTruth: { checked: 3, agree: 2 } });
  assert.deepEqual(agreement([], new Map()), { judged: 0, agree: 0, rate: null, falseAccepts: 0, falseRejects: 0 });
});

test('a claim is disputed when the labeler differs from the person, or, unanswered, from the truth', () => {
  const cases: Array<[boolean, 'yes' | 'no' | undefined, boolean | null | undefined, boolean]> = [
    [true, 'yes', false, false], // the person settles it, whatever the truth
    [true, 'no', true, true],
    [false, 'yes', undefined, true],
    [true, undefined, false, true],
    [false, undefined, false, false],
    [true, undefined, null, false], // truth unknown, no person: nothing to dispute
    [true, undefined, undefined, false],
  ];
  for (const [labeler, human, truth, want] of cases) assert.equal(disputed(labeler, human, truth), want, JSON.stringify({ labeler, human, truth }));
});
