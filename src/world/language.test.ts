import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { Rng } from '../util/rng.ts';
import { negationSentence, objectsAnswer, whereAnswer } from './answers.ts';
import { corpus } from './corpus.ts';
import { describe } from './describe.ts';
import { analyseResponse, chairMetrics } from './metrics.ts';
import { parseText } from './parse.ts';
import { yesNoQuestions } from './questions.ts';
import { SFT_KINDS, sftExample } from './sft.ts';
import type { SftKind } from './sft.ts';
import { tokenize } from './tokens.ts';
import { cellOf } from './vocab.ts';
import type { Scene } from './vocab.ts';
import { createWorld } from './world.ts';

const world = createWorld();
const scenes = Array.from({ length: 500 }, (_, i) => world.scene('train', i));

test('descriptions are deterministic for a seed', () => {
  const s = scenes[7]!;
  assert.deepEqual(describe(s, new Rng(3), { noise: 0.5, world }), describe(s, new Rng(3), { noise: 0.5, world }));
  assert.notDeepEqual(describe(s, new Rng(3)).text, describe(s, new Rng(4)).text);
});

test('500 clean captions: one sentence per object, reading order, chairI = 0, coverage = 1, no attribute errors', () => {
  const rng = new Rng(11);
  const results = scenes.map((scene) => {
    const c = describe(scene, rng);
    assert.equal(c.sentences.length, scene.objects.length);
    assert.deepEqual(c.inserted, []);
    const r = analyseResponse(scene, c.text);
    assert.deepEqual(r.unparsed, [], c.text);
    assert.equal(r.mentions.length, scene.objects.length, c.text);
    // Sentence i talks about object i (reading order).
    r.mentions.forEach((m, i) => assert.equal(m.shape, scene.objects[i]!.shape, c.text));
    return r;
  });
  const m = chairMetrics(results);
  assert.equal(m.chairI, 0);
  assert.equal(m.coverage, 1);
  assert.equal(m.attributeErrorRate, 0);
  assert.equal(m.unknownWordRate, 0);
});

test('noisy captions insert absent, plausible objects, favouring co-occurring shapes', () => {
  const rng = new Rng(12);
  let inserted = 0, cooccurring = 0, chance = 0;
  const results = scenes.map((scene) => {
    const c = describe(scene, rng, { noise: 0.3, world });
    const present = new Set(scene.objects.map((o) => o.shape));
    const cells = new Set(scene.objects.map(cellOf));
    assert.ok(c.inserted.length <= 2);
    assert.equal(c.sentences.length, scene.objects.length + c.inserted.length);
    for (const o of c.inserted) {
      assert.ok(!present.has(o.shape), `${scene.id}: inserted ${o.shape} is present`);
      assert.ok(!cells.has(cellOf(o)), `${scene.id}: inserted ${o.shape} in an occupied cell`);
      inserted++;
      const near = [...present].some((p) => world.cooccurring(p).includes(o.shape));
      if (near) cooccurring++;
      // What uniform choice among absent shapes would give.
      const absent = ['circle', 'square', 'triangle', 'diamond', 'cross', 'ring', 'star', 'bar'].filter((s) => !present.has(s as never));
      chance += absent.filter((s) => [...present].some((p) => world.cooccurring(p).includes(s as never))).length / absent.length;
    }
    const r = analyseResponse(scene, c.text);
    assert.equal(r.hallucinated.length, c.inserted.length, c.text);
    return r;
  });
  const m = chairMetrics(results);
  assert.ok(m.chairI > 0.1 && m.chairI < 0.35, `chairI ${m.chairI}`);
  assert.ok(m.coverage === 1);
  assert.ok(inserted > 100);
  assert.ok(cooccurring / inserted > chance / inserted + 0.2, `co-occurring share ${cooccurring / inserted} vs chance ${chance / inserted}`);
});

test('noise without a world is an error that says what to pass', () => {
  assert.throws(() => describe(scenes[0]!, new Rng(1), { noise: 0.2 }), /options\.world/);
});

const hand: Scene = {
  id: 'hand',
  objects: [
    { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 },
    { shape: 'square', colour: 'orange', size: 'small', row: 1, col: 1 },
    { shape: 'circle', colour: 'blue', size: 'small', row: 2, col: 2 },
  ],
};

test('answers for object-list and where instructions', () => {
  assert.equal(objectsAnswer(hand), 'There are three objects: a red circle, an orange square and a blue circle.');
  assert.equal(objectsAnswer({ id: 'x', objects: [hand.objects[1]!] }), 'There is one object: an orange square.');
  assert.equal(whereAnswer(hand, { shape: 'square' }), 'The orange square is at the middle centre.');
  assert.equal(whereAnswer(hand, { shape: 'circle', colour: 'blue' }), 'The blue circle is at the bottom right.');
  assert.equal(whereAnswer(hand, { shape: 'circle' }), 'There is a red circle at the top left. There is a blue circle at the bottom right.');
  assert.equal(whereAnswer(hand, { shape: 'star', colour: 'red' }), 'There is no red star.');
  assert.equal(negationSentence({ shape: 'ring', size: 'small', row: 0, col: 2 }), 'There is no small ring at the top right.');
});

test('sftExample follows the mix, adds the yes/no suffix, and answers Yes/No correctly', () => {
  const rng = new Rng(5);
  const counts: Record<SftKind, number> = { describe: 0, objects: 0, where: 0, yesno: 0 };
  for (let i = 0; i < 400; i++) {
    const ex = sftExample(world, scenes[i % 100]!, rng, { mix: { describe: 1, objects: 1, where: 1, yesno: 1 } });
    counts[ex.kind]++;
    if (ex.kind === 'yesno') {
      assert.ok(ex.prompt.endsWith(YES_NO_SUFFIX), ex.prompt);
      assert.ok(ex.response === 'Yes' || ex.response === 'No');
    }
  }
  for (const k of SFT_KINDS) assert.ok(counts[k] > 60, `${k}: ${counts[k]} of 400`);
  const only = sftExample(world, scenes[0]!, rng, { mix: { describe: 0, objects: 0, where: 0, yesno: 1 } });
  assert.equal(only.kind, 'yesno');
  assert.throws(() => sftExample(world, scenes[0]!, rng, { mix: { describe: 0, objects: 0, where: 0, yesno: 0 } }), /positive weight/);
  // captionNoise 0 gives clean descriptions.
  for (let i = 0; i < 50; i++) {
    const ex = sftExample(world, scenes[i]!, rng, { captionNoise: 0, mix: { describe: 1, objects: 0, where: 0, yesno: 0 } });
    assert.equal(analyseResponse(scenes[i]!, ex.response).hallucinated.length, 0, ex.response);
  }
});

test('every generated text uses corpus words only and parses; the vocabulary stays small', () => {
  const words = new Set(corpus());
  assert.ok(words.size < 150, `corpus has ${words.size} words`);
  const rng = new Rng(9);
  const texts: string[] = [];
  for (const scene of scenes.slice(0, 300)) {
    texts.push(describe(scene, rng, { noise: 0.5, world }).text, objectsAnswer(scene));
    for (let k = 0; k < 4; k++) {
      const ex = sftExample(world, scene, rng);
      texts.push(ex.prompt, ex.response);
    }
    for (const q of yesNoQuestions(world, scene, rng, 4)) texts.push(q.question + YES_NO_SUFFIX);
  }
  for (const text of texts) {
    for (const w of tokenize(text)) assert.ok(words.has(w), `'${w}' in '${text}' is not in corpus()`);
    const p = parseText(text);
    assert.deepEqual(p.unparsed, [], text);
    assert.deepEqual(p.unknownWords, [], text);
  }
});
