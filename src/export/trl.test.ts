import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { decodeImage } from '../image/codec.ts';
import { greyJpeg, solid, tempDir } from '../inputs/testing.ts';
import type { PairRecord } from './pair-record.ts';
import { writeTrlDataset, type TrlRow } from './trl.ts';

const red = solid(255, 0, 0);
const blue = solid(0, 0, 255);
const jpeg = greyJpeg();
const meta = { generator: 'g', labeler: 'l' };
const input: PairRecord[] = [
  { id: 'a', image: red.image, question: 'Q-a', chosen: 'C-a', rejected: 'R-a', meta },
  { id: 'b', image: red.png, question: 'Q-a', chosen: 'C-b', rejected: 'R-b', meta }, // same image as 'a'
  { id: 'c', image: blue.image, question: 'Q-c', chosen: 'C-c', rejected: 'R-c', meta },
  { id: 'd', image: jpeg, question: 'Q-d', chosen: 'C-d', rejected: 'R-d', meta },
];

const readRows = async (file: string): Promise<TrlRow[]> =>
  (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as TrlRow);

test('TRL rows are conversational and images live beside the dataset, shared by content', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const out = join(dir, 'trl');
    const result = await writeTrlDataset(out, input);
    assert.deepEqual(result, { file: join(out, 'train.jsonl'), rows: 4, images: 3 });
    const rows = await readRows(result.file);
    assert.equal(rows.length, 4);
    assert.deepEqual(Object.keys(rows[0]!), ['images', 'prompt', 'chosen', 'rejected']);
    assert.deepEqual(rows[2]!.prompt, [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Q-c' }] }]);
    assert.deepEqual(rows[2]!.chosen, [{ role: 'assistant', content: [{ type: 'text', text: 'C-c' }] }]);
    assert.deepEqual(rows[2]!.rejected, [{ role: 'assistant', content: [{ type: 'text', text: 'R-c' }] }]);
    assert.equal(rows[0]!.images[0], rows[1]!.images[0]);
    assert.match(rows[3]!.images[0]!, /^images\/[0-9a-f]{24}\.jpg$/);
    const expected = [red.image, red.image, blue.image];
    for (let i = 0; i < 3; i++) {
      assert.match(rows[i]!.images[0]!, /^images\/[0-9a-f]{24}\.png$/);
      assert.deepEqual(await decodeImage(new Uint8Array(await readFile(join(out, rows[i]!.images[0]!)))), expected[i]);
    }
    assert.equal((await readdir(join(out, 'images'))).length, 3);
    assert.deepEqual(await readdir(out), ['images', 'train.jsonl']);
  } finally {
    await cleanup();
  }
});

test('TRL export is atomic: a failing pair keeps the previous dataset and leaves no partial file', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const first = await writeTrlDataset(dir, input.slice(0, 2), { fileName: 'dpo.jsonl' });
    const before = await readFile(first.file, 'utf8');
    const broken = [...input, { ...input[0]!, id: 'bad', rejected: '' }];
    await assert.rejects(writeTrlDataset(dir, broken, { fileName: 'dpo.jsonl' }), /pair 4 \(id "bad"\): field 'rejected' is empty/);
    assert.equal(await readFile(first.file, 'utf8'), before);
    assert.deepEqual((await readdir(dir)).sort(), ['dpo.jsonl', 'images']);
  } finally {
    await cleanup();
  }
});

test("reference log-probs become TRL's ref_chosen_logps / ref_rejected_logps columns; without them the bytes of before", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const withRef = input.map((p, i) => ({ ...p, reference: { chosen: -1.5 * (i + 1), rejected: -2.75 * (i + 1) - 1e-9 } }));
    const result = await writeTrlDataset(join(dir, 'ref'), withRef);
    const rows = await readRows(result.file);
    assert.deepEqual(Object.keys(rows[0]!), ['images', 'prompt', 'chosen', 'rejected', 'ref_chosen_logps', 'ref_rejected_logps']);
    assert.deepEqual(rows.map((r) => [r.ref_chosen_logps, r.ref_rejected_logps]), withRef.map((p) => [p.reference.chosen, p.reference.rejected]));
    await assert.rejects(writeTrlDataset(join(dir, 'mixed'), [withRef[0]!, input[1]!]), /pair 1 \(id "b"\): has no field 'reference' where pair 0 has one/);

    // Golden hash of this fixture as written before the reference columns existed.
    const colours = [solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255, 5, 4)];
    const plain: PairRecord[] = Array.from({ length: 5 }, (_, i) => ({
      id: `pair-${i}`, image: i === 3 ? greyJpeg(90) : colours[i % 3]!.image, question: `Q ${i} ü`, chosen: `C ${i}`, rejected: `R ${i}`,
      meta: { generator: 'g', labeler: 'l', chosenScore: -1, rejectedScore: -2 - i },
    }));
    const before = await writeTrlDataset(join(dir, 'plain'), plain);
    assert.equal(createHash('sha256').update(await readFile(before.file)).digest('hex'), 'a4a9ab80978b365d30fcfa0029853fd7a0252bf4688e18d583905522c7721a18');
  } finally {
    await cleanup();
  }
});

test("an origin per pair becomes an 'origin' column; a file has it on every row or on none", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const origins = ['ai', 'human-correction', 'human-judgement', 'ai+human-agree'] as const;
    const result = await writeTrlDataset(join(dir, 'trl'), input.map((p, i) => ({ ...p, origin: origins[i]! })));
    const rows = await readRows(result.file);
    assert.deepEqual(rows.map((r) => r.origin), [...origins]);
    assert.deepEqual(Object.keys(rows[1]!), ['images', 'prompt', 'chosen', 'rejected', 'origin']);
    const mixed = [{ ...input[0]!, origin: 'ai' as const }, input[1]!];
    await assert.rejects(writeTrlDataset(join(dir, 'mixed'), mixed), /pair 1 \(id "b"\): has no field 'origin' where pair 0 has one/);
    await assert.rejects(writeTrlDataset(join(dir, 'bad'), [{ ...input[0]!, origin: 'people' as never }]), /field 'origin'/);
  } finally {
    await cleanup();
  }
});
