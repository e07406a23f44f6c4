import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accepts } from '../backend/types.ts';
import { fromOfficialLabelerRecord, toOfficialLabelerRecord, type LabelerVerdict } from './official-labeler.ts';

/** The official pipeline's rule (utils/pair_construction.py): yes + Yes > no + No. */
const officialAccepts = (s: { yes: number; Yes: number; no: number; No: number }) => s.yes + s.Yes > s.no + s.No;

const verdict = (over: Partial<LabelerVerdict> = {}): LabelerVerdict => ({
  questionId: 'w0-train-3#1', dsQuestionId: 'w0-train-3', question: 'Is there a dog?', result: { yes: 0.9, no: 0.1 }, model: 'labeler-x',
  instruction: { question: 'Describe the image.', imagePath: 'imgs/3.jpg', meta: { reference: 'a dog' } },
  response: 'There is a dog. There is a cat.', claim: 'There is a dog.',
  allClaims: ['There is a dog.', 'There is a cat.'], allQuestions: ['Is there a dog?', 'Is there a cat?'],
  ...over,
});

test('a record has every field of the official autocheck record, with its names, types, nesting and key order', () => {
  const rec = toOfficialLabelerRecord(verdict());
  // What minicpmv_autocheck.py writes for a question record made by construct_question_yesno
  // (utils/llama3_8b_inference.py) from a generation record of the input {ds_question_id, image_path, question, metainfos}.
  const expected = {
    question_id: 'w0-train-3#1',
    ds_question_id: 'w0-train-3',
    raw_question: 'Is there a dog? Please answer yes or no.',
    answer: 'yes',
    scores: { yes: 0.9, Yes: 0, no: 0.1, No: 0 },
    metainfos: {
      question_id: 'w0-train-3#1',
      ds_question_id: 'w0-train-3',
      image_path: 'imgs/3.jpg',
      metainfos: {
        ds_question_id: 'w0-train-3',
        image_path: 'imgs/3.jpg',
        metainfos: { reference: 'a dog' },
        origin_question: 'Describe the image.',
        origin_answer: 'There is a dog. There is a cat.',
        origin_fact: 'There is a dog.',
        origin_changed_fact: 'Is there a dog?',
        origin_all_facts: ['There is a dog.', 'There is a cat.'],
        origin_changed_all_facts: ['Is there a dog?', 'Is there a cat?'],
      },
    },
    model_path: 'labeler-x',
  };
  assert.deepEqual(rec, expected);
  // deepEqual ignores key order; JSON text does not, and Python dicts keep it: compare the text.
  assert.equal(JSON.stringify(rec), JSON.stringify(expected));
  // What utils/pair_construction.py reads: the group key and the verdict lookup.
  assert.equal(rec.metainfos.ds_question_id, 'w0-train-3');
  assert.equal(rec.metainfos.metainfos.origin_question, 'Describe the image.');
  assert.ok(rec.raw_question.endsWith(' Please answer yes or no.'));
  assert.equal(toOfficialLabelerRecord(verdict({ result: { yes: 0.2, no: 0.8 } })).answer, 'no');
});

test('yes/no sums map onto the four fields so the official verdict equals ours', () => {
  const table: Array<[number, number]> = [[0.9, 0.1], [0.1, 0.9], [0.5, 0.5], [0, 0], [0.51, 0.49], [1e-9, 0]];
  for (const [yes, no] of table) {
    const rec = toOfficialLabelerRecord(verdict({ questionId: 3, dsQuestionId: 'ins-1', result: { yes, no } }));
    assert.deepEqual(rec.scores, { yes, Yes: 0, no, No: 0 });
    assert.equal(officialAccepts(rec.scores), accepts({ yes, no }), `yes=${yes} no=${no}`);
    assert.equal(rec.answer, accepts({ yes, no }) ? 'yes' : 'no');
    assert.deepEqual(fromOfficialLabelerRecord(rec), { questionId: 3, dsQuestionId: 'ins-1', question: 'Is there a dog?', result: { yes, no } });
  }
});

test('four separate probabilities pass through and are summed when read back; the group key is read where the official stage reads it', () => {
  const result = { yes: 0.3, Yes: 0.25, no: 0.4, No: 0.05 };
  const rec = toOfficialLabelerRecord(verdict({ questionId: 'c1', dsQuestionId: 7, result, answer: 'Yes' }));
  assert.deepEqual(rec.scores, result);
  assert.equal(rec.answer, 'Yes');
  const back = fromOfficialLabelerRecord(JSON.parse(JSON.stringify(rec)));
  assert.equal(back.result.yes, 0.55);
  assert.ok(Math.abs(back.result.no - 0.45) < 1e-12);
  // get_dsid_to_question_id prefers metainfos.ds_question_id.
  assert.equal(fromOfficialLabelerRecord({ ...rec, ds_question_id: 'top', metainfos: { ds_question_id: 'inner' } }).dsQuestionId, 'inner');
  assert.equal(fromOfficialLabelerRecord({ ...rec, metainfos: undefined }).dsQuestionId, 7);
  assert.throws(() => fromOfficialLabelerRecord({ question_id: 1, ds_question_id: 1, raw_question: 'Q', scores: { yes: 1, no: 0 } }, 'auto.jsonl:4'),
    /auto\.jsonl:4: field 'scores\.Yes'.*\{yes, Yes, no, No\}/);
  assert.throws(() => fromOfficialLabelerRecord({ question_id: 1, raw_question: 'Q', scores: result }, 'auto.jsonl:5'), /auto\.jsonl:5: field 'ds_question_id' is missing/);
});
