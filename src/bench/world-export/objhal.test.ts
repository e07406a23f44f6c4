import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../image/codec.ts';
import { deriveSeed, Rng } from '../../util/rng.ts';
import { analyseResponse, chairMetrics, createWorld, describe, DESCRIBE_INSTRUCTIONS, describeInstruction, SHAPES } from '../../world/index.ts';
import type { Scene } from '../../world/index.ts';
import { OBJHAL_FILES, plural, worldSynonymList, type ObjhalQuestionRecord } from './objhal.ts';
import { exportToTemp } from './testing.ts';

const world = createWorld({ worldSeed: 0 });
const N = 12;
const { dir } = exportToTemp('objhal', { n: N, seed: 3 });
const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const scenes = Array.from({ length: N }, (_, i) => world.scene('test', i));

test('the question file: one JSON line per image with the official fields and types, a world describe prompt, a base64 PNG of the scene', async () => {
  const lines = readFileSync(join(dir, OBJHAL_FILES.questions), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as ObjhalQuestionRecord);
  assert.equal(lines.length, N);
  for (const [i, r] of lines.entries()) {
    assert.deepEqual(Object.keys(r), ['image_id', 'question', 'image', 'org_idx']);
    assert.equal(r.image_id, i + 1);
    assert.equal(r.org_idx, i);
    // The prompt `rlaifv eval --seed 3` asks of this scene.
    assert.equal(r.question, describeInstruction(new Rng(deriveSeed(3, 'eval-prompt', scenes[i]!.id))));
    assert.ok((DESCRIBE_INSTRUCTIONS as readonly string[]).includes(r.question));
    const image = await decodeImage(Buffer.from(r.image, 'base64'));
    assert.deepEqual([image.width, image.height], [48, 48]);
  }
});

test('instances: the shapes are the categories, one annotation per object, in the object\'s cell', () => {
  const inst = json(OBJHAL_FILES.instances);
  assert.deepEqual(inst.categories.map((c: { id: number; name: string }) => [c.id, c.name]), SHAPES.map((s, i) => [i + 1, s]));
  assert.deepEqual(inst.images.map((im: { id: number }) => im.id), scenes.map((_, i) => i + 1));
  const byImage = (id: number) => inst.annotations.filter((a: { image_id: number }) => a.image_id === id);
  for (const [i, scene] of scenes.entries()) {
    const anns = byImage(i + 1);
    assert.deepEqual(anns.map((a: { category_id: number }) => SHAPES[a.category_id - 1]), scene.objects.map((o) => o.shape));
    // bbox [x, y, w, h] of the cell: column 2, row 1 -> [32, 16, 16, 16].
    assert.deepEqual(anns.map((a: { bbox: number[] }) => a.bbox), scene.objects.map((o) => [o.col * 16, o.row * 16, 16, 16]));
  }
  assert.deepEqual(inst.annotations.map((a: { id: number }) => a.id), inst.annotations.map((_: unknown, k: number) => k + 1));
});

test('captions: the exact truth caption and the object list, each naming every object and nothing else', () => {
  const caps = json(OBJHAL_FILES.captions);
  for (const [i, scene] of scenes.entries()) {
    const mine = caps.annotations.filter((a: { image_id: number }) => a.image_id === i + 1);
    assert.equal(mine.length, 2);
    for (const { caption } of mine) {
      const a = analyseResponse(scene, caption);
      assert.equal(a.hallucinated.length + a.attributeErrors.length, 0, caption);
      assert.equal(a.coveredObjects, scene.objects.length, caption);
    }
  }
});

test('synonym list in the official format: one line per shape, the class first, then its plural', () => {
  assert.equal(readFileSync(join(dir, OBJHAL_FILES.synonyms), 'utf8'), worldSynonymList());
  assert.equal(worldSynonymList().split('\n')[4], 'cross, crosses');
  assert.deepEqual(['star', 'cross', 'bar'].map(plural), ['stars', 'crosses', 'bars']);
});

/**
 * CHAIR's word matching reduced to what the world's language needs (it has no two-word phrases and
 * no plurals): lowercase words, those in the synonym list, mapped to their class; hallucinated when
 * the class is not among the image's instance categories.
 */
function ruleChair(scenesAndAnswers: Array<[Scene, string]>): number {
  const classOf = new Map(worldSynonymList().trimEnd().split('\n').flatMap((l) => { const e = l.split(', '); return e.map((w) => [w, e[0]!] as const); }));
  let mentions = 0, hallucinated = 0;
  for (const [scene, answer] of scenesAndAnswers) {
    const gt = new Set(scene.objects.map((o) => o.shape as string));
    for (const w of answer.toLowerCase().match(/[a-z]+/g) ?? []) {
      const cls = classOf.get(w);
      if (cls === undefined) continue;
      mentions++;
      if (!gt.has(cls)) hallucinated++;
    }
  }
  return hallucinated / mentions;
}

test('CHAIR over the synonym list counts what the world counts: a hand example, then noisy captions of 40 scenes', () => {
  const scene: Scene = { id: 'x', objects: [{ shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 }] };
  // "circle" (present, wrong colour: an attribute error, not a hallucination) and "star" (absent): 1 / 2 both ways.
  const answer = 'There is a blue circle. I can see a star at the top left.';
  assert.equal(ruleChair([[scene, answer]]), 1 / 2);
  assert.equal(chairMetrics([analyseResponse(scene, answer)]).chairI, 1 / 2);

  const pairs = Array.from({ length: 40 }, (_, i): [Scene, string] => {
    const s = world.scene('test', i);
    return [s, describe(s, new Rng(deriveSeed('agreement', i)), { noise: 0.5, world }).text];
  });
  const worldChairI = chairMetrics(pairs.map(([s, t]) => analyseResponse(s, t))).chairI;
  assert.ok(worldChairI > 0.05, `noise should hallucinate (world CHAIRi ${worldChairI})`);
  assert.equal(ruleChair(pairs), worldChairI);
});

test('the known difference: a negation names an object CHAIR counts and the world does not', () => {
  const scene: Scene = { id: 'x', objects: [{ shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 }] };
  const answer = 'There is a red circle. There is no star.';
  assert.equal(chairMetrics([analyseResponse(scene, answer)]).chairI, 0); // 0 / 1: the negation is not a mention
  assert.equal(ruleChair([[scene, answer]]), 1 / 2); // "star" is a word of the list
});
