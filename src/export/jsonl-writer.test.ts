import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, tempDir } from '../inputs/testing.ts';
import { JsonlWriter } from './jsonl-writer.ts';

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

test('records go to <path>.partial and appear at <path> only when closed', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'sub', 'c.jsonl');
    const w = await JsonlWriter.open<{ id: number }>(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.write({ id: i }))); // overlapping calls keep order
    assert.deepEqual(await readdir(join(dir, 'sub')), ['c.jsonl.partial']);
    await w.close();
    assert.deepEqual(await readdir(join(dir, 'sub')), ['c.jsonl']);
    assert.deepEqual((await lines(file)).map((r) => r.id), Array.from({ length: 50 }, (_, i) => i));
    await assert.rejects(w.write({ id: 99 }), /is closed/);
    assert.equal(w.count, 50);
  } finally {
    await cleanup();
  }
});

test('resume drops a cut-off last line, keeps complete records and appends', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'c.jsonl');
    const w = await JsonlWriter.open(file);
    for (const id of [1, 2, 3]) await w.write({ id });
    await w.abort(); // as if killed: no close
    await appendFile(`${file}.partial`, '{"id": 4, "text": "cut sh');

    const r = await JsonlWriter.open<{ id: number }>(file, { resume: true });
    assert.equal(r.resumed, 3);
    assert.deepEqual((await collect(r.existing())).map((x) => x.id), [1, 2, 3]);
    await r.write({ id: 4 });
    await r.close();
    assert.deepEqual((await lines(file)).map((x) => x.id), [1, 2, 3, 4]);

    // Resuming a finished file reopens it for appending.
    const again = await JsonlWriter.open(file, { resume: true });
    assert.equal(again.resumed, 4);
    await again.write({ id: 5 });
    await again.close();
    assert.equal((await lines(file)).length, 5);

    // Without resume the old file stays whole until the new one replaces it.
    const fresh = await JsonlWriter.open(file);
    await fresh.write({ id: 'new' });
    assert.equal((await lines(file)).length, 5);
    await fresh.close();
    assert.deepEqual(await lines(file), [{ id: 'new' }]);
  } finally {
    await cleanup();
  }
});

test('a process killed mid-write can be resumed with every kept line intact', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'killed.jsonl');
    const writer = fileURLToPath(new URL('./jsonl-writer.ts', import.meta.url));
    const child = join(dir, 'child.mts');
    await writeFile(child, `import { JsonlWriter } from ${JSON.stringify(writer)};
const w = await JsonlWriter.open(${JSON.stringify(file)});
const text = 'x'.repeat(200_000);
for (let i = 0; ; i++) await w.write({ i, text });\n`);
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: 'ignore', cwd: process.cwd() });
    const exited = new Promise((ok) => proc.once('exit', ok));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const size = await stat(`${file}.partial`).then((s) => s.size, () => 0);
      if (size > 4_000_000) break;
      await new Promise((ok) => setTimeout(ok, 20));
    }
    proc.kill('SIGKILL');
    await exited;
    await assert.rejects(stat(file)); // never finished, so never published

    const r = await JsonlWriter.open<{ i: number; text: string }>(file, { resume: true });
    assert.ok(r.resumed >= 3, `expected some records before the kill, got ${r.resumed}`);
    const kept = await collect(r.existing());
    assert.deepEqual(kept.map((x) => x.i), Array.from({ length: r.resumed }, (_, i) => i));
    assert.ok(kept.every((x) => x.text.length === 200_000));
    await r.close();
  } finally {
    await cleanup();
  }
});

test('writeMany: the same bytes as one write per record, in chunks; a bad record stops after the lines before it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // ~2.5 MiB, so several chunks; multi-byte text included.
    const records = Array.from({ length: 2500 }, (_, i) => ({ id: i, text: `é ${'x'.repeat(1000)} ${i}` }));
    const one = join(dir, 'one.jsonl');
    const w1 = await JsonlWriter.open(one);
    for (const r of records) await w1.write(r);
    await w1.close();
    const many = join(dir, 'many.jsonl');
    const w2 = await JsonlWriter.open(many);
    await w2.writeMany(records.slice(0, 10));
    await w2.writeMany((async function* () { yield* records.slice(10); })());
    assert.equal(w2.count, 2500);
    await w2.close();
    assert.deepEqual(await readFile(many), await readFile(one));

    const bad = join(dir, 'bad.jsonl');
    const w3 = await JsonlWriter.open<unknown>(bad);
    await assert.rejects(w3.writeMany([{ id: 1 }, { id: 2 }, () => 3, { id: 4 }]), /record 3 is not JSON-serialisable/);
    await w3.close();
    assert.deepEqual(await lines(bad), [{ id: 1 }, { id: 2 }]);
    await assert.rejects(w3.writeMany([{ id: 5 }]), /is closed/);
  } finally {
    await cleanup();
  }
});
