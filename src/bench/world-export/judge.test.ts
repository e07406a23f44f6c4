import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../util/errors.ts';
import { createWorld } from '../../world/index.ts';
import type { Scene } from '../../world/index.ts';
import { rateFromTruth, worldMmhalJudge } from './judge.ts';

// A large red circle at the top left and a small blue star in the middle centre.
const scene: Scene = {
  id: 'x',
  objects: [
    { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 },
    { shape: 'star', colour: 'blue', size: 'small', row: 1, col: 1 },
  ],
};
const reference = 'There is a large red circle at the top left. There is a small blue star in the middle centre.';

const cases: Array<[string, string, string, number]> = [
  ['everything, nothing false', reference, reference, 6], // 3 + round(3 * 2/2)
  ['one of two facts', reference, 'There is a red circle.', 5], // 3 + round(3 * 1/2) = 3 + round(1.5) = 5
  ['nothing said', reference, 'Blorp.', 3], // 3 + round(3 * 0/2)
  ['one hallucinated object', reference, 'There is a red circle. There is a square.', 2], // 3 - 1
  ['a wrong colour and an absent shape', reference, 'There is a green circle. There is a ring.', 1], // 3 - 2
  ['three false claims, clamped', reference, 'There is a green circle. There is a ring. There is a bar. There is a cross.', 0], // max(0, 3 - 4)
  ['a false negation', reference, 'There is no star.', 2], // 3 - 1
  ['a true negation at least as general as the reference\'s', 'There is no red square.', 'There is no square.', 6], // 3 + round(3 * 1/1)
  ['a negation narrower than the reference\'s', 'There is no red square.', 'There is no red square at the top left.', 3], // 3 + round(3 * 0/1)
];

for (const [what, ref, answer, rating] of cases) {
  test(`world judge rule: ${what} -> ${rating}`, () => {
    assert.equal(rateFromTruth(scene, ref, answer).rating, rating);
  });
}

test('the judge text holds the rating once in the form the official parser reads', async () => {
  const world = createWorld({ worldSeed: 0 });
  const s = world.scene('test', 4);
  const judge = worldMmhalJudge(world);
  assert.equal(judge.id, 'world-truth-w0');
  const absent = ['circle', 'square', 'triangle', 'diamond', 'cross', 'ring', 'star', 'bar'].find((sh) => !s.objects.some((o) => o.shape === sh))!;
  const r = await judge.rate({ imageId: s.id, gtAnswer: `There is no ${absent}.` }, `There is a ${absent}.`);
  assert.equal(r.rating, 2);
  const found = [0, 1, 2, 3, 4, 5, 6].filter((d) => r.text.toLowerCase().includes(`rating: ${d}`));
  assert.deepEqual(found, [2]);
  assert.match(r.text, new RegExp(`Hallucinated objects: ${absent}\\.`));
});

test('an image id that is not a scene of the judge\'s world is a one-line ConfigError', async () => {
  const judge = worldMmhalJudge(createWorld({ worldSeed: 0 }));
  await assert.rejects(judge.rate({ imageId: 'df62a56fdc1bb12b', gtAnswer: '' }, 'x'),
    (e: unknown) => e instanceof ConfigError && /image_id 'df62a56fdc1bb12b' is not a world scene id/.test(e.message));
  await assert.rejects(judge.rate({ imageId: 'w3-test-0', gtAnswer: '' }, 'x'),
    (e: unknown) => e instanceof ConfigError && /scene of world 3, but the judge knows world 0/.test(e.message));
});
