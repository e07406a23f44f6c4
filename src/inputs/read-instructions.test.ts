import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { countRecords, readInstructions, type InstructionRecord } from './read-instructions.ts';
import { InputError, type FailedRecord } from './location.ts';
import { collect, greyJpeg, serve, solid, tempDir } from './testing.ts';

const red = solid(255, 0, 0);
const green = solid(0, 255, 0);
const blue = solid(0, 0, 255);
const jsonl = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const ok = (r: InstructionRecord | FailedRecord): InstructionRecord => {
  assert.ok(r.ok, `expected a readable record, got: ${(r as FailedRecord).reason}`);
  return r;
};

test('images resolve from every source kind, in JSONL and JSON', async () => {
  const { dir, cleanup } = await tempDir();
  const server = await serve({ '/green.png': green.png });
  try {
    await mkdir(join(dir, 'imgs'));
    await writeFile(join(dir, 'imgs', 'red.png'), red.png);
    await writeFile(join(dir, 'blue.png'), blue.png);
    const b64 = Buffer.from(blue.png).toString('base64');
    const rows = [
      { id: 'path', image: 'imgs/red.png', question: 'Q?' },
      { id: 'file-url', image: pathToFileURL(join(dir, 'blue.png')).href, question: 'Q?' },
      { id: 'http', image: `${server.url}/green.png`, question: 'Q?' },
      { id: 'base64', image: b64, question: 'Q?' },
      { id: 'data-url', image: `data:image/png;base64,${b64}`, question: 'Q?' },
      { id: 'hf-buffer-json', image: { bytes: JSON.parse(JSON.stringify(Buffer.from(green.png))), path: 'x.png' }, question: 'Q?' },
      { id: 'hf-base64', image: { bytes: b64, path: null }, question: 'Q?' },
      { id: 'hf-path', image: { bytes: null, path: 'imgs/red.png' }, question: 'Q?' },
      { id: 7, image: Buffer.from(greyJpeg(200)).toString('base64'), question: 'Q?', meta: { k: 1 }, extra: 'kept' },
    ];
    const expect = [red, blue, green, blue, blue, green, blue, red];
    await writeFile(join(dir, 'in.jsonl'), jsonl(rows));
    await writeFile(join(dir, 'in.json'), JSON.stringify(rows));
    for (const file of ['in.jsonl', 'in.json']) {
      const got = (await collect(readInstructions(join(dir, file)))).map(ok);
      assert.deepEqual(got.map((r) => r.id), ['path', 'file-url', 'http', 'base64', 'data-url', 'hf-buffer-json', 'hf-base64', 'hf-path', '7']);
      for (let i = 0; i < expect.length; i++) assert.deepEqual(await got[i]!.image.load(), expect[i]!.image, `${file} ${got[i]!.id}`);
      const jpeg = await got[8]!.image.load();
      assert.equal(jpeg.width, 8);
      assert.ok(Math.abs(jpeg.data[0]! - 200) < 6);
      assert.deepEqual(got[8]!.meta, { extra: 'kept', k: 1 });
      assert.equal(got[0]!.location.unit, file.endsWith('l') ? 'line' : 'index');
    }
    // The fetched bytes are cached: checking and loading cost one request per reader pass.
    assert.equal(server.hits.get('/green.png'), 2);
  } finally {
    await server.close();
    await cleanup();
  }
});

test('the official pipeline input shape {ds_question_id, image_path, question, metainfos}', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'r.png'), red.png);
    await writeFile(join(dir, 'official.jsonl'), jsonl([
      { ds_question_id: 12, image_path: 'r.png', question: 'Describe the image.', metainfos: { origin_dataset: 'coco', type: 'detailed_description' } },
      { ds_question_id: 'q-13', image_path: '', metainfos: { image_path: 'r.png' }, question: 'What color?' },
    ]));
    const [a, b] = (await collect(readInstructions(join(dir, 'official.jsonl')))).map(ok);
    assert.equal(a!.id, '12');
    assert.equal(a!.format, 'official');
    assert.equal(a!.question, 'Describe the image.');
    assert.deepEqual(a!.meta, { origin_dataset: 'coco', type: 'detailed_description', image_path: 'r.png' });
    assert.deepEqual(await a!.image.load(), red.image);
    assert.equal(b!.id, 'q-13');
    assert.deepEqual(await b!.image.load(), red.image);
  } finally {
    await cleanup();
  }
});

test('validation errors name file:line (or [index]), the field and the fix', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'r.png'), red.png);
    const good = { id: 'a', image: 'r.png', question: 'Q?' };
    const cases: Array<[string, string, RegExp]> = [
      ['missing.jsonl', jsonl([good, '', { id: 'b', image: 'r.png' }]), /missing\.jsonl:3: field 'question' is missing; records of this shape look like \{id, image, question, meta\?\}/],
      ['badline.jsonl', jsonl([good, '{"id": "b", "image": ']), /badline\.jsonl:2: not valid JSON .*fix or remove the line/],
      ['type.jsonl', jsonl([{ id: 'a', image: 'r.png', question: 17 }]), /type\.jsonl:1: field 'question' must be a string, got number 17/],
      ['id.jsonl', jsonl([{ id: 1.5, image: 'r.png', question: 'Q' }]), /id\.jsonl:1: field 'id' must be a non-empty string or an integer/],
      ['image.jsonl', jsonl([{ id: 'a', image: { bytes: { type: 'Buffer', data: ['x'] } }, question: 'Q' }]), /image\.jsonl:1: field 'image\.bytes' byte 0 is "x"/],
      ['meta.jsonl', jsonl([{ id: 'a', image: 'r.png', question: 'Q', meta: 'x' }]), /meta\.jsonl:1: field 'meta' must be an object/],
      ['official.jsonl', jsonl([{ ds_question_id: 1, question: 'Q' }]), /official\.jsonl:1: field 'image_path' is missing/],
      ['arr.json', JSON.stringify([good, { id: '', image: 'r.png', question: 'Q' }]), /arr\.json\[1\]: field 'id'/],
      ['obj.json', JSON.stringify({ records: [] }), /expected a JSON array of records/],
      ['scalar.jsonl', jsonl([good, '42']), /scalar\.jsonl:2: expected a record object/],
    ];
    for (const [name, text, pattern] of cases) {
      await writeFile(join(dir, name), text);
      await assert.rejects(collect(readInstructions(join(dir, name))), (e: Error) => e instanceof InputError && pattern.test(e.message), name);
    }
    // Records before the bad line still come out first, in order.
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const r of readInstructions(join(dir, 'missing.jsonl'))) seen.push(ok(r).id);
    }, InputError);
    assert.deepEqual(seen, ['a']);
    await assert.rejects(collect(readInstructions(join(dir, 'nope.jsonl'))), /input file not found/);
    await assert.rejects(collect(readInstructions(join(dir, 'r.png'))), /cannot tell the format .*'\.png'/);
    await assert.rejects(collect(readInstructions(join(dir, 'missing.jsonl'), { limit: 0 })), /read option 'limit'/);
    await assert.rejects(collect(readInstructions(join(dir, 'missing.jsonl'), { strcit: true } as never)), /read option 'strcit'/);
  } finally {
    await cleanup();
  }
});

test('unreadable images fail their record and the run goes on; strict throws', async () => {
  const { dir, cleanup } = await tempDir();
  const server = await serve({});
  try {
    await writeFile(join(dir, 'r.png'), red.png);
    const jpeg = greyJpeg();
    await writeFile(join(dir, 'cut.jpg'), jpeg.subarray(0, jpeg.length - 60));
    await writeFile(join(dir, 'in.jsonl'), jsonl([
      { id: 'a', image: 'r.png', question: 'Q' },
      { id: 'gone', image: 'missing.png', question: 'Q' },
      { id: 'corrupt', image: 'cut.jpg', question: 'Q' },
      { id: 'http404', image: `${server.url}/x.png`, question: 'Q' },
      { id: 'text', image: { bytes: Buffer.from('hello').toString('base64') }, question: 'Q' },
      { id: 'z', image: 'r.png', question: 'Q' },
    ]));
    const got = await collect(readInstructions(join(dir, 'in.jsonl')));
    assert.deepEqual(got.map((r) => [r.ok, r.id]), [[true, 'a'], [false, 'gone'], [false, 'corrupt'], [false, 'http404'], [false, 'text'], [true, 'z']]);
    const reasons = got.filter((r): r is FailedRecord => !r.ok).map((r) => `${r.location.n} ${r.reason}`);
    assert.match(reasons[0]!, /^2 image file not found: .*missing\.png/);
    assert.match(reasons[1]!, /^3 .*cut\.jpg: corrupt or unsupported image/);
    assert.match(reasons[2]!, /^4 cannot fetch image .*HTTP 404/);
    assert.match(reasons[3]!, /^5 .*not a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP image \(5 bytes that look like text\)/);

    await assert.rejects(collect(readInstructions(join(dir, 'in.jsonl'), { strict: true })),
      (e: Error) => e instanceof InputError && /in\.jsonl:2: image file not found.*strict mode/.test(e.message) && e.field === 'image');

    // With checkImages off nothing is read up front; the error surfaces at load().
    const lazy = await collect(readInstructions(join(dir, 'in.jsonl'), { checkImages: false }));
    assert.ok(lazy.every((r) => r.ok));
    await assert.rejects(ok(lazy[1]!).image.load(), /image file not found/);
  } finally {
    await server.close();
    await cleanup();
  }
});

test('limit stops early and countRecords gives progress totals', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await writeFile(join(dir, 'r.png'), red.png);
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, image: 'r.png', question: `Q${i}` }));
    await writeFile(join(dir, 'in.jsonl'), `${jsonl(rows.slice(0, 10))}\n\n${jsonl(rows.slice(10))}`);
    await writeFile(join(dir, 'in.json'), JSON.stringify(rows));
    assert.equal(await countRecords(join(dir, 'in.jsonl')), 25);
    assert.equal(await countRecords(join(dir, 'in.json')), 25);
    assert.equal(await countRecords(join(dir, 'in.jsonl'), { limit: 7 }), 7);
    const got = await collect(readInstructions(join(dir, 'in.jsonl'), { limit: 7, concurrency: 3 }));
    assert.deepEqual(got.map((r) => r.id), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    // Line numbers count the blank lines too, as an editor does.
    const all = await collect(readInstructions(join(dir, 'in.jsonl')));
    assert.equal(all[10]!.location.n, 13);
  } finally {
    await cleanup();
  }
});
