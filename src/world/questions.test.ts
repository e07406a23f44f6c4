import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../util/rng.ts';
import { toPolarQuestion } from './claims.ts';
import { parseSentence } from './parse.ts';
import { YES_NO_KIND_WEIGHTS, YES_NO_KINDS, yesNoQuestions } from './questions.ts';
import type { YesNoItem, YesNoKind } from './questions.ts';
import { cellOf, matches } from './vocab.ts';
import type { Scene } from './vocab.ts';
import { createWorld } from './world.ts';

const world = createWorld({ worldSeed: 4 });
const scenes = Array.from({ length: 300 }, (_, i) => world.scene('train', i));
const rng = new Rng(21);
const asked: Array<{ scene: Scene; item: YesNoItem }> = scenes.flatMap((scene) =>
  yesNoQuestions(world, scene, rng, 6).map((item) => ({ scene, item })));
/** The same scenes asked with every kind on, 'place' the most. */
const placeHeavy = { ...YES_NO_KIND_WEIGHTS, place: 1 };
const askedAll: Array<{ scene: Scene; item: YesNoItem }> = scenes.flatMap((scene) =>
  yesNoQuestions(world, scene, rng, 6, placeHeavy).map((item) => ({ scene, item })));

/** Independent truth from the parsed question, without questionTruth. */
function directTruth(scene: Scene, question: string): boolean {
  const m = parseSentence(question).meaning;
  assert.equal(m?.kind, 'question', question);
  if (m?.kind !== 'question') return false;
  const q = m.query;
  if (q.kind === 'exists') return scene.objects.some((o) => matches(o, q.target));
  if (q.kind === 'absent') return !scene.objects.some((o) => matches(o, q.target));
  if (q.kind === 'count') {
    if (q.count !== scene.objects.length) return false;
    if (!q.items) return true;
    // Lists are generated in reading order, so a position-wise check is exact here.
    return q.items.every((d, i) => matches(scene.objects[i]!, d));
  }
  throw new Error(`unexpected where question: ${question}`);
}

test('balanced: exactly half yes per scene for an even count', () => {
  for (const scene of scenes.slice(0, 50)) {
    const items = yesNoQuestions(world, scene, new Rng(1), 8);
    assert.equal(items.filter((q) => q.answer).length, 4);
  }
  const odd = yesNoQuestions(world, scenes[0]!, new Rng(1), 5).filter((q) => q.answer).length;
  assert.ok(odd === 2 || odd === 3);
});

test('answers are correct against the scene, for every kind', () => {
  const kinds = new Map<YesNoKind, number>();
  for (const { scene, item } of [...asked, ...askedAll]) {
    assert.equal(directTruth(scene, item.question), item.answer, `${scene.id}: ${item.question}`);
    kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
  }
  for (const k of YES_NO_KINDS) assert.ok((kinds.get(k) ?? 0) > 20, `kind ${k} asked ${kinds.get(k) ?? 0} times`);
});

test('the default kinds never ask place questions, so the benchmark stays as measured', () => {
  assert.equal(asked.filter((a) => a.item.kind === 'place').length, 0);
});

test("'place' negatives are mostly real objects at a wrong cell, about half of them another object's cell", () => {
  let wrongCell = 0, occupied = 0, other = 0;
  for (const { scene, item } of askedAll) {
    if (item.kind !== 'place') continue;
    const m = parseSentence(item.question).meaning;
    assert.ok(m?.kind === 'question' && m.query.kind === 'exists' && m.query.target.row !== undefined, item.question);
    if (item.answer || m.query.kind !== 'exists') continue;
    const d = m.query.target;
    const sameCell = (o: { row: number; col: number }) => o.row === d.row && o.col === d.col;
    const real = scene.objects.some((o) => matches(o, { ...d, row: undefined, col: undefined }));
    if (real && !scene.objects.some((o) => sameCell(o) && o.shape === d.shape)) {
      wrongCell++;
      if (scene.objects.some(sameCell)) occupied++;
    } else other++;
    assert.ok(cellOf({ row: d.row!, col: d.col! }) >= 0);
  }
  assert.ok(wrongCell > 1.5 * other, `wrong cell ${wrongCell}, other ${other}`);
  const share = occupied / wrongCell;
  assert.ok(share > 0.3 && share < 0.7, `occupied share ${share}`);
});

test('polar questions are exactly the form toPolarQuestion gives description sentences', () => {
  for (const { item } of asked.filter((a) => a.item.kind === 'polar')) {
    const statement = item.question.replace(/^Is there (.*)\?$/, 'There is $1.');
    assert.equal(toPolarQuestion(statement), item.question);
  }
});

test('no-answers include hard negatives: absent shapes that co-occur, wrong attributes of present shapes', () => {
  let absentShapes = 0, cooccurring = 0, wrongAttribute = 0;
  for (const { scene, item } of asked) {
    if (item.answer || (item.kind !== 'polar' && item.kind !== 'exists' && item.kind !== 'attribute')) continue;
    const m = parseSentence(item.question).meaning;
    if (m?.kind !== 'question' || m.query.kind !== 'exists') continue;
    const shape = m.query.target.shape;
    const present = scene.objects.map((o) => o.shape);
    if (present.includes(shape)) wrongAttribute++;
    else {
      absentShapes++;
      if (present.some((p) => world.cooccurring(p).includes(shape))) cooccurring++;
    }
  }
  assert.ok(wrongAttribute > 100, `wrong-attribute negatives: ${wrongAttribute}`);
  assert.ok(absentShapes > 100, `absent-shape negatives: ${absentShapes}`);
  assert.ok(cooccurring / absentShapes > 0.5, `co-occurring share of absent-shape negatives: ${cooccurring / absentShapes}`);
});

test('deterministic for a seed', () => {
  assert.deepEqual(yesNoQuestions(world, scenes[3]!, new Rng(8), 6), yesNoQuestions(world, scenes[3]!, new Rng(8), 6));
});
