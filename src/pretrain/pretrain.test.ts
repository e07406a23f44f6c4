import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PretrainSettingsSchema } from './settings.ts';
import { runPretrain } from './run.ts';
import { example, trainingWorld } from './data.ts';
import { createWorld } from '../world/index.ts';

const settings = PretrainSettingsSchema.parse({
  role: 'policy', steps: 5, batchSize: 4, captionNoise: 0.3, visionSteps: 2, evalEvery: 3, saveEvery: 2, evalScenes: 2,
  mix: { describe: 1, objects: 1, where: 1, yesno: 1 }, model: { dModel: 16, nLayers: 1, nHeads: 2, maxText: 112 },
});

test('pretraining killed mid-run resumes from its last save and ends with the same weights as an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
  try {
    const straight = await runPretrain(settings, join(dir, 'a'));
    straight.model.dispose();

    // "Kill" at the validation after step 3: the save at step 2 is what a resumed run starts from.
    await assert.rejects(runPretrain(settings, join(dir, 'b'), {
      progress: (line) => { if (/step 3: val/.test(line)) throw new Error('killed'); },
    }), /killed/);
    assert.ok(existsSync(join(dir, 'b', '.resume', 'state.json')), 'a resumable state was saved');
    const lines: string[] = [];
    const resumed = await runPretrain(settings, join(dir, 'b'), { progress: (l) => lines.push(l) });
    resumed.model.dispose();
    assert.ok(lines.some((l) => /resuming policy pretraining at step 2\/5/.test(l)), lines.join('\n'));
    assert.ok(!existsSync(join(dir, 'b', '.resume')), 'the resume folder is removed when training ends');
    assert.deepEqual(readFileSync(join(dir, 'b', 'model.safetensors')), readFileSync(join(dir, 'a', 'model.safetensors')));

    // A different recipe must not silently continue someone else's run.
    await assert.rejects(runPretrain(settings, join(dir, 'c'), { progress: (l) => { if (/step 3: val/.test(l)) throw new Error('killed'); } }), /killed/);
    await assert.rejects(runPretrain({ ...settings, lr: 1e-4 }, join(dir, 'c')), /unfinished run with other settings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('continuing a checkpoint keeps its vision tower unless refreshVision pretrains a new one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
  const info = (d: string) => JSON.parse(readFileSync(join(dir, d, 'config.json'), 'utf8')).info;
  try {
    (await runPretrain({ ...settings, steps: 1 }, join(dir, 'base'))).model.dispose();
    const lines: string[] = [];
    (await runPretrain({ ...settings, steps: 1, init: join(dir, 'base') }, join(dir, 'kept'), { progress: (l) => lines.push(l) })).model.dispose();
    assert.equal(info('kept').visionAccuracy, undefined, 'no vision stage ran');
    assert.ok(!lines.some((l) => /vision tower/.test(l)), lines.join('\n'));

    lines.length = 0;
    (await runPretrain({ ...settings, steps: 1, init: join(dir, 'base'), refreshVision: true }, join(dir, 'fresh'), { progress: (l) => lines.push(l) })).model.dispose();
    assert.deepEqual(Object.keys(info('fresh').visionAccuracy).sort(), ['colour', 'shape', 'size']);
    assert.ok(lines.some((l) => /vision step 2\/2/.test(l)), lines.join('\n'));

    (await runPretrain({ ...settings, steps: 1, visionSteps: 0 }, join(dir, 'blind'))).model.dispose();
    await assert.rejects(runPretrain({ ...settings, steps: 1, init: join(dir, 'blind'), refreshVision: true }, join(dir, 'x')), /no vision heads/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('positionWords gives a fresh model place words, and adds them to a checkpoint that lacks them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
  const places = (d: string) => JSON.parse(readFileSync(join(dir, d, 'config.json'), 'utf8')).model.positionTokens as number[][];
  try {
    (await runPretrain({ ...settings, steps: 1, positionWords: true }, join(dir, 'fresh'))).model.dispose();
    assert.equal(places('fresh').length, 9);
    (await runPretrain({ ...settings, steps: 1 }, join(dir, 'plain'))).model.dispose();
    assert.deepEqual(places('plain'), []);
    const lines: string[] = [];
    (await runPretrain({ ...settings, steps: 1, init: join(dir, 'plain'), positionWords: true }, join(dir, 'added'), { progress: (l) => lines.push(l) })).model.dispose();
    assert.deepEqual(places('added'), places('fresh'));
    assert.ok(lines.some((l) => /place words added/.test(l)), lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("yesNoKinds picks the yes/no questions a model trains on (here only 'place': a described object at a cell)", () => {
  const world = createWorld({ worldSeed: 0 });
  const only = PretrainSettingsSchema.parse({ ...settings, mix: { describe: 0, objects: 0, where: 0, yesno: 1 }, yesNoKinds: { polar: 0, exists: 0, attribute: 0, negation: 0, count: 0, place: 1 } });
  const plain = PretrainSettingsSchema.parse({ ...settings, mix: only.mix });
  assert.equal(plain.yesNoKinds.place, 0, 'the default asks the benchmark kinds only');
  const kinds = (s: typeof only) => Array.from({ length: 40 }, (_, k) => example(world, 'train', k, s));
  for (const ex of kinds(only)) {
    assert.equal(ex.kind, 'yesno');
    assert.match(ex.prompt, /^Is there an? .+ (at|in) the (top|middle|bottom) (left|centre|right)\?/, ex.prompt);
  }
  assert.ok(kinds(plain).some((ex) => !/ (at|in) the (top|middle|bottom)/.test(ex.prompt)), 'other kinds appear by default');
  assert.throws(() => PretrainSettingsSchema.parse({ ...settings, yesNoKinds: { polar: 0, exists: 0, attribute: 0, negation: 0, count: 0, place: 0 } }), /positive weight/);
});

test('cooccurrence and colourPrior weaken the training scenes\' prior and keep the world (groups, colours, splits)', () => {
  const own = trainingWorld({ worldSeed: 0 });
  const weak = trainingWorld({ worldSeed: 0, cooccurrence: 0, colourPrior: 0 });
  assert.deepEqual(weak.groups, own.groups);
  assert.deepEqual(weak.favouriteColour, own.favouriteColour);
  // Share of further objects from the first object's group, and of objects in their favourite colour.
  const shares = (w: typeof own) => {
    let same = 0, further = 0, favourite = 0, all = 0;
    for (let k = 0; k < 400; k++) {
      const objects = w.scene('train', k).objects;
      const group = w.groups.find((g) => g.includes(objects[0]!.shape))!;
      for (const [i, o] of objects.entries()) {
        all++;
        if (o.colour === w.favouriteColour[o.shape]) favourite++;
        if (i > 0) { further++; if (group.includes(o.shape)) same++; }
      }
      // A scene's split is decided by its content alone, so a weak-prior train scene is never a test scene.
      assert.equal(own.splitOf(objects), 'train');
    }
    return { group: same / further, favourite: favourite / all };
  };
  const a = shares(own), b = shares(weak);
  assert.ok(a.group > 0.6 && b.group < 0.5, JSON.stringify({ a, b }));
  assert.ok(a.favourite > 0.55 && b.favourite < 0.3, JSON.stringify({ a, b }));
});

test('runPretrain trains on the weak-prior scenes: the same seed under cooccurrence/colourPrior 0 ends with other weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pretrain-'));
  const weights = (d: string) => readFileSync(join(dir, d, 'model.safetensors'));
  try {
    const one = { ...settings, steps: 2, visionSteps: 0 };
    (await runPretrain(one, join(dir, 'own'))).model.dispose();
    (await runPretrain(one, join(dir, 'again'))).model.dispose();
    (await runPretrain({ ...one, cooccurrence: 0, colourPrior: 0 }, join(dir, 'weak'))).model.dispose();
    assert.ok(weights('own').equals(weights('again')), 'a run is deterministic, so a difference below comes from the scenes');
    assert.ok(!weights('own').equals(weights('weak')), 'the weak-prior settings must reach the training stream');
    const recipe = JSON.parse(readFileSync(join(dir, 'weak', 'config.json'), 'utf8')).info.recipe;
    assert.equal(recipe.cooccurrence, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
