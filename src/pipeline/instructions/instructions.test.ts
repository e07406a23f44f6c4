import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodePng } from '../../image/codec.ts';
import { DESCRIBE_INSTRUCTIONS, OBJECTS_INSTRUCTIONS } from '../../world/index.ts';
import { parseDataEngineConfig } from '../config.ts';
import { instructionChunks, loadInstructions, uniqueId, worldInstructions } from './instructions.ts';

const input = (over: object) => parseDataEngineConfig({ input: over }).input;

test('world instructions: one per scene, fixed by the scene id, offsets give disjoint slices', () => {
  const all = worldInstructions(input({ count: 6 })).instructions;
  assert.deepEqual(all.map((i) => i.id), [0, 1, 2, 3, 4, 5].map((k) => `w0-train-${k}`));
  assert.ok(all.every((i) => i.kind === 'describe' && (DESCRIBE_INSTRUCTIONS as readonly string[]).includes(i.question)));
  const slice = worldInstructions(input({ count: 2, offset: 4 })).instructions;
  assert.deepEqual(slice.map((i) => [i.id, i.question, i.imageKey]), all.slice(4).map((i) => [i.id, i.question, i.imageKey]));
  assert.notEqual(all[0]!.imageKey, all[1]!.imageKey);
  assert.equal(worldInstructions(input({ count: 1, split: 'test' })).instructions[0]!.id, 'w0-test-0');
});

test('world instructions follow the kind mix; where-questions ask about an object of the scene', () => {
  const where = worldInstructions(input({ count: 5, kinds: { describe: 0, where: 1 } })).instructions;
  for (const i of where) {
    assert.equal(i.kind, 'where');
    assert.equal(i.questionType, 'question_answering');
    assert.ok(i.scene!.objects.some((o) => i.question.includes(o.shape)), i.question);
  }
  const mixed = worldInstructions(input({ count: 40, kinds: { describe: 1, objects: 1 } })).instructions;
  const objects = mixed.filter((i) => i.kind === 'objects');
  assert.ok(objects.length > 5 && objects.length < 35, `${objects.length} of 40 are object lists`);
  assert.ok(objects.every((i) => (OBJECTS_INSTRUCTIONS as readonly string[]).includes(i.question)));
});

test('file instructions: offset and count select records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-input-'));
  try {
    writeFileSync(join(dir, 'a.png'), encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(7) }));
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, ['x', 'y', 'z'].map((id) => JSON.stringify({ id, image: 'a.png', question: `Q ${id}?` })).join('\n'));
    const got = await loadInstructions(input({ source: file, offset: 1, count: 1 }));
    assert.deepEqual(got.instructions.map((i) => [i.id, i.question, i.originDataset]), [['y', 'Q y?', 'in.jsonl']]);
    assert.deepEqual(await got.instructions[0]!.loadImage(), { width: 2, height: 2, data: new Uint8Array(12).fill(7) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file instructions are keyed by image and question as officially: a repeat is skipped, one image with two questions is two instructions with unique ids', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-keys-'));
  try {
    writeFileSync(join(dir, 'a.png'), encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(7) }));
    writeFileSync(join(dir, 'b.png'), encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(9) }));
    // c.png holds a.png's pixels: the image is its content, not its name.
    writeFileSync(join(dir, 'c.png'), encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(7) }));
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, [
      { id: 'x', image: 'a.png', question: 'Q1?' },
      { id: 'x', image: 'a.png', question: 'Q2?' }, // same id and image, another question: a second instruction
      { id: 'x', image: 'a.png', question: 'Q1?' }, // an exact repeat
      { id: 'r', image: 'c.png', question: 'Q2?' }, // another file, same content and question: a repeat too
      { id: 'x', image: 'b.png', question: 'Q1?' }, // another image
      { id: 'x@2', image: 'b.png', question: 'Q3?' }, // takes no id already given out
      { ds_question_id: 'imgs/b.png', image_path: 'b.png', question: 'Q4?' }, // the official shape: ds_question_id is often the image
      { ds_question_id: 'imgs/b.png', image_path: 'b.png', question: 'Q5?' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const got = await loadInstructions(input({ source: file }));
    assert.deepEqual(got.instructions.map((i) => [i.id, i.question]), [
      ['x', 'Q1?'], ['x@2', 'Q2?'], ['x@3', 'Q1?'], ['x@2@2', 'Q3?'], ['imgs/b.png', 'Q4?'], ['imgs/b.png@2', 'Q5?'],
    ]);
    assert.deepEqual(got.skipped.map((s) => [s.id, s.kind, s.where.replace(/.*\//, '')]), [['x', 'repeat', 'in.jsonl:3'], ['r', 'repeat', 'in.jsonl:4']]);
    assert.match(got.skipped[0]!.reason, /repeats the instruction at .*in\.jsonl:1 \(same image and question\)/);
    assert.match(got.skipped[1]!.reason, /in\.jsonl:2 /);
    // Chunks do not reset the keys: a repeat in a later chunk is still a repeat, and ids stay unique.
    const chunked: string[] = [];
    for await (const set of instructionChunks(input({ source: file }), 2)) chunked.push(...set.instructions.map((i) => i.id));
    assert.deepEqual(chunked, got.instructions.map((i) => i.id));
    const used = new Set(['a']);
    assert.deepEqual(['a', 'b', 'a', 'a'].map((id) => uniqueId(id, used)), ['a@2', 'b', 'a@3', 'a@4']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an instruction's image path is the input's own, as written; inline images are named by content, world scenes by scene", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-paths-'));
  try {
    mkdirSync(join(dir, 'imgs'));
    const png = (v: number) => encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(v) });
    for (const v of [1, 2, 3, 4, 5]) writeFileSync(join(dir, 'imgs', `${v}.png`), png(v));
    const inline = Buffer.from(png(6)).toString('base64');
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, [
      { id: 'ours', image: './imgs/1.png', question: 'Q?' },
      { id: 'abs', image: join(dir, 'imgs', '2.png'), question: 'Q?' },
      { ds_question_id: 'off', image_path: 'imgs/3.png', question: 'Q?', metainfos: { reference: 'r' } },
      { ds_question_id: 'off-meta', question: 'Q?', metainfos: { image_path: 'imgs/4.png' } },
      { idx: 'hf', image: { bytes: null, path: 'imgs/5.png' }, question: 'Q?' },
      { id: 'inline', image: inline, question: 'Q?' },
      { id: 'struct', image: { bytes: inline, path: 'orig/six.png' }, question: 'Q2?' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const got = await loadInstructions(input({ source: file }));
    const paths = Object.fromEntries(got.instructions.map((i) => [i.id, i.imagePath]));
    assert.deepEqual(paths, {
      ours: './imgs/1.png', abs: join(dir, 'imgs', '2.png'), off: 'imgs/3.png', 'off-meta': 'imgs/4.png', hf: 'imgs/5.png',
      inline: `${got.instructions[5]!.imageKey.slice(0, 24)}.png`, struct: 'orig/six.png',
    });
    // The record's other fields ride along (for labeler.official.jsonl), without the path already given.
    assert.deepEqual(got.instructions[2]!.meta, { reference: 'r' });
    assert.equal(worldInstructions(input({ count: 1 })).instructions[0]!.imagePath, 'w0-train-0.png');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file instructions: PNG and JPEG export as stored, other formats as pixels; the input settings reach the reader', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-input-'));
  try {
    const pixels = { width: 2, height: 2, data: new Uint8Array(12).fill(7) };
    const png = encodePng(pixels);
    writeFileSync(join(dir, 'a.png'), png);
    writeFileSync(join(dir, 'b.webp'), await sharp(Buffer.from(pixels.data), { raw: { width: 2, height: 2, channels: 3 } }).webp({ lossless: true }).toBuffer());
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, [['p', 'a.png'], ['w', 'b.webp']].map(([id, image]) => JSON.stringify({ id, image, question: 'Q?' })).join('\n'));
    const [p, w] = (await loadInstructions(input({ source: file }))).instructions;
    assert.deepEqual(await p!.exportImage(), png);
    assert.deepEqual(await w!.exportImage(), pixels);
    const small = await loadInstructions(input({ source: file, maxImagePixels: 3 }));
    assert.deepEqual(small.skipped.map((s) => s.reason.replace(dir, 'DIR')), [
      'DIR/a.png: image is 2x2 (0.0 MP), over the limit of 3 pixels (0.0 MP); downscale it, or raise maxImagePixels',
      'DIR/b.webp: image is 2x2 (0.0 MP), over the limit of 3 pixels (0.0 MP); downscale it, or raise maxImagePixels',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
