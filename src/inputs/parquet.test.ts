import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { countRecords, readInstructions } from './read-instructions.ts';
import { readPreferencePairs } from './read-pairs.ts';
import { InputError } from './location.ts';
import { collect, solid, tempDir } from './testing.ts';

const red = solid(255, 0, 0);
const blue = solid(0, 0, 255, 4, 1);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Write a parquet file with DuckDB: an independent writer, laid out like the published shards. */
async function duckParquet(file: string, selectSql: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run(`COPY (${selectSql}) TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2)`);
  } finally {
    con.closeSync();
  }
}

test('RLAIF-V-Dataset parquet (written by DuckDB): instructions and pairs, row by row group', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'b.png'), blue.png);
    const file = join(dir, 'train-00000-of-00001.parquet');
    const row = (idx: string, bytes: string, path: string, q: string, split: string) =>
      `SELECT 'RLAIF-V' AS ds_name, {'bytes': ${bytes}, 'path': '${path}'} AS image, '${q}' AS question,
        'chosen ${idx}' AS chosen, 'rejected ${idx}' AS rejected, 'COCO' AS origin_dataset,
        '${split}' AS origin_split, ${idx}::BIGINT AS idx, 'coco/${idx}.jpg' AS image_path`;
    const split = '{"model": "OmniLMM-12B", "feedback_model": "OmniLMM-12B", "type": "question_answering"}';
    await duckParquet(file, [
      row('0', `from_hex('${hex(red.png)}')`, 'x.png', 'What is red?', split),
      row('1', 'NULL::BLOB', 'b.png', 'Which colour?', 'not json'),
      row('2', `from_hex('${hex(red.png)}')`, '', 'Third?', split),
    ].join(' UNION ALL ') + ' ORDER BY idx');

    assert.equal(await countRecords(file), 3);
    const instructions = await collect(readInstructions(file));
    assert.deepEqual(instructions.map((r) => r.ok && [r.id, r.question, r.format, r.location.n]), [
      ['0', 'What is red?', 'hf', 0], ['1', 'Which colour?', 'hf', 1], ['2', 'Third?', 'hf', 2],
    ]);
    const [a, b] = instructions;
    assert.ok(a?.ok && b?.ok);
    assert.deepEqual(await a.image.load(), red.image); // from the struct's bytes (BLOB)
    assert.deepEqual(await b.image.load(), blue.image); // bytes NULL: the path, relative to the file
    assert.deepEqual(a.meta, { ds_name: 'RLAIF-V', origin_dataset: 'COCO', origin_split: split, image_path: 'coco/0.jpg' });

    const pairs = await collect(readPreferencePairs(file, { limit: 2 }));
    assert.equal(pairs.length, 2);
    const [p, q] = pairs;
    assert.ok(p?.ok && q?.ok);
    assert.equal(p.chosen, 'chosen 0');
    assert.equal(p.rejected, 'rejected 0');
    assert.deepEqual(p.meta, {
      dsName: 'RLAIF-V', originDataset: 'COCO', imagePath: 'coco/0.jpg',
      originSplit: { model: 'OmniLMM-12B', feedback_model: 'OmniLMM-12B', type: 'question_answering' },
      generator: 'OmniLMM-12B', labeler: 'OmniLMM-12B', questionType: 'question_answering',
    });
    assert.equal(q.meta.originSplit, 'not json'); // free text is kept as given
  } finally {
    await cleanup();
  }
});

test('parquet validation errors carry the row index; instruction-only rows are not pairs', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'bad.parquet');
    await duckParquet(file, `SELECT * FROM (VALUES
      ('a', {'bytes': from_hex('${hex(red.png)}'), 'path': 'a.png'}, 'Q0'),
      ('b', {'bytes': from_hex('${hex(red.png)}'), 'path': 'b.png'}, 'Q1'),
      ('c', {'bytes': from_hex('${hex(red.png)}'), 'path': 'c.png'}, NULL)) t(idx, image, question) ORDER BY idx`);
    await assert.rejects(collect(readInstructions(file)), (e: Error) => e instanceof InputError && /bad\.parquet row 2: field 'question' must be a string, got null/.test(e.message));
    await assert.rejects(collect(readPreferencePairs(file)), /bad\.parquet row 0: field 'chosen' is missing: this record is an instruction, not a preference pair/);
    const notParquet = join(dir, 'fake.parquet');
    await writeFile(notParquet, 'hello');
    await assert.rejects(collect(readInstructions(notParquet)), /not a readable parquet file/);
  } finally {
    await cleanup();
  }
});
