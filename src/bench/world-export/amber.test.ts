import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { YES_NO_SUFFIX } from '../../backend/types.ts';
import { COLOURS, createWorld, questionTruth, SHAPES, SIZES } from '../../world/index.ts';
import { AMBER_EXPORT_FILES as F, amberMetricsText, amberType, dimensionOf, hallucinationTargets } from './amber.ts';
import { exportToTemp } from './testing.ts';

const world = createWorld({ worldSeed: 0 });
const N = 10;
const { dir, manifest } = exportToTemp('amber', { n: N });
const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const annotations = json(F.annotations) as Array<{ id: number; type: string; truth: unknown; hallu?: string[] }>;
const all = json(F.queryAll) as Array<{ id: number; image: string; query: string }>;
const scenes = Array.from({ length: N }, (_, i) => world.scene('test', i));
const sceneOfImage = (image: string) => scenes[Number(/^AMBER_(\d+)\.png$/.exec(image)![1]) - 1]!;

test('annotations: record i has id i + 1; generative ids 1..n, then attribute, existence and relation blocks as the official file orders them', () => {
  assert.deepEqual(annotations.map((a) => a.id), annotations.map((_, i) => i + 1));
  assert.equal(annotations.length, N + 6 * N); // per image: 1 generative + 2 questions x 3 dimensions
  const blocks = annotations.map((a) => (a.type === 'generative' ? 'generative' : dimensionOf(a.type)));
  const order = blocks.filter((b, i) => i === 0 || b !== blocks[i - 1]);
  assert.deepEqual(order, ['generative', 'attribute', 'existence', 'relation']);
});

test('generative truth = the scene\'s distinct shapes; hallu = absent shapes co-occurring with a present one', () => {
  for (const [k, scene] of scenes.entries()) {
    const a = annotations[k]!;
    assert.equal(a.type, 'generative');
    assert.deepEqual(a.truth, [...new Set(scene.objects.map((o) => o.shape))]);
    for (const h of a.hallu!) {
      assert.ok(!scene.objects.some((o) => o.shape === h), `${h} is in ${scene.id}`);
      assert.ok(scene.objects.some((o) => world.cooccurring(o.shape).includes(h as never)));
    }
    assert.deepEqual(a.hallu, hallucinationTargets(world, scene));
  }
});

test('every discriminative truth is the world\'s exact answer to the question; each image gets a yes and a no per dimension', () => {
  for (const q of all.filter((x) => x.id > N)) {
    const a = annotations[q.id - 1]!;
    assert.ok(q.query.endsWith(YES_NO_SUFFIX));
    const question = q.query.slice(0, -YES_NO_SUFFIX.length);
    assert.equal(a.truth, questionTruth(sceneOfImage(q.image), question) ? 'yes' : 'no', q.query);
  }
  const count = (type: string, truth: string) => annotations.filter((a) => a.type === type && a.truth === truth).length;
  assert.deepEqual(
    [count('discriminative-attribute-state', 'yes'), count('discriminative-attribute-state', 'no'), count('discriminative-hallucination', 'yes'),
      count('discriminative-hallucination', 'no'), count('discriminative-relation', 'yes'), count('relation', 'no')],
    [N, N, N, N, N, N],
  );
  assert.deepEqual(manifest.questions.map((q) => q.id), annotations.slice(N).map((a) => a.id));
});

test('attribute questions ask colour or size; relation questions ask a place, typed as AMBER types them', () => {
  for (const q of json(F.queryAttribute) as typeof all) {
    const word = /^Is the [a-z]+ ([a-z]+)\?/.exec(q.query)![1]!;
    assert.ok([...COLOURS, ...SIZES].includes(word as never), q.query);
  }
  for (const q of json(F.queryRelation) as typeof all) assert.match(q.query, / (at|in|on) the (top|middle|bottom) (left|centre|right)\?/);
  assert.equal(amberType({ question: 'Is the star at the top left?', answer: true, kind: 'attribute' }), 'discriminative-relation');
  assert.equal(amberType({ question: 'Is the star at the top left?', answer: false, kind: 'attribute' }), 'relation');
  assert.equal(amberType({ question: 'Is the star red?', answer: false, kind: 'attribute' }), 'discriminative-attribute-state');
  assert.equal(amberType({ question: 'Is there a star?', answer: false, kind: 'exists' }), 'discriminative-hallucination');
});

test('query files: {id, image, query} records; the generative and discriminative files together are query_all; images exist as PNG', () => {
  for (const q of all) assert.deepEqual(Object.keys(q), ['id', 'image', 'query']);
  const gen = json(F.queryGenerative) as typeof all;
  const dis = json(F.queryDiscriminative) as typeof all;
  assert.deepEqual([...gen, ...dis], all);
  assert.deepEqual(gen.map((q) => q.query), Array(N).fill('Describe the image.'));
  const parts = [F.queryAttribute, F.queryExistence, F.queryRelation].flatMap((f) => json(f) as typeof all);
  assert.deepEqual(parts, dis);
  for (let k = 1; k <= N; k++) assert.ok(existsSync(join(dir, 'images', `AMBER_${k}.png`)));
});

test('relation.json has every shape as a key and no associations; safe_words.txt is empty; metrics.txt seeds every counter', () => {
  assert.deepEqual(json(F.relation), Object.fromEntries(SHAPES.map((s) => [s, []])));
  assert.equal(readFileSync(join(dir, F.safeWords), 'utf8'), '');
  const lines = amberMetricsText().split('\n');
  assert.equal(lines.length, 8 + 36); // 4 generative counter pairs, 6 prefixes x 3 qa counter pairs
  assert.deepEqual(lines.slice(0, 3), ['chair_num=0.001', 'chair_score=0', 'safe_cover_num=0.001']);
  assert.ok(lines.every((l) => /_num=0\.001$|_score=0$/.test(l)));
  assert.equal(readFileSync(join(dir, F.metrics), 'utf8'), amberMetricsText());
});
