/**
 * `rlaifv align`: RLAIF-V's iterative feedback learning (docs/method.md §4). Round i: M_{i-1} samples a fresh,
 * disjoint slice of instructions, the labeler (or, with self-feedback, the starting policy M_0; M_{i-1} with selfFeedbackJudge "current") judges the
 * claims, DPO trains from M_{i-1} with pi_ref = M_{i-1}, the best quarter-epoch checkpoint on the
 * validation scenes becomes M_i, and M_i is evaluated on the test split. The steps of a round are
 * in round.ts; the variants that switch off a part of the method in ablations.ts.
 *
 * Folder layout (rerun with the same folder to resume at any stage):
 *   round-0.json                 evaluation of the starting policy
 *   round-<i>/data/              the data engine's run (store, pairs, JSONL records, summary)
 *   round-<i>/dpo/               DPO checkpoints, reference log-probs, state
 *   round-<i>/model/             M_i
 *   round-<i>/round.json         the round's entry of metrics.json (written last: its presence = done)
 *   held-out.json                the starting and the final policy on the held-out world
 *   settings.json                what made the folder (settings with defaults resolved, model fingerprints): a rerun under others is refused
 *   metrics.json, report.html
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { DpoSettingsSchema } from '../dpo/settings.ts';
import { writeReport, type Metrics, type RoundMetrics } from '../report/index.ts';
import { openStore } from '../store/index.ts';
import { benchmarkRound } from './bench-eval.ts';
import { evaluateOnTest } from './evaluate.ts';
import { readDone, runRounds, type AlignHooks, type AlignLoop } from './loop.ts';
import { openModels, type ModelIds } from './models.ts';
import { checkResumable } from './resume.ts';
import { resumeRound, runRound } from './round.ts';
import { roundDataConfig } from './round-plan.ts';
import { isServed, parseAlignSettings, type AlignSettings, type AlignSettingsInput } from './settings.ts';
import { runServedAlign } from './served/run.ts';

export type { AlignHooks } from './loop.ts';

/** Open the models, evaluate the start, run (or read back) each round, evaluate on the held-out world, and write the report. */
export async function runAlign(input: AlignSettingsInput, outDir: string, hooks: AlignHooks = {}): Promise<Metrics> {
  const s = parseAlignSettings(input);
  if (isServed(s)) return runServedAlign(s, outDir, hooks);
  await initEngine();
  mkdirSync(outDir, { recursive: true });
  const models = await openModels(s);
  await checkResumable(outDir, resumeKey(s, models.ids));
  const loop: AlignLoop = { s, outDir, models, store: openStore(join(outDir, 'align.sqlite')), log: hooks.log ?? (() => {}), progress: hooks.progressStream };
  const { rounds, samples } = await runRounds(s.rounds, await evaluateStart(loop), loop.log, {
    resume: (i) => resumeRound(loop, i), run: (i) => runRound(loop, i),
  });
  const heldOut = await evaluateHeldOut(loop);
  const metrics: Metrics = { rounds, heldOut, heldOutWorldSeed: s.heldOutWorldSeed, worldSeed: s.worldSeed, selfFeedback: s.selfFeedback, samples, settings: s };
  await writeReport(outDir, metrics);
  loop.store.close();
  models.dispose();
  return metrics;
}

/**
 * What settings.json records: everything that decides the rounds' results, defaults resolved, so
 * that a changed default is caught too.
 */
function resumeKey(s: AlignSettings, models: ModelIds) {
  // The served section does not apply to checkpoints; leaving it out keeps older run folders resumable.
  const { served: _served, ...align } = s;
  return { align, data: roundDataConfig(s, 1), dpo: DpoSettingsSchema.parse(s.dpo), models };
}

/** Round 0: the starting policy M_0 on the test scenes (`round-0.json`). */
async function evaluateStart(loop: AlignLoop): Promise<RoundMetrics> {
  const { s } = loop;
  const path = join(loop.outDir, 'round-0.json');
  const done = readDone<RoundMetrics>(path);
  if (done) return done;
  loop.log(`round 0: evaluating the starting policy on ${s.evalScenes} test scenes`);
  const world = await evaluateOnTest(loop.models.policy, 0, 'policy-base', s.evalScenes, s.worldSeed);
  const benchmark = await benchmarkRound(s, loop.outDir, 0, { backend: loop.models.policy, id: loop.models.ids.policy, label: 'policy-base' }, loop.log);
  const round0 = { ...world, ...(benchmark && { benchmark }) };
  await writeFileAtomic(path, JSON.stringify(round0, null, 2) + '\n');
  return round0;
}

/**
 * M_0 and the final policy on a second world's test scenes (`held-out.json`). A run extended with
 * more rounds has a new final policy: it is evaluated again, M_0's figures are kept.
 */
async function evaluateHeldOut(loop: AlignLoop): Promise<RoundMetrics[]> {
  const { s, models } = loop;
  const path = join(loop.outDir, 'held-out.json');
  const done = readDone<RoundMetrics[]>(path);
  if (done?.[1]?.round === s.rounds) return done;
  loop.log(`held-out world ${s.heldOutWorldSeed}: evaluating ${done ? '' : 'the starting and '}the final policy`);
  const heldOut = [
    done?.[0] ?? await evaluateOnTest(models.base(), 0, 'policy-base', s.evalScenes, s.heldOutWorldSeed),
    await evaluateOnTest(models.policy, s.rounds, `round-${s.rounds}`, s.evalScenes, s.heldOutWorldSeed),
  ];
  await writeFileAtomic(path, JSON.stringify(heldOut, null, 2) + '\n');
  return heldOut;
}
