import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../util/temp-dir.ts';
import { exportFeedback } from './export.ts';
import { FeedbackStore } from './store.ts';

test('export: one JSONL line per event, in log order, with who, when and every field, withdrawals included', () => {
  const dir = tempDir('rlaifv-fb-export-');
  let t = Date.parse('2025-03-01T12:00:00.000Z');
  const store = FeedbackStore.open(dir, { now: () => new Date((t += 1000)) });
  const ann = store.invite('Ann "<b>"', 'annotator').person;
  const admin = store.localPerson();
  store.record(ann.id, { kind: 'verdict', instructionId: 'i1', question: 'Red?', answer: 'yes' });
  store.record(ann.id, { kind: 'verdict', instructionId: 'i1', question: 'Red?', answer: null });
  store.record(ann.id, { kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'a red b', text: 'a blue b' });
  store.record(admin.id, { kind: 'settings', guidelines: 'Look closely.\nTwice.', perItem: 3, disputedFirst: true });
  store.revoke(ann.id);

  const out = join(dir, 'out', 'feedback.jsonl');
  assert.deepEqual(exportFeedback(store, out), { lines: 4 });
  const lines = readFileSync(out, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const who = { id: ann.id, name: 'Ann "<b>"', role: 'annotator' };
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { seq: 1, at: '2025-03-01T12:00:04.000Z', who, kind: 'verdict', instructionId: 'i1', question: 'Red?', answer: 'yes' },
    { seq: 2, at: '2025-03-01T12:00:05.000Z', who, kind: 'verdict', instructionId: 'i1', question: 'Red?', answer: null },
    { seq: 3, at: '2025-03-01T12:00:06.000Z', who, kind: 'correction', instructionId: 'i1', candidateId: 'c0', original: 'a red b', text: 'a blue b', spans: [{ from: [2, 5], to: [2, 6] }] },
    { seq: 4, at: '2025-03-01T12:00:07.000Z', who: { id: admin.id, name: 'local', role: 'admin' }, kind: 'settings', guidelines: 'Look closely.\nTwice.', perItem: 3, disputedFirst: true },
  ]);
  assert.deepEqual(Object.keys(JSON.parse(lines[0]!)).slice(0, 4), ['seq', 'at', 'who', 'kind']);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['feedback.jsonl'], 'no temp file left behind');
  store.close();
});

test('export: a store with no events writes an empty file', () => {
  const dir = tempDir('rlaifv-fb-export-');
  const store = FeedbackStore.open(dir);
  const out = join(dir, 'empty.jsonl');
  assert.deepEqual(exportFeedback(store, out), { lines: 0 });
  assert.equal(readFileSync(out, 'utf8'), '');
  store.close();
});
