import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodePng } from '../../image/codec.ts';
import { DESCRIBE_INSTRUCTIONS, OBJECTS_INSTRUCTIONS } from '../../world/index.ts';
import { parseDataEngineConfig } from '../config.ts';
import { loadInstructions, worldInstructions } from './instructions.ts';

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

test('file instructions: offset and count select records; a repeated id is an error naming both places', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-input-'));
  try {
    writeFileSync(join(dir, 'a.png'), encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(7) }));
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, ['x', 'y', 'z'].map((id) => JSON.stringify({ id, image: 'a.png', question: `Q ${id}?` })).join('\n'));
    const got = await loadInstructions(input({ source: file, offset: 1, count: 1 }));
    assert.deepEqual(got.instructions.map((i) => [i.id, i.question, i.originDataset]), [['y', 'Q y?', 'in.jsonl']]);
    assert.deepEqual(await got.instructions[0]!.loadImage(), { width: 2, height: 2, data: new Uint8Array(12).fill(7) });
    writeFileSync(file, ['x', 'x'].map((id) => JSON.stringify({ id, image: 'a.png', question: 'Q?' })).join('\n'));
    await assert.rejects(loadInstructions(input({ source: file })), /in\.jsonl:2: instruction id 'x' was already used at .*in\.jsonl:1/);
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
