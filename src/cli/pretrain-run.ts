/** What `rlaifv pretrain` does with its settings: train (or resume), evaluate on the world, write eval.json. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printEval } from '../eval/print.ts';
import { evaluateWorld } from '../eval/world-bench.ts';
import { runPretrain } from '../pretrain/run.ts';
import type { PretrainSettings } from '../pretrain/settings.ts';

export async function runPretrainCommand(settings: PretrainSettings, out: string): Promise<void> {
  const result = await runPretrain(settings, out, { progress: (line) => process.stderr.write(line + '\n') });
  const evaluation = await evaluateWorld(result.model, { split: 'test', limit: settings.evalScenes, worldSeed: settings.worldSeed });
  writeFileSync(join(out, 'eval.json'), JSON.stringify({ ...evaluation, examples: evaluation.examples.slice(0, 5) }, null, 2) + '\n');
  printEval(evaluation, process.stdout);
  process.stdout.write(`\ncheckpoint written to ${out} (${result.trainTokens} training tokens in ${result.trainSeconds.toFixed(0)} s)\n`);
}
