/**
 * The memory figures of the engine bench, in a process of its own (`node --expose-gc --import tsx
 * bench/memory-process.ts DIR COUNT`, started by engine-bench.ts): peak RSS while streaming a
 * 100,000-instruction file, and a whole data-engine run over COUNT world instructions. Prints the
 * rows as JSON on stdout.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { openHttpBackend, parseHttpSettings } from '../src/backend/http/index.ts';
import { encodePng } from '../src/image/codec.ts';
import { countRecords, readInstructions } from '../src/inputs/index.ts';
import { parseDataEngineConfig, runDataEngine } from '../src/pipeline/index.ts';
import type { Row } from './model-bench.ts';
import { startServerProcess } from './server-process.ts';

const [dir, countArg] = process.argv.slice(2);
const rows: Row[] = [];

// Streaming input: peak RSS while reading and validating 100,000 instruction records.
const png = join(dir!, 'img.png');
writeFileSync(png, encodePng({ width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).fill(200) }));
const file = join(dir!, 'instructions.jsonl');
const out = createWriteStream(file);
for (let i = 0; i < 100_000; i++) {
  if (!out.write(JSON.stringify({ id: `q${i}`, image: 'img.png', question: `Describe the image. (${i})` }) + '\n')) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const rss0 = process.memoryUsage().rss;
let peak = rss0;
let n = await countRecords(file);
for await (const rec of readInstructions(file, { checkImages: false })) {
  if (rec.ok) n--;
  if ((n & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
rows.push({ name: 'peak RSS streaming 100,000 instructions', value: peak / 2 ** 20, unit: 'MiB', note: `+${((peak - rss0) / 2 ** 20).toFixed(0)} MiB over the process before reading (a process of its own); target < 300 MiB` });
rows.push(...await engineMemory(dir!, Number(countArg)));
process.stdout.write(JSON.stringify(rows));

/**
 * The whole engine over `count` world instructions (default chunks), against a zero-latency server
 * in its own process: peak RSS, and how much the heap still held (after a full GC, where the
 * process allows one) at the end of the last chunk against the end of the first. A run that keeps
 * its records in memory grows with every chunk; a streaming one stays flat.
 */
async function engineMemory(dir: string, count: number): Promise<Row[]> {
  const server = await startServerProcess(64, 0);
  const backend = await openHttpBackend(parseHttpSettings({ baseUrls: server.url, maxInFlightPerUrl: 64, client: 'direct' }));
  const config = parseDataEngineConfig({ input: { count }, sampling: { n: 4 }, batchSize: 16, inFlight: 8 });
  const gc = (globalThis as { gc?: () => void }).gc;
  const heapAtChunkEnd: number[] = [];
  let peak = process.memoryUsage().rss;
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  try {
    await runDataEngine(config, {
      policy: backend, labeler: backend, outDir: join(dir, 'run-memory'),
      onProgress: (e) => {
        if (e.stage !== 'label' || e.done !== e.total) return;
        gc?.();
        heapAtChunkEnd.push(process.memoryUsage().heapUsed);
      },
    });
  } finally {
    clearInterval(sample);
    server.close();
  }
  const mib = (b: number) => b / 2 ** 20;
  const growth = mib(heapAtChunkEnd.at(-1)! - heapAtChunkEnd[0]!);
  return [
    { name: `peak RSS of a data-engine run on ${count.toLocaleString('en')} instructions`, value: mib(peak), unit: 'MiB', note: `default chunks (${config.chunkSize}, ${config.chunksInFlight} in flight); a process of its own, the engine and its HTTP client loaded; target < 300 MiB` },
    { name: 'heap growth from the first chunk to the last', value: growth, unit: 'MiB', note: `${heapAtChunkEnd.length} chunks; heap used ${mib(heapAtChunkEnd[0]!).toFixed(0)} -> ${mib(Math.max(...heapAtChunkEnd)).toFixed(0)} (max) -> ${mib(heapAtChunkEnd.at(-1)!).toFixed(0)} MiB${gc ? ' after a full GC' : ' (run node with --expose-gc for GC-settled figures)'}` },
  ];
}
