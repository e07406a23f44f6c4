/**
 * What `rlaifv dpo` does: read pairs, load M_i, hold out validation pairs, train with DPO,
 * write the best checkpoint (M_{i+1}) to --out. The round folder (checkpoints, state,
 * reference log-probs) is `<out>/dpo-round/`; rerun the same command to resume.
 */
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { loadCheckpoint, saveCheckpoint, type EmbeddedModel } from '../model/index.ts';
import { openStore } from '../store/index.ts';
import { readTrlPairs } from '../dpo/read-trl.ts';
import type { DpoRun, DpoSettings } from '../dpo/settings.ts';
import { trainDpo, type DpoResult } from '../dpo/trainer.ts';
import { heldOutPairsValidator, holdOut, worldValidator } from '../dpo/validate.ts';


export interface DpoCliOptions {
  pairs: string;
  base: string;
  out: string;
  settings: DpoSettings;
  run: DpoRun;
  log: (line: string) => void;
}

/**
 * `await runDpoCli({ pairs: 'runs/r1/trl', base: 'models/policy-base', out: 'runs/r1/model', settings: parseDpoSettings({}), run: DpoRunSchema.parse({}), log: console.error })`
 */
export async function runDpoCli(o: DpoCliOptions): Promise<DpoResult> {
  await initEngine();
  const { settings, run } = o;
  const all = await readTrlPairs(o.pairs);
  const policy: EmbeddedModel = loadCheckpoint(o.base);
  const roundDir = join(o.out, 'dpo-round');
  const store = run.store ? openStore(run.store) : undefined;
  try {
    const { train, val } = run.validate === 'pairs' ? holdOut(all, run.valFraction, settings.seed) : { train: all, val: [] };
    o.log(`DPO on ${train.length} pairs${val.length ? ` (${val.length} held out for validation)` : ''} from ${o.base}`);
    let validate: ((m: EmbeddedModel) => Promise<number>) | undefined;
    if (run.validate === 'pairs' && val.length > 0) {
      validate = await heldOutPairsValidator(policy, val, settings, {
        batchSize: settings.referenceBatchSize, ...(store ? { store } : { file: join(roundDir, 'reference-val.jsonl') }),
      });
    } else if (run.validate === 'world') {
      validate = worldValidator(run.valScenes, 0, o.log);
    }
    const result = await trainDpo({
      policy, pairs: train, settings, outDir: roundDir, ...(store && { store }), runName: run.runName,
      ...(validate && { validate }), progress: o.log,
    });
    // trainDpo left the best checkpoint's weights in `policy`.
    await saveCheckpoint(policy, o.out, {
      dpo: { base: o.base, pairs: o.pairs, settings, best: { step: result.best.step, epoch: result.best.epoch, score: result.best.score } },
    });
    o.log(`best checkpoint: step ${result.best.step} (epoch ${result.best.epoch.toFixed(2)}, validation ${result.best.score.toFixed(4)}); written to ${o.out}`);
    return result;
  } finally {
    store?.close();
  }
}
