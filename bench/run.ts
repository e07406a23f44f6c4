/**
 * `npm run bench [-- section...] [--seconds S] [--json FILE]`: throughput and efficiency figures,
 * each reported beside a reference measured in the same run (the machine's matmul peak), because
 * absolute times drift on shared machines.
 */
import { writeFileSync } from 'node:fs';
import { modelBench, type Row } from './model-bench.ts';
import { engineBench } from './engine-bench.ts';
import { imageBench } from './image-bench.ts';
import { bonBench } from './bon-bench.ts';
import { auditBench } from './audit-bench.ts';

const SECTIONS: Record<string, (seconds: number) => Promise<Row[]>> = {
  model: modelBench,
  engine: engineBench,
  images: () => imageBench(),
  bon: bonBench,
  audit: auditBench,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let seconds = 5;
  let json: string | undefined;
  const chosen: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seconds') seconds = Number(args[++i]);
    else if (args[i] === '--json') json = args[++i];
    else chosen.push(args[i]!);
  }
  const unknown = chosen.filter((c) => !SECTIONS[c]);
  if (unknown.length) throw new Error(`unknown bench section(s) ${unknown.join(', ')}: must be one of ${Object.keys(SECTIONS).join(', ')}`);
  const all: Record<string, Row[]> = {};
  for (const name of chosen.length ? chosen : Object.keys(SECTIONS)) {
    process.stderr.write(`bench ${name}...\n`);
    const rows = await SECTIONS[name]!(seconds);
    all[name] = rows;
    const w = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.value.toFixed(r.value < 100 ? 2 : 0).padStart(9)} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
  }
  if (json) writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), sections: all }, null, 2) + '\n');
}

await main();
