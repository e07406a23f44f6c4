import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, SPLITS, WorldSettingsSchema } from './world.ts';
import type { Split } from './world.ts';
import { cellOf, sceneKey, SHAPES } from './vocab.ts';

test('settings have documented defaults', () => {
  const s = WorldSettingsSchema.parse({});
  assert.equal(s.worldSeed, 0);
  assert.equal(s.minObjects, 1);
  assert.equal(s.maxObjects, 5);
  assert.ok(s.cooccurrence > 0.5 && s.colourPrior > 0 && s.captionNoise > 0);
  for (const [name, field] of Object.entries(WorldSettingsSchema.shape)) {
    assert.ok(field.description, `setting ${name} has no description`);
  }
});

test('invalid settings are rejected with the field named', () => {
  assert.throws(() => createWorld({ minObjects: 4, maxObjects: 2 }), /minObjects/);
  assert.throws(() => createWorld({ maxObjects: 9 }), /maxObjects/);
  assert.throws(() => createWorld({ bogus: 1 } as never), /bogus/);
});

test('scenes are deterministic and valid', () => {
  const a = createWorld({ worldSeed: 5 });
  const b = createWorld({ worldSeed: 5 });
  for (const split of SPLITS) {
    for (let i = 0; i < 200; i++) {
      const s = a.scene(split, i);
      assert.deepEqual(s, b.scene(split, i));
      assert.equal(s.id, `w5-${split}-${i}`);
      assert.ok(s.objects.length >= 1 && s.objects.length <= 5, `${s.id} has ${s.objects.length} objects`);
      const cells = s.objects.map(cellOf);
      assert.equal(new Set(cells).size, cells.length, `${s.id}: two objects share a cell`);
      assert.deepEqual(cells, [...cells].sort((x, y) => x - y), `${s.id}: objects not in reading order`);
    }
  }
  assert.throws(() => a.scene('dev' as Split, 0), /split must be one of/);
  assert.throws(() => a.scene('train', -1), /index/);
});

test('a different worldSeed draws a different prior and different scenes', () => {
  const a = createWorld({ worldSeed: 0 });
  const b = createWorld({ worldSeed: 1 });
  assert.notDeepEqual(a.groups, b.groups);
  assert.notDeepEqual(a.favouriteColour, b.favouriteColour);
  const same = Array.from({ length: 50 }, (_, i) => sceneKey(a.scene('train', i).objects) === sceneKey(b.scene('train', i).objects));
  assert.ok(same.filter(Boolean).length < 10);
  // Same vocabulary either way.
  assert.deepEqual([...a.groups.flat()].sort(), [...SHAPES].sort());
});

test('splits are disjoint by content over a few thousand scenes', () => {
  const world = createWorld();
  const seen = new Map<string, Split>();
  const counts: Record<Split, number> = { train: 2000, val: 600, test: 600 };
  for (const split of SPLITS) {
    for (let i = 0; i < counts[split]; i++) {
      const s = world.scene(split, i);
      assert.equal(world.splitOf(s.objects), split);
      const key = sceneKey(s.objects);
      const other = seen.get(key);
      assert.ok(other === undefined || other === split, `${s.id} content also appears in ${other}: ${key}`);
      seen.set(key, split);
    }
  }
});

test('co-occurrence prior: objects of a scene mostly share a group; cooccurring() is the group', () => {
  const world = createWorld({ worldSeed: 2 });
  for (const shape of SHAPES) {
    const co = world.cooccurring(shape);
    assert.ok(!co.includes(shape));
    assert.deepEqual([...co, shape].sort(), [...world.groups.find((g) => g.includes(shape))!].sort());
  }
  let samePairs = 0, pairs = 0, favourite = 0, objects = 0;
  for (let i = 0; i < 500; i++) {
    const s = world.scene('train', i);
    for (const o of s.objects) { objects++; if (o.colour === world.favouriteColour[o.shape]) favourite++; }
    for (let x = 0; x < s.objects.length; x++) {
      for (let y = x + 1; y < s.objects.length; y++) {
        pairs++;
        const p = s.objects[x]!.shape, q = s.objects[y]!.shape;
        if (p === q || world.cooccurring(p).includes(q)) samePairs++;
      }
    }
  }
  // Without a prior, two shapes share a group ~1/3 of the time (groups of 3, 3, 2).
  assert.ok(samePairs / pairs > 0.6, `only ${samePairs}/${pairs} pairs share a group`);
  // colourPrior 0.6 plus 1/6 of the rest: ~0.67.
  assert.ok(favourite / objects > 0.55 && favourite / objects < 0.8, `favourite colour share ${favourite / objects}`);
});
