import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atomicClaims, claimTruth, questionTruth, splitClaims, toPolarQuestion } from './claims.ts';
import type { Scene } from './vocab.ts';

const scene: Scene = {
  id: 'hand',
  objects: [
    { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 },
    { shape: 'circle', colour: 'blue', size: 'small', row: 1, col: 1 },
    { shape: 'star', colour: 'yellow', size: 'small', row: 2, col: 2 },
  ],
};

test('splitClaims keeps asserting sentences only', () => {
  const table: Array<[string, string[]]> = [
    ['There is a red circle at the top left. Is there a star? There is no square.', ['There is a red circle at the top left.', 'There is no square.']],
    ['Yes', []],
    ['', []],
    ['Describe the image.', []],
    ['The sky is blue. Dogs bark!', ['The sky is blue.', 'Dogs bark!']],
    ['There are two objects: a red circle and a star. There is a', ['There are two objects: a red circle and a star.', 'There is a']],
  ];
  for (const [text, claims] of table) assert.deepEqual(splitClaims(text), claims, text);
});

test('toPolarQuestion table', () => {
  const table: Array<[string, string]> = [
    ['There is a large red circle at the top left.', 'Is there a large red circle at the top left?'],
    ['A small blue star is in the middle centre.', 'Is there a small blue star at the middle centre?'],
    ['I can see a green ring on the bottom right.', 'Is there a green ring at the bottom right?'],
    ['At the top centre, there is an orange bar.', 'Is there an orange bar at the top centre?'],
    ['The red circle is at the top left.', 'Is there a red circle at the top left?'],
    ['There is a star.', 'Is there a star?'],
    ['There is no red square.', 'Is there no red square?'],
    ['There is no star at the bottom left.', 'Is there no star at the bottom left?'],
    ['There are two objects: a red circle and a star.', 'Are there two objects: a red circle and a star?'],
    ['There is one object: a blue cross.', 'Is there one object: a blue cross?'],
    // Generic English fallback.
    ['The sky is blue.', 'Is the sky blue?'],
    ['The dogs are not barking.', 'Are the dogs not barking?'],
    ['Paris is in France.', 'Is Paris in France?'],
    ['I can see two cats.', 'Can I see two cats?'],
    ['The cat sleeps.', 'Is it true that the cat sleeps?'],
    ['Dogs bark.', 'Is it true that Dogs bark?'],
    ['In the morning, it is cold.', 'Is it true that in the morning, it is cold?'],
  ];
  for (const [claim, question] of table) assert.equal(toPolarQuestion(claim), question, claim);
});

test('claimTruth table (exact truth in the scene)', () => {
  const table: Array<[string, boolean | undefined]> = [
    ['There is a large red circle at the top left.', true],
    ['There is a small red circle.', false], // attribute error: the red circle is large
    ['A blue circle is in the middle centre.', true],
    ['The blue circle is at the top left.', false],
    ['There is a circle at the bottom right.', false], // that cell holds the star
    ['I can see a yellow star on the bottom right.', true],
    ['There is a square.', false], // absent shape
    ['There is no square.', true],
    ['There is no red circle.', false],
    ['There is no small red circle.', true],
    ['There are three objects: a red circle, a blue circle and a yellow star.', true],
    ['There are three objects: a red circle, a red circle and a yellow star.', false], // one red circle only
    ['There are two objects: a red circle and a yellow star.', false], // wrong count
    ['Is there a star?', true],
    ['Is the circle blue?', true],
    ['Is the star large?', false],
    ['Is there no star?', false],
    ['Are there three objects?', true],
    ['Where is the star?', undefined],
    ['There is a blorp.', undefined],
    ['Yes.', undefined],
    ['', undefined],
  ];
  for (const [claim, truth] of table) assert.equal(claimTruth(scene, claim), truth, claim);
});

test('questionTruth ignores the labeler suffix and rejects non-questions', () => {
  assert.equal(questionTruth(scene, 'Is there a star? Please answer yes or no.'), true);
  assert.equal(questionTruth(scene, 'Is there a square? Please answer yes or no.'), false);
  assert.equal(questionTruth(scene, 'There is a star.'), undefined);
  assert.equal(questionTruth(scene, 'Is it sunny?'), undefined);
});

test('polar questions of world claims keep their truth', () => {
  for (const claim of [
    'There is a large red circle at the top left.', 'There is a small red circle.', 'There is no square.',
    'There is no red circle.', 'There are two objects: a red circle and a yellow star.',
    'There are three objects: a red circle, a blue circle and a yellow star.',
  ]) {
    assert.equal(questionTruth(scene, toPolarQuestion(claim)), claimTruth(scene, claim), claim);
  }
});

test('atomicClaims splits an object mention into its existence and one claim per attribute', () => {
  const cases: Array<[string, string[]]> = [
    ['There is a small red circle at the top left.', ['There is a circle.', 'There is a small circle.', 'There is a red circle.', 'There is a circle at the top left.']],
    ['There is a star.', ['There is a star.']],
    ['There is an orange ring. There is no bar.', ['There is a ring.', 'There is an orange ring.', 'There is no bar.']],
    ['Is there a star? The sky is blue.', ['The sky is blue.']],
  ];
  for (const [text, claims] of cases) assert.deepEqual(atomicClaims(text), claims, text);
});

test('a hallucinated object fails all its atomic claims, a misplaced one fails one', () => {
  const scene = { id: 's', objects: [{ shape: 'circle' as const, colour: 'red' as const, size: 'small' as const, row: 0 as const, col: 0 as const }] };
  const falseOf = (t: string) => atomicClaims(t).filter((c) => claimTruth(scene, c) === false).length;
  assert.equal(falseOf('There is a small red star at the top left.'), 4);
  assert.equal(falseOf('There is a small red circle at the bottom right.'), 1);
});
