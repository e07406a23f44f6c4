import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditFilePath, humanKey, readHumanVerdicts } from './human-verdicts.ts';

function tempRun(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-human-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const line = (instructionId: string, question: string, answer: 'yes' | 'no' | null) => `${JSON.stringify({ instructionId, question, answer, at: '2026-01-01T00:00:00Z' })}\n`;

test('the label stage reads the answers in force: the last line per instruction and question wins, null clears, questions are trimmed', (t) => {
  const dir = tempRun(t);
  assert.equal(readHumanVerdicts(dir).size, 0, 'no audit file: no answers');
  writeFileSync(auditFilePath(dir), line('i1', 'Is there a red circle?', 'yes') + line('i1', ' Is there a red circle? ', 'no')
    + line('i2', 'Is there a star?', 'yes') + line('i2', 'Is there a star?', null) + '\n');
  assert.deepEqual([...readHumanVerdicts(dir)], [[humanKey('i1', 'Is there a red circle?'), 'no']]);
});

test('a cut last line is left out; any other bad line is an error naming the file, the line and the field', (t) => {
  const dir = tempRun(t);
  writeFileSync(auditFilePath(dir), line('i1', 'Is there a bar?', 'yes') + '{"instructionId":"i1","quest');
  assert.deepEqual([...readHumanVerdicts(dir).values()], ['yes']);
  writeFileSync(auditFilePath(dir), `{"instructionId":"i1","quest\n${line('i1', 'q?', 'yes')}`);
  assert.throws(() => readHumanVerdicts(dir), (e: Error) => e.message.startsWith(`${auditFilePath(dir)}:1: not JSON`));
  writeFileSync(auditFilePath(dir), line('i1', 'q?', 'yes') + '{"instructionId":"","question":"q?","answer":"no"}\n');
  assert.throws(() => readHumanVerdicts(dir), /audit\.jsonl:2: field "instructionId" must be a non-empty string/);
});
