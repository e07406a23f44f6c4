import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cocoGroundTruth, readCocoCaptions, readCocoInstances } from './coco.ts';
import { scanTopLevelArrays, type ArrayElement } from './json-arrays.ts';
import { fakeNlp } from './testing.ts';
import { readSynonyms } from './vocabulary.ts';

const vocab = readSynonyms();

function tmp(t: { after: (f: () => void) => void }): (name: string, body: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-coco-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return (name, body) => {
    const f = join(dir, name);
    writeFileSync(f, body);
    return f;
  };
}

// COCO's own key order: categories come after the annotations that use them
const instances = JSON.stringify({
  info: { description: 'a "quoted" [bracket] {brace} \\ text' },
  images: [{ id: 42 }, { id: 7 }],
  annotations: [
    { segmentation: [[1, 2, 3]], image_id: 42, category_id: 18, id: 1 },
    { segmentation: { counts: [1, 2], size: [2, 2] }, image_id: 42, category_id: 62, id: 2 },
    { segmentation: [], image_id: 7, category_id: 1, id: 3 },
    { segmentation: [], image_id: 999, category_id: 1, id: 4 },
  ],
  categories: [{ id: 1, name: 'person' }, { id: 18, name: 'dog' }, { id: 62, name: 'chair' }],
});
const captions = JSON.stringify({
  images: [{ id: 42 }],
  annotations: [
    { image_id: 42, id: 10, caption: 'A puppy sits on a toilet seat.' },
    { image_id: 7, id: 11, caption: 'Two cats near a dining table.' },
    { image_id: 999, id: 12, caption: 'A kite.' },
  ],
});

test('scanner: elements of the wanted arrays only, across chunk boundaries, strings with brackets ignored', async (t) => {
  const file = tmp(t)('instances.json', instances.replace('"annotations":', '\n"annotations":\n'));
  for (const highWaterMark of [5, 64, 1 << 20]) {
    const got: ArrayElement[] = [];
    const arrays = await scanTopLevelArrays(file, { keys: ['annotations'], highWaterMark }, (e) => got.push(e));
    assert.deepEqual([...arrays].sort(), ['annotations', 'categories', 'images']);
    assert.deepEqual(got.map((e) => [e.index, e.line, (e.value as { id: number }).id]), [[0, 3, 1], [1, 3, 2], [2, 3, 3], [3, 3, 4]]);
  }
  const kept: number[] = [];
  await scanTopLevelArrays(file, { keys: ['annotations'], keep: (_k, text) => text.includes('"image_id":42') }, (e) => kept.push(e.index));
  assert.deepEqual(kept, [0, 1]);
});

test('instances: category names mapped through the synonym list, per wanted image, over every file', async (t) => {
  const w = tmp(t);
  const val = w('instances_val2014.json', instances);
  const train = w('instances_train2014.json', JSON.stringify({ annotations: [{ image_id: 7, category_id: 3 }], categories: [{ id: 3, name: 'car' }] }));
  const got = await readCocoInstances([train, val], new Set([42, 7, 5]), vocab);
  assert.deepEqual(Object.fromEntries([...got].map(([k, v]) => [k, [...v].sort()])), { 42: ['chair', 'dog'], 7: ['car', 'person'] });
});

test('ground truth = instance classes ∪ caption classes (caption parser), empty for an unknown image', async (t) => {
  const w = tmp(t);
  const gt = await cocoGroundTruth(
    { instances: [w('i.json', instances)], captions: [w('c.json', captions)] }, new Set([42, 7, 5]), vocab, fakeNlp);
  // 42: instances {dog, chair}; caption "a puppy sits on a toilet seat ." -> puppy (dog), "toilet seat" -> toilet
  assert.deepEqual([...gt.get(42)!].sort(), ['chair', 'dog', 'toilet']);
  // 7: instances {person}; caption -> cats -> cat, "dining table"
  assert.deepEqual([...gt.get(7)!].sort(), ['cat', 'dining table', 'person']);
  assert.deepEqual([...gt.get(5)!], []);
  const caps = await readCocoCaptions([w('c2.json', captions)], new Set([999]));
  assert.deepEqual([...caps], [[999, ['A kite.']]]);
});

test('bad COCO files: an error naming the file, line and record', async (t) => {
  const w = tmp(t);
  const ids = new Set([42]);
  const cases: Array<[string, string, RegExp]> = [
    ['[1, 2]', 'instances', /a\.json:1: does not start with "\{"/],
    ['', 'instances', /a\.json:1: empty file/],
    ['{"annotations": [{"image_id": 42, "category_id": 1}', 'instances', /a\.json:1: ends before the JSON object closes/],
    ['{"annotations": [{"image_id": 42]}', 'instances', /a\.json:1: unexpected "\]"/],
    ['{"annotations": []}\n{}', 'instances', /a\.json:2: text after the end of the JSON object/],
    ['{"annotations": [{"image_id": 42, "category_id": 1}]}', 'instances', /a\.json: no "categories" array; expected a COCO instances file/],
    ['{"annotations": [{"category_id": 1}], "categories": []}', 'instances', /a\.json:1: annotations\[0\]\.image_id is missing, expected an integer/],
    ['{"annotations": [\n{"image_id": "42", "category_id": 1}], "categories": []}', 'instances', /a\.json:2: annotations\[0\]\.image_id is "42", expected an integer/],
    ['{"annotations": [{"image_id": 42, "category_id": 5}], "categories": [{"id": 1, "name": "person"}]}', 'instances', /a\.json:1: annotations\[0\]\.category_id 5 is not in "categories"/],
    ['{"annotations": [{"image_id": 42, "category_id": 1}], "categories": [\n{"id": 1, "name": "unicorn"}]}', 'instances', /a\.json:2: category "unicorn" is not in the synonym list/],
    ['{"annotations": [{"image_id": 42, "category_id": 1, "x": tru}], "categories": []}', 'instances', /a\.json:1: annotations\[0\] is not valid JSON/],
    ['{"annotations": [1, 2]}', 'captions', /a\.json:1: annotations\[0\] is not an object/],
    ['{"annotations": ["x"]}', 'captions', /a\.json:1: annotations\[0\] is not an object/],
    ['{"annotations": [{"image_id": 42, "caption": 3}]}', 'captions', /a\.json:1: annotations\[0\]\.caption is 3, expected a string/],
    ['{"images": []}', 'captions', /a\.json: no "annotations" array; expected a COCO captions file/],
  ];
  for (const [body, kind, want] of cases) {
    const f = w('a.json', body);
    const read = kind === 'instances' ? readCocoInstances([f], ids, vocab) : readCocoCaptions([f], ids);
    await assert.rejects(read, (e: Error) => e.name === 'FileError' && want.test(e.message), `${body} -> ${want}`);
  }
  await assert.rejects(readCocoCaptions([join(tmpdir(), 'no-such-rlaifv-file.json')], ids), { name: 'FileError', message: /cannot read .*ENOENT/ });
});
