/**
 * What `rlaifv dpo` does: read pairs, load M_i, take the reference log-probs (a ref_logps.jsonl
 * file, the dataset's columns, or computed with M_i), hold out validation pairs, train with DPO,
 * and publish the best checkpoint (M_{i+1}) in --out with TRL's `trainer_state.json`. The round
 * folder (checkpoints, state, computed reference log-probs) is `<out>/dpo-round/`; rerun the same
 * command to resume. `<out>/model.safetensors` appears last: it exists only once the run finished.
 */
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { loadCheckpoint, type EmbeddedModel } from '../model/index.ts';
import { openStore } from '../store/index.ts';
import { readTrlDataset, type TrlDataset } from '../dpo/read-trl.ts';
import { matchReferenceFile, readReferenceFile, withTokenCounts, type ReferenceLogProbs } from '../dpo/reference.ts';
import { publishModel } from '../dpo/run-folder.ts';
import type { DpoRun, DpoSettings } from '../dpo/settings.ts';
import { trainDpo, type DpoResult } from '../dpo/trainer.ts';
import { trainerState } from '../dpo/trainer-state.ts';
import {
  coverageGuardedValidator, heldOutPairsValidator, holdOut, pairsLossValidator, validationEval, type ValidationScenes,
} from '../dpo/validate.ts';

export interface DpoCliOptions {
  pairs: string;
  base: string;
  out: string;
  settings: DpoSettings;
  run: DpoRun;
  log: (line: string) => void;
}

type Validator = (m: EmbeddedModel) => Promise<number>;

/**
 * `await runDpoCli({ pairs: 'runs/r1/trl', base: 'models/policy-base', out: 'runs/r1/model', settings: parseDpoSettings({}), run: DpoRunSchema.parse({}), log: console.error })`
 */
export async function runDpoCli(o: DpoCliOptions): Promise<DpoResult> {
  await initEngine();
  const { settings, run } = o;
  const dataset = await readTrlDataset(o.pairs);
  const all = dataset.pairs;
  const policy: EmbeddedModel = loadCheckpoint(o.base);
  const reference = givenReference(o, dataset, policy);
  const roundDir = join(o.out, 'dpo-round');
  const store = run.store ? openStore(run.store) : undefined;
  try {
    // Split positions, so the held-out pairs keep their own reference values.
    const { train: trainAt, val: valAt } = run.validate === 'pairs' ? holdOut([...all.keys()], run.valFraction, settings.seed) : { train: [...all.keys()], val: [] };
    const train = trainAt.map((i) => all[i]!);
    const val = valAt.map((i) => all[i]!);
    o.log(`DPO on ${train.length} pairs${val.length ? ` (${val.length} held out for validation)` : ''} from ${o.base}`);
    let validate: Validator | undefined;
    if (run.validate === 'pairs' && val.length > 0) {
      validate = reference
        ? pairsLossValidator(val, valAt.map((i) => reference.values[i]!), settings)
        : await heldOutPairsValidator(policy, val, settings, {
          batchSize: settings.referenceBatchSize, ...(store ? { store } : { file: join(roundDir, 'reference-val.jsonl') }),
        });
    } else if (run.validate === 'world') {
      validate = await worldValidation(o, policy);
    }
    const result = await trainDpo({
      policy, pairs: train, settings, outDir: roundDir, ...(store && { store }), runName: run.runName,
      ...(reference && { reference: trainAt.map((i) => reference.values[i]!) }),
      ...(validate && { validate }), progress: o.log,
    });
    // trainDpo left the best checkpoint's weights in `policy`.
    const state = JSON.stringify(trainerState(result, settings.epochs), null, 2) + '\n';
    await publishModel(policy, o.out, {
      dpo: {
        base: o.base, pairs: o.pairs, settings, reference: reference?.source ?? 'computed with the base model',
        best: { step: result.best.step, epoch: result.best.epoch, score: result.best.score },
      },
    }, { 'trainer_state.json': state });
    o.log(`best checkpoint: step ${result.best.step} (epoch ${result.best.epoch.toFixed(2)}, validation ${result.best.score.toFixed(4)}); written to ${o.out}`);
    return result;
  } finally {
    store?.close();
  }
}

/**
 * The reference log-probs handed in, per pair of the dataset: from --ref-logps (checked against the
 * dataset), else from the dataset's columns; undefined when they are to be computed with --base.
 */
function givenReference(o: DpoCliOptions, dataset: TrlDataset, policy: EmbeddedModel): { values: ReferenceLogProbs[]; source: string } | undefined {
  if (o.run.refLogps) {
    const file = readReferenceFile(o.run.refLogps);
    const values = matchReferenceFile(file, dataset.pairs, dataset.file);
    o.log(`reference log-probs of ${values.length} pairs from ${o.run.refLogps} (model ${file.header.model})`);
    return { values, source: o.run.refLogps };
  }
  if (!dataset.reference) return undefined;
  o.log(`reference log-probs of ${dataset.reference.length} pairs from the dataset's ref_*_logps columns`);
  // TRL's columns carry no token counts; they are what the base model's tokenizer makes of each answer.
  return { values: withTokenCounts(policy, dataset.pairs, dataset.reference), source: `${dataset.file} (ref_*_logps columns)` };
}

/**
 * CHAIRi on the validation scenes, guarded by the coverage of --coverage-reference (default: the
 * base model), exactly as round i of `rlaifv align` scores its checkpoints.
 */
async function worldValidation(o: DpoCliOptions, policy: EmbeddedModel): Promise<Validator> {
  const { run } = o;
  const scenes: ValidationScenes = { worldSeed: run.worldSeed, offset: run.valOffset, limit: run.valScenes };
  if (run.coverageWeight === 0) return coverageGuardedValidator(scenes, 0, { coverage: 0 }, o.log);
  const from = run.coverageReference ?? o.base;
  const model = run.coverageReference ? loadCheckpoint(run.coverageReference) : policy;
  const ref = await validationEval(model, scenes);
  o.log(`coverage guard: validation coverage of ${from} on val scenes ${scenes.offset}..${scenes.offset + scenes.limit - 1} is ${ref.coverage.toFixed(3)}; checkpoints below 95% of it are penalised`);
  return coverageGuardedValidator(scenes, run.coverageWeight, ref, o.log);
}
