import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseResponse, chairMetrics, yesNoMetrics } from './metrics.ts';
import type { Scene } from './vocab.ts';

const scene: Scene = {
  id: 'hand',
  objects: [
    { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 },
    { shape: 'circle', colour: 'blue', size: 'small', row: 1, col: 1 },
    { shape: 'star', colour: 'yellow', size: 'small', row: 2, col: 2 },
  ],
};

interface Row {
  text: string;
  mentions: number;
  hallucinated: string[];
  attributeErrors: string[];
  covered: number;
  unknown?: string[];
  unparsed?: number;
  falseNegations?: number;
}

test('analyseResponse on hand-written captions', () => {
  const table: Row[] = [
    { text: 'There is a large red circle at the top left. A blue circle is in the middle centre. There is a yellow star.',
      mentions: 3, hallucinated: [], attributeErrors: [], covered: 3 },
    { text: 'There is a red circle. There is a square. I can see a cross at the top right.',
      mentions: 3, hallucinated: ['square', 'cross'], attributeErrors: [], covered: 1 },
    // Repeats are separate mentions of the same object: covered once.
    { text: 'There is a red circle. There is a red circle. There is a red circle.',
      mentions: 3, hallucinated: [], attributeErrors: [], covered: 1 },
    // Two vague mentions of a shape with two objects cover both.
    { text: 'There is a circle. There is a circle.', mentions: 2, hallucinated: [], attributeErrors: [], covered: 2 },
    // Shape present, attributes wrong: an attribute error, not a hallucination; still covers the closest object.
    { text: 'There is a green circle. There is a large star at the bottom right. The star is at the top left.',
      mentions: 3, hallucinated: [], attributeErrors: ['circle', 'star', 'star'], covered: 2 },
    // Negations are not mentions; a false one is recorded.
    { text: 'There is no square. There is no red circle. There is a star.',
      mentions: 1, hallucinated: [], attributeErrors: [], covered: 1, falseNegations: 1 },
    { text: 'There are three objects: a red circle, a blue circle and a green ring.',
      mentions: 3, hallucinated: ['ring'], attributeErrors: [], covered: 2 },
    { text: 'There is a fuzzy star. Wow a square!', mentions: 2, hallucinated: ['square'], attributeErrors: [], covered: 1,
      unknown: ['fuzzy', 'Wow'], unparsed: 2 },
    { text: '', mentions: 0, hallucinated: [], attributeErrors: [], covered: 0 },
  ];
  for (const row of table) {
    const r = analyseResponse(scene, row.text);
    assert.equal(r.mentions.length, row.mentions, row.text);
    assert.deepEqual(r.hallucinated.map((m) => m.shape), row.hallucinated, row.text);
    assert.deepEqual(r.attributeErrors.map((m) => m.shape), row.attributeErrors, row.text);
    assert.equal(r.coveredObjects, row.covered, row.text);
    assert.equal(r.objects, 3);
    assert.deepEqual(r.unknownWords, row.unknown ?? [], row.text);
    assert.equal(r.unparsed.length, row.unparsed ?? 0, row.text);
    assert.equal(r.falseNegations.length, row.falseNegations ?? 0, row.text);
  }
});

test('mentions match the best-agreeing object of their shape', () => {
  const r = analyseResponse(scene, 'There is a blue circle. There is a large circle at the top left.');
  assert.deepEqual(r.matchedTo, [1, 0]);
  const h = analyseResponse(scene, 'There is a ring. There is a blue circle at the top left.');
  // Colour agrees with object 1, position with object 0: a tie, both uncovered, so reading order decides.
  assert.deepEqual(h.matchedTo, [undefined, 0]);
});

test('chairMetrics aggregates as Object HalBench does', () => {
  const results = [
    'There is a red circle. There is a square.', // 2 mentions, 1 hallucinated, covers 1
    'There is a blue circle. There is a star.', // 2 mentions, covers 2
    'Blorp.', // no mentions, 1 unknown word
    'There is a large star.', // 1 mention, attribute error (star is small), covers 1
  ].map((t) => analyseResponse(scene, t));
  const m = chairMetrics(results);
  assert.equal(m.n, 4);
  assert.equal(m.chairI, 1 / 5);
  assert.equal(m.chairS, 1 / 4);
  assert.equal(m.chairSMentioning, 1 / 3);
  assert.equal(m.coverage, 4 / 12);
  assert.equal(m.attributeErrorRate, 1 / 4);
  assert.equal(m.unknownWordRate, 1 / 24);
  assert.equal(m.meanMentions, 5 / 4);
});

test('chairMetrics guards zero denominators', () => {
  assert.deepEqual(chairMetrics([]), {
    n: 0, chairI: 0, chairS: 0, chairSMentioning: 0, coverage: 0, attributeErrorRate: 0, unknownWordRate: 0, meanMentions: 0,
  });
  const m = chairMetrics([analyseResponse(scene, '')]);
  assert.equal(m.chairI, 0);
  assert.equal(m.chairSMentioning, 0);
});

test('yesNoMetrics: yes is the positive class', () => {
  const items = [
    { predicted: true, truth: true }, { predicted: true, truth: true }, { predicted: true, truth: false },
    { predicted: false, truth: true }, { predicted: false, truth: false }, { predicted: false, truth: false },
  ];
  const m = yesNoMetrics(items);
  assert.equal(m.n, 6);
  assert.equal(m.accuracy, 4 / 6);
  assert.equal(m.precision, 2 / 3);
  assert.equal(m.recall, 2 / 3);
  assert.ok(Math.abs(m.f1 - 2 / 3) < 1e-12);
  assert.equal(m.yesRate, 3 / 6);
  assert.deepEqual(yesNoMetrics([]), { n: 0, accuracy: 0, precision: 0, recall: 0, f1: 0, yesRate: 0 });
  const allNo = yesNoMetrics([{ predicted: false, truth: true }, { predicted: false, truth: false }]);
  assert.deepEqual([allNo.precision, allNo.recall, allNo.f1, allNo.accuracy], [0, 0, 0, 0.5]);
});
