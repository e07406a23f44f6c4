import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { FeedbackStore } from '../../feedback/store.ts';
import { tempDir } from '../../util/temp-dir.ts';
import { auditFilePath, humanKey } from './human-verdicts.ts';
import { readPeopleFeedback, readPeopleVerdicts } from './people-feedback.ts';

const auditLine = (instructionId: string, question: string, answer: 'yes' | 'no') => `${JSON.stringify({ instructionId, question, answer, at: '2026-01-01T00:00:00Z' })}\n`;

test('without feedback.sqlite the verdicts are the single person\'s audit.jsonl, and nothing else is read', () => {
  const dir = tempDir('rlaifv-people-');
  assert.deepEqual(readPeopleFeedback(dir), { source: null, verdicts: new Map(), corrections: [], pairJudgements: [] });
  writeFileSync(auditFilePath(dir), auditLine('i1', 'Is there a star?', 'no'));
  const read = readPeopleFeedback(dir);
  assert.equal(read.source, 'audit.jsonl');
  assert.deepEqual([...read.verdicts], [[humanKey('i1', 'Is there a star?'), 'no']]);
  assert.deepEqual([...readPeopleVerdicts(dir)], [...read.verdicts]);
});

test('with feedback.sqlite: the majority per question (ties left out), standing corrections, majority pair judgements with who', () => {
  const dir = tempDir('rlaifv-people-');
  // audit.jsonl is imported once as the local person's verdicts when the store is created.
  writeFileSync(auditFilePath(dir), auditLine('i1', 'Is there a star?', 'no'));
  const store = FeedbackStore.open(dir);
  const local = store.localPerson().id;
  const ann = store.invite('Ann', 'annotator').person.id;
  const bob = store.invite('Bob', 'annotator').person.id;
  store.record(ann, { kind: 'verdict', instructionId: 'i1', question: 'Is there a star?', answer: 'yes' });
  store.record(bob, { kind: 'verdict', instructionId: 'i1', question: 'Is there a star?', answer: 'no' }); // 2 no, 1 yes
  store.record(ann, { kind: 'verdict', instructionId: 'i1', question: 'Is there a cat?', answer: 'yes' });
  store.record(bob, { kind: 'verdict', instructionId: 'i1', question: 'Is there a cat?', answer: 'no' }); // a tie
  store.record(ann, { kind: 'correction', instructionId: 'i1', candidateId: 'i1#0', original: 'A cat.', text: 'A dog.' });
  store.record(ann, { kind: 'pair', instructionId: 'i1', chosen: 'i1#0', rejected: 'i1#1', judgement: 'disagree' });
  store.record(bob, { kind: 'pair', instructionId: 'i1', chosen: 'i1#0', rejected: 'i1#1', judgement: 'disagree' });
  store.record(local, { kind: 'pair', instructionId: 'i1', chosen: 'i1#0', rejected: 'i1#1', judgement: 'agree' });
  store.close();

  const read = readPeopleFeedback(dir);
  assert.equal(read.source, 'feedback.sqlite');
  assert.deepEqual([...read.verdicts], [[humanKey('i1', 'Is there a star?'), 'no']]);
  assert.deepEqual(read.corrections.map((c) => [c.personId, c.candidateId, c.text]), [[ann, 'i1#0', 'A dog.']]);
  assert.deepEqual(read.pairJudgements, [{ instructionId: 'i1', chosen: 'i1#0', rejected: 'i1#1', judgement: 'disagree', votes: 3, agreeing: 2, who: [ann, bob].sort() }]);
});
