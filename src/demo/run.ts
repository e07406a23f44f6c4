/**
 * The demo: evaluate the shipped base policy and labeler on the world's test split, showing the
 * premise of RLAIF-V: the policy hallucinates objects when it describes, yet both models judge
 * yes/no questions well, so they can supply the feedback that removes the hallucinations.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../engine/tf.ts';
import { loadCheckpoint } from '../model/index.ts';
import { evaluateWorld } from '../eval/world-bench.ts';
import { printEval } from '../eval/print.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { writeWorldSamples } from '../world/samples.ts';

export async function runDemo(o: { out: string; limit: number }): Promise<void> {
  const settings = loadSettings();
  await initEngine();
  mkdirSync(o.out, { recursive: true });
  const results: Record<string, unknown> = {};
  for (const role of ['policy-base', 'labeler'] as const) {
    const model = loadCheckpoint(shippedModel(settings, role));
    process.stderr.write(`evaluating ${role} on ${o.limit} test scenes...\n`);
    const r = await evaluateWorld(model, { split: 'test', limit: o.limit }, {
      progress: (d, t, stage) => process.stderr.write(`\r  ${stage} ${d}/${t}   `),
    });
    process.stderr.write('\n');
    printEval(r, process.stdout);
    process.stdout.write('\n');
    results[role] = r;
    model.net.dispose();
  }
  writeFileSync(join(o.out, 'metrics.json'), JSON.stringify(results, null, 2) + '\n');
  const index = writeWorldSamples(join(o.out, 'world'), { n: 12, split: 'test', worldSeed: 0, noise: 0 });
  process.stdout.write(`results: ${join(o.out, 'metrics.json')}; the world's test scenes: ${index}\n`);
}
