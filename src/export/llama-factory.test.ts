import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../image/codec.ts';
import { solid, tempDir } from '../inputs/testing.ts';
import { writeLlamaFactoryDataset, type LlamaFactoryRow } from './llama-factory.ts';
import type { PairRecord } from './pair-record.ts';

const green = solid(0, 255, 0);
const meta = { generator: 'g', labeler: 'l' };
const input: PairRecord[] = [
  { id: 'a', image: green.image, question: 'Describe the image.', chosen: 'A green square.', rejected: 'A red car.', meta },
  { id: 'b', image: green.image, question: '<image>\nWhat colour is it? <image>', chosen: 'Green.', rejected: 'Blue.', meta },
];

test('sharegpt ranking rows with one <image> per image, plus the dataset_info.json entry', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'dataset_info.json'), JSON.stringify({ other: { file_name: 'other.json' } }));
    const result = await writeLlamaFactoryDataset(dir, input, { datasetName: 'rlaifv_iter1', fileName: 'iter1.jsonl' });
    assert.equal(result.rows, 2);
    assert.equal(result.images, 1);
    const rows = (await readFile(result.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LlamaFactoryRow);
    assert.deepEqual(rows[0], {
      messages: [{ role: 'user', content: '<image>Describe the image.' }],
      chosen: { role: 'assistant', content: 'A green square.' },
      rejected: { role: 'assistant', content: 'A red car.' },
      images: [rows[0]!.images[0]],
    });
    for (const row of rows) {
      assert.equal(row.messages[0]!.content.split('<image>').length - 1, row.images.length);
      assert.deepEqual(await decodeImage(new Uint8Array(await readFile(join(dir, row.images[0]!)))), green.image);
    }
    assert.equal(rows[1]!.messages[0]!.content, '<image>What colour is it?');

    const info = JSON.parse(await readFile(join(dir, 'dataset_info.json'), 'utf8'));
    assert.deepEqual(info.other, { file_name: 'other.json' });
    assert.deepEqual(info.rlaifv_iter1, {
      file_name: 'iter1.jsonl',
      formatting: 'sharegpt',
      ranking: true,
      columns: { messages: 'messages', chosen: 'chosen', rejected: 'rejected', images: 'images' },
      tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
    });
  } finally {
    await cleanup();
  }
});

test('a broken dataset_info.json stops the export before anything is written', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'dataset_info.json'), '{ not json');
    await assert.rejects(writeLlamaFactoryDataset(dir, input), /dataset_info\.json: not a JSON object.*fix or remove the file/);
    assert.deepEqual(await readdir(dir), ['dataset_info.json']);
    await assert.rejects(writeLlamaFactoryDataset(dir, input, { datasetName: 'a b' }), /letters, digits/);
  } finally {
    await cleanup();
  }
});

test("an origin per pair becomes an 'origin' field of each row, outside dataset_info.json's columns", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const result = await writeLlamaFactoryDataset(dir, [{ ...input[0]!, origin: 'human-correction' }, { ...input[1]!, origin: 'ai' }]);
    const rows = (await readFile(result.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LlamaFactoryRow);
    assert.deepEqual(rows.map((r) => r.origin), ['human-correction', 'ai']);
    const info = JSON.parse(await readFile(result.datasetInfo, 'utf8'));
    assert.deepEqual(Object.keys(info.rlaifv_dpo.columns), ['messages', 'chosen', 'rejected', 'images'], 'LLaMA-Factory reads only the mapped columns');
    await assert.rejects(writeLlamaFactoryDataset(join(dir, 'mixed'), [{ ...input[0]!, origin: 'ai' }, input[1]!]), /has no field 'origin' where pair 0 has one/);
  } finally {
    await cleanup();
  }
});
