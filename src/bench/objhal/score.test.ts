import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjhalJudgeSettingsSchema } from './llm.ts';
import { scoreObjhalAnswers } from './score.ts';
import { fakeNlp, ScriptedJudge } from './testing.ts';
import { readSynonyms } from './vocabulary.ts';

const vocab = readSynonyms();
const gt = new Map([[1, new Set(['dog', 'frisbee'])], [2, new Set(['car'])], [3, new Set(['cat'])]]);
const Q = 'Describe the image.';
const answers = [
  { imageId: 1, question: Q, answer: 'Assistant: A dog and a puppy catch a frisbee near a bench.' },
  { imageId: 2, question: Q, answer: 'A red car.' },
  { imageId: 3, question: Q, answer: 'A cat sleeps on a wooden table today.' },
];

test('rules end to end: answers cleaned, every occurrence a mention, records with reasons', async () => {
  const run = await scoreObjhalAnswers(answers, gt, vocab, { name: 'rules', nlp: fakeNlp });
  // 1: dog, puppy (dog), frisbee, bench -> bench hallucinated: 4 mentions, 1 hallucinated; recalled {dog, frisbee}
  // 2: car: clean; recalled {car}. 3: cat, table (class dining table) -> table hallucinated; recalled {cat}
  assert.equal(run.items[0]!.answer, 'A dog and a puppy catch a frisbee near a bench.');
  assert.deepEqual(run.items[0]!.mentions.filter((m) => m.hallucinated).map((m) => m.word), ['bench']);
  assert.equal(run.metrics.chairS, 2 / 3);
  assert.equal(run.metrics.chairSMentioning, 2 / 3);
  assert.equal(run.metrics.chairI, 2 / 7); // (1 + 0 + 1) / (4 + 1 + 2)
  assert.equal(run.metrics.recall, 4 / 4); // (2 + 1 + 1) / (2 + 1 + 1)
  assert.equal(run.items[2]!.mentions[1]!.why, '"table" is class "dining table", not among the ground-truth classes of image 3');
  assert.equal(run.judge, undefined);
  assert.equal(run.items[1]!.extractor, 'rules');
});

test('llm end to end: short answers skipped, unparsed counted, judge recorded', async () => {
  const judge = new ScriptedJudge((p) => (p.includes('puppy') ? '["dog", "puppy", "frisbee", "bench", "dog"]' : 'sorry'));
  const settings = ObjhalJudgeSettingsSchema.parse({ attempts: 1 });
  const run = await scoreObjhalAnswers(answers, gt, vocab, { name: 'llm', nlp: fakeNlp, chat: judge, settings });
  // 1: dedup -> dog, puppy, frisbee, bench: 4 mentions, bench hallucinated
  // 2: "A red car." has 3 words: not sent, no mention. 3: reply "sorry": unparsed, no mention
  assert.equal(judge.calls[0]!.prompts.length, 2);
  assert.deepEqual(run.items.map((it) => it.judge!.status), ['parsed', 'short', 'unparsed']);
  assert.equal(run.metrics.unparsed, 1);
  assert.equal(run.metrics.chairS, 1 / 3);
  assert.equal(run.metrics.chairSMentioning, 1 / 1); // only answer 1 mentions a COCO object
  assert.equal(run.metrics.chairI, 1 / 4);
  assert.equal(run.metrics.recall, 2 / 4); // {dog, frisbee} of 2 + 1 + 1
  assert.equal(run.judge!.model, 'scripted-judge');
  assert.equal(run.judge!.temperature, 0.2);
});
