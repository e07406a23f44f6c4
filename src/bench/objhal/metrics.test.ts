import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreObjhal, type ObjhalScoreInput } from './metrics.ts';

const m = (word: string, cls: string = word) => ({ word, cls });

test('scoreObjhal: CHAIRs over all answers and over answers that mention, CHAIRi over mentions, recall', () => {
  const inputs: ObjhalScoreInput[] = [
    // a: dog, puppy (both class dog, in GT) and cat (not in GT): 3 mentions, 1 hallucinated; recalled {dog} of GT {dog, person}
    { imageId: 1, answer: 'A dog, a puppy and a cat.', mentions: [m('dog'), m('puppy', 'dog'), m('cat')], groundTruth: new Set(['dog', 'person']) },
    // b: person (in GT): clean; recalled {person} of GT {person, bench, car}
    { imageId: 2, answer: 'A man on a bench', mentions: [m('man', 'person')], groundTruth: new Set(['person', 'bench', 'car']) },
    // c: no mention: clean, outside the "mentioning" denominator, but its GT still counts for recall
    { imageId: 3, answer: 'Nothing  here', mentions: [], groundTruth: new Set(['car']) },
    // d: kite twice (two occurrences), not in GT: 2 hallucinated mentions
    { imageId: 4, answer: 'kite kite', mentions: [m('kite'), m('kite')], groundTruth: new Set([]) },
  ];
  const { metrics, items } = scoreObjhal(inputs);
  assert.equal(metrics.n, 4);
  assert.equal(metrics.hallucinatedAnswers, 2); // a, d
  assert.equal(metrics.mentioningAnswers, 3); // a, b, d
  assert.equal(metrics.chairS, 2 / 4); // 0.5
  assert.equal(metrics.chairSMentioning, 2 / 3); // the official "Resp."
  assert.equal(metrics.mentions, 6); // 3 + 1 + 0 + 2
  assert.equal(metrics.hallucinatedMentions, 3); // cat + kite + kite
  assert.equal(metrics.chairI, 3 / 6);
  assert.equal(metrics.recalledObjects, 2); // {dog} + {person}
  assert.equal(metrics.groundTruthObjects, 6); // 2 + 3 + 1 + 0
  assert.equal(metrics.recall, 2 / 6);
  // avg_word_len splits on single spaces: 7 + 5 + 3 ("Nothing", "", "here") + 2 = 17 words / 4
  assert.equal(metrics.avgWords, 17 / 4);
  assert.equal(items[0]!.chairI, 1 / 3);
  assert.deepEqual(items[0]!.recalled, ['dog']);
  assert.deepEqual(items[0]!.mentions.map((x) => x.hallucinated), [false, false, true]);
  assert.equal(items[0]!.mentions[2]!.why, '"cat" is class "cat", not among the ground-truth classes of image 1');
  assert.equal(items[2]!.chairI, null);
  assert.equal(items[2]!.mentioning, false);
  assert.deepEqual(items[1]!.groundTruth, ['bench', 'car', 'person']);
});

test('scoreObjhal: unparsed judge replies are counted and score as answers with no mention', () => {
  const { metrics, items } = scoreObjhal([
    { imageId: 1, answer: 'x y z w', mentions: [], groundTruth: new Set(['dog']), unparsed: true },
    { imageId: 2, answer: 'a cat', mentions: [m('cat')], groundTruth: new Set(['cat']) },
  ]);
  assert.equal(metrics.unparsed, 1);
  assert.equal(items[0]!.unparsed, true);
  assert.equal(metrics.chairSMentioning, 0 / 1);
  assert.equal(metrics.recall, 1 / 2); // the unparsed answer's GT {dog} still counts in the denominator
});

test('scoreObjhal: empty denominators give null, not a division by zero', () => {
  const none = scoreObjhal([]).metrics;
  assert.deepEqual([none.chairS, none.chairSMentioning, none.chairI, none.recall, none.avgWords], [null, null, null, null, null]);
  const silent = scoreObjhal([{ imageId: 1, answer: 'ok', mentions: [], groundTruth: new Set() }]).metrics;
  assert.deepEqual([silent.chairS, silent.chairSMentioning, silent.chairI, silent.recall], [0, null, null, null]);
});
