import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { countRecords, readInstructions } from './read-instructions.ts';
import { solid, tempDir } from './testing.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

test('a 100,000-line JSONL streams in flat memory', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = join(dir, 'big.jsonl');
    const b64 = Buffer.from(solid(1, 2, 3, 1, 1).png).toString('base64');
    const pad = 'x'.repeat(400);
    const ws = createWriteStream(file);
    for (let i = 0; i < 100_000; i++) {
      if (!ws.write(`{"id":"r${i}","image":"${b64}","question":"Q${i} ${pad}"}\n`)) await new Promise<void>((ok) => ws.once('drain', () => ok()));
    }
    await new Promise<void>((ok) => ws.end(() => ok()));
    const fileMb = (await stat(file)).size / 2 ** 20;
    assert.ok(fileMb > 45, `fixture should be large, is ${fileMb.toFixed(1)} MiB`);
    assert.equal(await countRecords(file), 100_000);

    let n = 0;
    let peakGrowth = 0;
    let lastId = '';
    const before = heapMb();
    for await (const r of readInstructions(file, { checkImages: false })) {
      n++;
      lastId = r.id ?? '';
      if (n === 1 || n % 20_000 === 0) peakGrowth = Math.max(peakGrowth, heapMb() - before);
    }
    assert.equal(n, 100_000);
    assert.equal(lastId, 'r99999');
    // Holding the file (or its parsed records) would add at least its size to the heap.
    assert.ok(peakGrowth < 8, `heap grew ${peakGrowth.toFixed(1)} MiB while streaming a ${fileMb.toFixed(0)} MiB file`);
  } finally {
    await cleanup();
  }
});
