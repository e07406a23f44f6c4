import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accepts } from '../backend/types.ts';
import { fromOfficialLabelerRecord, toOfficialLabelerRecord } from './official-labeler.ts';

/** The official pipeline's rule (utils/pair_construction.py): yes + Yes > no + No. */
const officialAccepts = (s: { yes: number; Yes: number; no: number; No: number }) => s.yes + s.Yes > s.no + s.No;

test('yes/no sums map onto the four fields so the official verdict equals ours', () => {
  const table: Array<[number, number]> = [[0.9, 0.1], [0.1, 0.9], [0.5, 0.5], [0, 0], [0.51, 0.49], [1e-9, 0]];
  for (const [yes, no] of table) {
    const rec = toOfficialLabelerRecord({ questionId: 3, dsQuestionId: 'ins-1', question: 'Is there a dog?', result: { yes, no } });
    assert.deepEqual(rec, { question_id: 3, ds_question_id: 'ins-1', raw_question: 'Is there a dog?', scores: { yes, Yes: 0, no, No: 0 } });
    assert.equal(officialAccepts(rec.scores), accepts({ yes, no }), `yes=${yes} no=${no}`);
    assert.deepEqual(fromOfficialLabelerRecord(rec).result, { yes, no });
  }
});

test('four separate probabilities pass through and are summed when read back', () => {
  const result = { yes: 0.3, Yes: 0.25, no: 0.4, No: 0.05 };
  const rec = toOfficialLabelerRecord({ questionId: 'c1', dsQuestionId: 7, question: 'Q?', result, answer: 'yes', metainfos: { a: 1 } });
  assert.deepEqual(rec.scores, result);
  assert.equal(rec.answer, 'yes');
  const back = fromOfficialLabelerRecord(JSON.parse(JSON.stringify(rec)));
  assert.equal(back.result.yes, 0.55);
  assert.ok(Math.abs(back.result.no - 0.45) < 1e-12);
  assert.throws(() => fromOfficialLabelerRecord({ question_id: 1, ds_question_id: 1, raw_question: 'Q', scores: { yes: 1, no: 0 } }, 'auto.jsonl:4'),
    /auto\.jsonl:4: field 'scores\.Yes'.*\{yes, Yes, no, No\}/);
});
