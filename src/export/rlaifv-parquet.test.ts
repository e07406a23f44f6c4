import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { encodePng } from '../image/codec.ts';
import { readPreferencePairs } from '../inputs/read-pairs.ts';
import { collect, greyJpeg, solid, tempDir } from '../inputs/testing.ts';
import type { PairRecord } from './pair-record.ts';
import { writeRlaifvParquet } from './rlaifv-parquet.ts';

const colours = [solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255, 5, 4)];
const jpeg = greyJpeg(90);

function pairs(n: number): PairRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `pair-${i}`,
    image: i === 3 ? jpeg : colours[i % 3]!.image,
    question: `What is in image ${i}? ünïcödé`,
    chosen: `A clear answer ${i}.`,
    rejected: `A hallucinated answer ${i}.`,
    meta: {
      generator: 'llava-1.5-7b', labeler: 'llava-next-34b', questionType: i % 2 ? 'question_answering' : 'detailed_description',
      chosenScore: -1, rejectedScore: -3 - i, seeds: { chosen: 10 + i, rejected: 20 + i }, instructionId: `ins-${i >> 1}`,
      ...(i === 4 ? { dsName: 'custom', originDataset: 'coco', imagePath: 'coco/4.png', extra: { iteration: 2 } } : {}),
    },
  }));
}

async function duck<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}

test('parquet has exactly the RLAIF-V-Dataset schema and values (read by DuckDB)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'train-00000.parquet');
    const input = pairs(5);
    assert.deepEqual(await writeRlaifvParquet(file, input, { rowGroupSize: 2 }), { path: file, rows: 5 });
    await duck(async (con) => {
      const schema = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
      assert.deepEqual(schema.map((c) => [c['column_name'], c['column_type']]), [
        ['ds_name', 'VARCHAR'], ['image', 'STRUCT(bytes BLOB, path VARCHAR)'], ['question', 'VARCHAR'],
        ['chosen', 'VARCHAR'], ['rejected', 'VARCHAR'], ['origin_dataset', 'VARCHAR'], ['origin_split', 'VARCHAR'],
        ['idx', 'VARCHAR'], ['image_path', 'VARCHAR'],
      ]);
      const rows = (await con.runAndReadAll(`SELECT ds_name, hex(image.bytes) AS bytes, image.path AS path, question, chosen, rejected,
        origin_dataset, origin_split, idx, image_path FROM read_parquet('${file}') ORDER BY idx`)).getRowObjectsJson();
      assert.equal(rows.length, 5);
      for (let i = 0; i < 5; i++) {
        const r = rows[i]!;
        const p = input[i]!;
        const bytes = p.image instanceof Uint8Array ? p.image : encodePng(p.image);
        assert.equal(r['bytes'], Buffer.from(bytes).toString('hex').toUpperCase());
        assert.equal(r['idx'], p.id);
        assert.equal(r['question'], p.question);
        assert.equal(r['chosen'], p.chosen);
        assert.equal(r['rejected'], p.rejected);
        const path = i === 4 ? 'coco/4.png' : `pair-${i}.${i === 3 ? 'jpg' : 'png'}`;
        assert.equal(r['path'], path);
        assert.equal(r['image_path'], path);
        assert.equal(r['ds_name'], i === 4 ? 'custom' : 'rlaifv');
        assert.equal(r['origin_dataset'], i === 4 ? 'coco' : '');
      }
      assert.deepEqual(JSON.parse(String(rows[4]!['origin_split'])), {
        model: 'llava-1.5-7b', feedback_model: 'llava-next-34b', type: 'detailed_description', chosen_score: -1,
        rejected_score: -7, seeds: { chosen: 14, rejected: 24 }, instruction_id: 'ins-2', iteration: 2,
      });
      const groups = (await con.runAndReadAll(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${file}')`)).getRowObjectsJson();
      assert.equal(Number(groups[0]!['n']), 3);
      const kv = (await con.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'huggingface'`)).getRowObjectsJson();
      assert.deepEqual(JSON.parse(String(kv[0]!['v'])).info.features.image, { _type: 'Image' });
    });
  } finally {
    await cleanup();
  }
});

test('round trip: our importer reads back pixels, texts and meta', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'rt.parquet');
    const input = pairs(5);
    async function* stream() { yield* input; } // an async source works as well as an array
    await writeRlaifvParquet(file, stream(), { rowGroupSize: 2, dsName: 'rt' });
    const back = await collect(readPreferencePairs(file));
    assert.equal(back.length, 5);
    for (let i = 0; i < 5; i++) {
      const b = back[i]!;
      const p = input[i]!;
      assert.ok(b.ok);
      assert.equal(b.instruction.id, p.id);
      assert.equal(b.instruction.question, p.question);
      assert.equal(b.chosen, p.chosen);
      assert.equal(b.rejected, p.rejected);
      assert.equal(b.meta.generator, 'llava-1.5-7b');
      assert.equal(b.meta.labeler, 'llava-next-34b');
      assert.equal(b.meta.questionType, p.meta.questionType);
      assert.equal(b.meta.dsName, i === 4 ? 'custom' : 'rt');
      assert.equal((b.meta.originSplit as Record<string, unknown>)['rejected_score'], p.meta.rejectedScore);
      if (!(p.image instanceof Uint8Array)) assert.deepEqual(await b.instruction.image.load(), p.image);
      else assert.deepEqual(await b.instruction.image.bytes(), p.image);
    }
  } finally {
    await cleanup();
  }
});

test('empty input gives a valid empty file; a bad pair leaves the old file and no temp files', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'out.parquet');
    assert.equal((await writeRlaifvParquet(file, [])).rows, 0);
    const n = await duck(async (con) => (await con.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}')`)).getRowObjectsJson());
    assert.equal(Number(n[0]!['n']), 0);

    await writeFile(file, 'previous');
    const bad = pairs(3);
    bad[2] = { ...bad[2]!, chosen: '' };
    await assert.rejects(writeRlaifvParquet(file, bad, { rowGroupSize: 1 }), /pair 2 \(id "pair-2"\): field 'chosen' is empty/);
    assert.equal(await readFile(file, 'utf8'), 'previous');
    assert.deepEqual(await readdir(dir), ['out.parquet']);

    const noImage = pairs(1);
    noImage[0] = { ...noImage[0]!, image: new Uint8Array([1, 2, 3]) };
    await assert.rejects(writeRlaifvParquet(file, noImage), /pair 0 \(id "pair-0"\): field 'image' holds bytes that are neither PNG nor JPEG/);
    const noLabeler = pairs(1) as unknown as Array<{ meta: Record<string, unknown> }>;
    delete noLabeler[0]!.meta['labeler'];
    await assert.rejects(writeRlaifvParquet(file, noLabeler as unknown as PairRecord[]), /field 'meta\.labeler' is missing/);
    await assert.rejects(writeRlaifvParquet(file, [], { rowGroupSize: 0 }), /rowGroupSize/);
  } finally {
    await cleanup();
  }
});

test('reference log-probs: two DOUBLE columns after the official ones, with the values; without them the bytes of before', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const with_ = join(dir, 'ref.parquet');
    const input = pairs(5).map((p, i) => ({ ...p, reference: { chosen: -10.25 - i, rejected: -20.125 - i / 3 } }));
    await writeRlaifvParquet(with_, input, { rowGroupSize: 2 });
    await duck(async (con) => {
      const schema = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${with_}')`)).getRowObjectsJson();
      assert.deepEqual(schema.map((c) => c['column_name']), [
        'ds_name', 'image', 'question', 'chosen', 'rejected', 'origin_dataset', 'origin_split', 'idx', 'image_path', 'ref_chosen_logps', 'ref_rejected_logps',
      ]);
      assert.deepEqual(schema.slice(-2).map((c) => c['column_type']), ['DOUBLE', 'DOUBLE']);
      const rows = (await con.runAndReadAll(`SELECT idx, ref_chosen_logps AS c, ref_rejected_logps AS r FROM read_parquet('${with_}') ORDER BY idx`)).getRowObjectsJson();
      assert.deepEqual(rows.map((r) => [r['idx'], Number(r['c']), Number(r['r'])]), input.map((p) => [p.id, p.reference.chosen, p.reference.rejected]));
      const kv = (await con.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata('${with_}') WHERE decode(key) = 'huggingface'`)).getRowObjectsJson();
      assert.deepEqual(JSON.parse(String(kv[0]!['v'])).info.features.ref_chosen_logps, { dtype: 'float64', _type: 'Value' });
    });
    const mixed = [...input.slice(0, 2), pairs(3)[2]!];
    await assert.rejects(writeRlaifvParquet(join(dir, 'mixed.parquet'), mixed), /pair 2 \(id "pair-2"\): has no field 'reference' where pair 0 has one/);

    // Golden hash of this fixture as written before the reference columns existed.
    const colours = [solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255, 5, 4)];
    const plain: PairRecord[] = Array.from({ length: 5 }, (_, i) => ({
      id: `pair-${i}`, image: i === 3 ? greyJpeg(90) : colours[i % 3]!.image, question: `Q ${i} ü`, chosen: `C ${i}`, rejected: `R ${i}`,
      meta: { generator: 'g', labeler: 'l', chosenScore: -1, rejectedScore: -2 - i },
    }));
    const without = join(dir, 'plain.parquet');
    await writeRlaifvParquet(without, plain, { rowGroupSize: 2 });
    assert.equal(createHash('sha256').update(await readFile(without)).digest('hex'), 'b9e5bed64303861b642ed5c7652a0f4768e36415c9923d407c024f61463dde0b');
  } finally {
    await cleanup();
  }
});

test("origin: a STRING column last, after the reference columns, and in origin_split with what people said", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'origin.parquet');
    const people = { who: ['p1', 'p2'], spans: [{ from: [10, 14] as [number, number], to: [10, 15] as [number, number] }] };
    const input = pairs(3).map((p, i) => ({
      ...p, reference: { chosen: -1, rejected: -2 },
      origin: i === 1 ? 'human-correction' as const : 'ai' as const,
      ...(i === 1 && { meta: { ...p.meta, people } }),
    }));
    await writeRlaifvParquet(file, input);
    await duck(async (con) => {
      const schema = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
      assert.deepEqual(schema.slice(-3).map((c) => [c['column_name'], c['column_type']]), [['ref_chosen_logps', 'DOUBLE'], ['ref_rejected_logps', 'DOUBLE'], ['origin', 'VARCHAR']]);
      const rows = (await con.runAndReadAll(`SELECT idx, origin, origin_split FROM read_parquet('${file}') ORDER BY idx`)).getRowObjectsJson();
      assert.deepEqual(rows.map((r) => r['origin']), ['ai', 'human-correction', 'ai']);
      const split = JSON.parse(String(rows[1]!['origin_split']));
      assert.equal(split.origin, 'human-correction');
      assert.deepEqual(split.people, people);
      assert.equal(JSON.parse(String(rows[0]!['origin_split'])).people, undefined);
      const kv = (await con.runAndReadAll(`SELECT decode(value) AS v FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'huggingface'`)).getRowObjectsJson();
      assert.deepEqual(JSON.parse(String(kv[0]!['v'])).info.features.origin, { dtype: 'string', _type: 'Value' });
    });
    await assert.rejects(writeRlaifvParquet(join(dir, 'mixed.parquet'), [pairs(1)[0]!, { ...pairs(2)[1]!, origin: 'ai' }]), /pair 1 \(id "pair-1"\): has field 'origin' where pair 0 has none/);
  } finally {
    await cleanup();
  }
});
