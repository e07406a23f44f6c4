/**
 * `rlaifv align`: RLAIF-V's iterative feedback learning (SPEC §4). Round i: M_{i-1} samples a fresh,
 * disjoint slice of instructions, the labeler (or, with self-feedback, the starting policy M_0; M_{i-1} with selfFeedbackJudge "current") judges the
 * claims, DPO trains from M_{i-1} with pi_ref = M_{i-1}, the best quarter-epoch checkpoint on the
 * validation scenes becomes M_i, and M_i is evaluated on the test split.
 *
 * Folder layout (rerun with the same folder to resume at any stage):
 *   round-0.json                 evaluation of the starting policy
 *   round-<i>/data/              the data engine's run (store, pairs, JSONL records, summary)
 *   round-<i>/dpo/               DPO checkpoints, reference log-probs, state
 *   round-<i>/model/             M_i
 *   round-<i>/round.json         the round's entry of metrics.json (written last: its presence = done)
 *   settings.json                what made the folder (settings with defaults resolved, model fingerprints): a rerun under others is refused
 *   metrics.json, report.html
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { evaluateWorld, type WorldEvalResult } from '../eval/world-bench.ts';
import { loadCheckpoint, saveCheckpoint, type EmbeddedModel } from '../model/index.ts';
import { checkpointId, openCheckpoint } from '../model/open.ts';
import { trainDpo } from '../dpo/index.ts';
import { DpoSettingsSchema } from '../dpo/settings.ts';
import { validationEval } from '../dpo/validate.ts';
import { parseDataEngineConfig, mergeConfig, runDataEngine } from '../pipeline/index.ts';
import { formatRoundsTable, writeReport } from '../report/index.ts';
import { openStore } from '../store/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { createWorld, WorldOracle } from '../world/index.ts';
import { coverageGuardedValidator, toRoundEval, validationScenes, type RoundEval } from './evaluate.ts';
import { checkResumable } from './resume.ts';
import { roundSamples, type Sample } from './samples.ts';
import { parseAlignSettings, type AlignSettings, type AlignSettingsInput } from './settings.ts';

export interface RoundEntry extends RoundEval {
  pairs?: number;
  pairPrecision?: number | null;
  /** Pair precision among pairs not tied on hallucinated objects. */
  pairPrecisionDecisive?: number | null;
  /** Pairs ordered as exact (world-truth) feedback would order them. */
  pairTruthAgreement?: number | null;
  claimAccuracy?: number | null;
  data?: Record<string, unknown>;
  dpo?: { steps: Array<Record<string, number>>; best: { checkpoint: string; step: number; valScore: number } };
  seconds?: number;
}

export interface AlignMetrics {
  rounds: RoundEntry[];
  heldOut: RoundEntry[];
  heldOutWorldSeed: number;
  worldSeed: number;
  selfFeedback: boolean;
  samples: Sample[];
  settings: AlignSettings;
}

export interface AlignHooks {
  log?: (line: string) => void;
  /** Where the data engine's progress lines go. */
  progressStream?: { write(s: string): unknown; isTTY?: boolean };
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

export async function runAlign(input: AlignSettingsInput, outDir: string, hooks: AlignHooks = {}): Promise<AlignMetrics> {
  const s = parseAlignSettings(input);
  const log = hooks.log ?? (() => {});
  await initEngine();
  mkdirSync(outDir, { recursive: true });
  const env = loadSettings();
  const policyDir = s.policy ?? shippedModel(env, 'policy-base');
  const labelerDir = s.labeler ?? shippedModel(env, 'labeler');
  const oracle = s.ablation === 'oracle-feedback' ? worldOracle(s) : undefined;
  const labeler = s.selfFeedback || oracle ? undefined : await openCheckpoint(labelerDir, 'labeler');
  const store = openStore(join(outDir, 'align.sqlite'));
  const evalOn = (model: EmbeddedModel, worldSeed: number) => evaluateWorld(model, { split: 'test', limit: s.evalScenes, worldSeed });

  const start = await openCheckpoint(policyDir, 'policy-base');
  let policy = start.backend;
  // Identities of the models that never change during a run, computed once (as `generate` computes them).
  const ids = { policy: start.id, labeler: oracle ? oracle.name : labeler?.id ?? null };
  // Everything that decides the rounds' results, defaults resolved, so that a changed default is caught too.
  await checkResumable(outDir, { align: s, data: roundDataConfig(s, 1), dpo: DpoSettingsSchema.parse(s.dpo), models: ids });
  const round0Path = join(outDir, 'round-0.json');
  let round0 = readJson<RoundEntry>(round0Path);
  if (!round0) {
    log(`round 0: evaluating the starting policy on ${s.evalScenes} test scenes`);
    round0 = toRoundEval(0, 'policy-base', await evalOn(policy, s.worldSeed));
    await writeFileAtomic(round0Path, JSON.stringify(round0, null, 2) + '\n');
  }
  const rounds: RoundEntry[] = [round0];
  /** A copy of M_0 beside the trained policy, loaded once when first needed: the no-iteration sampler, the self-feedback judge, the coverage and held-out references. */
  let m0: EmbeddedModel | undefined;
  const base = () => (m0 ??= loadCheckpoint(policyDir, 'policy-base'));
  /** M_0's figures on the current validation scenes, the coverage guard's reference (coverageReference base); measured when the scenes change. */
  let baseReference: { offset: number; result: WorldEvalResult } | undefined;
  const samples: Sample[] = [];

  for (let i = 1; i <= s.rounds; i++) {
    const dir = join(outDir, `round-${i}`);
    const donePath = join(dir, 'round.json');
    const done = readJson<RoundEntry & { samples: Sample[] }>(donePath);
    if (done) {
      policy.dispose();
      policy = loadCheckpoint(join(dir, 'model'), `round-${i}`);
      const { samples: roundSamplesDone, ...entry } = done;
      rounds.push(entry);
      samples.push(...roundSamplesDone);
      log(`round ${i}: already done`);
      continue;
    }
    const t0 = performance.now();
    const from = s.ablation === 'no-iteration' ? 'M_0 (no-iteration ablation)' : `M_${i - 1}`;
    log(`round ${i}: sampling ${s.instructionsPerRound} instructions x candidates from ${from}`);
    const config = roundDataConfig(s, i);
    // Without iteration (ablation), every round's data comes from M_0; DPO still starts from M_{i-1}.
    const sampler = s.ablation === 'no-iteration' ? base() : policy;
    const policyId = sampler === m0 ? ids.policy : await checkpointId(sampler);
    // Self-feedback judged by M_0 throughout: to the data engine M_0 is then a labeler like any other.
    const judge = oracle ?? labeler?.backend ?? (judgedByBase(s, i) ? base() : sampler);
    const data = await runDataEngine(config, {
      policy: sampler, labeler: judge, outDir: join(dir, 'data'), progress: hooks.progressStream, keepPairs: true,
      modelIds: { policy: policyId, labeler: ids.labeler ?? (judge === sampler ? policyId : ids.policy) },
    });
    const sum = data.summary;
    log(`round ${i}: ${sum.pairs} pairs (pair precision ${fmt(sum.pairPrecision)}, claim accuracy ${fmt(sum.claimAccuracy)})`);

    const scenes = validationScenes(i, s.valScenes, s.validationSlices, s.worldSeed);
    if (s.coverageReference === 'base' && baseReference?.offset !== scenes.offset) {
      baseReference = { offset: scenes.offset, result: await validationEval(i === 1 ? policy : base(), scenes) };
    }
    const reference = s.coverageReference === 'base' ? baseReference!.result : await validationEval(policy, scenes);
    log(`round ${i}: coverage guard: validation coverage of M_${s.coverageReference === 'base' ? 0 : i - 1} on val scenes ${scenes.offset}..${scenes.offset + scenes.limit - 1} is ${reference.coverage.toFixed(3)}; checkpoints below 95% of it are penalised`);
    if (data.pairs.length === 0) log(`round ${i}: no preference pairs, so M_${i} = M_${i - 1}`);
    const result = data.pairs.length === 0 ? undefined : await trainDpo({
      policy, pairs: data.pairs, settings: s.dpo, outDir: join(dir, 'dpo'), store, runName: `dpo/round-${i}`,
      validate: coverageGuardedValidator(scenes, s.coverageWeight, reference, log),
      progress: log,
    });
    await saveCheckpoint(policy, join(dir, 'model'), { round: i, parent: i === 1 ? policyDir : `round-${i - 1}`, best: result?.best ?? null });
    policy.dispose();
    policy = loadCheckpoint(join(dir, 'model'), `round-${i}`);
    if (result) log(`round ${i}: best checkpoint ${result.best.dir} (step ${result.best.step}); evaluating on ${s.evalScenes} test scenes`);
    const entry: RoundEntry = {
      ...toRoundEval(i, `round-${i}`, await evalOn(policy, s.worldSeed)),
      pairs: sum.pairs,
      pairPrecision: sum.pairPrecision,
      pairPrecisionDecisive: sum.pairPrecisionDecisive,
      pairTruthAgreement: sum.pairTruthAgreement,
      claimAccuracy: sum.claimAccuracy,
      data: {
        instructions: sum.instructions, candidates: sum.candidates, claims: sum.claims, questions: sum.questions,
        pairsBeforeFilters: sum.pairFilters.afterScoreDiff, pairsAfterSampling: sum.pairFilters.afterSampling,
        pairsAfterLengthBalance: sum.pairFilters.afterLengthBalance, labelerYesRate: sum.labelerYesRate,
        lengthRatio: sum.lengthBalance?.ratio ?? null, seconds: sum.run.seconds,
      },
      ...(result && {
        dpo: {
          steps: result.history.map((h) => ({ ...h })),
          best: { checkpoint: result.best.dir.split('/').pop()!, step: result.best.step, valScore: result.best.score },
        },
      }),
      seconds: (performance.now() - t0) / 1000,
    };
    const picked = roundSamples(i, join(dir, 'data'), data.pairs, s.samplesPerRound);
    await writeFileAtomic(donePath, JSON.stringify({ ...entry, samples: picked }) + '\n');
    rounds.push(entry);
    samples.push(...picked);
    log(formatRoundsTable({ rounds } as never));
  }

  const heldOutPath = join(outDir, 'held-out.json');
  let heldOut = readJson<RoundEntry[]>(heldOutPath);
  if (!heldOut) {
    log(`held-out world ${s.heldOutWorldSeed}: evaluating the starting and the final policy`);
    heldOut = [toRoundEval(0, 'policy-base', await evalOn(base(), s.heldOutWorldSeed)), toRoundEval(s.rounds, `round-${s.rounds}`, await evalOn(policy, s.heldOutWorldSeed))];
    await writeFileAtomic(heldOutPath, JSON.stringify(heldOut, null, 2) + '\n');
  }
  const metrics: AlignMetrics = { rounds, heldOut, heldOutWorldSeed: s.heldOutWorldSeed, worldSeed: s.worldSeed, selfFeedback: s.selfFeedback, samples, settings: s };
  await writeReport(outDir, metrics as never);
  store.close();
  policy.dispose();
  await labeler?.close();
  m0?.dispose();
  return metrics;
}

/** The data engine's configuration of round `i`: the user's `data` overrides, the ablation's, and the round's slice of instructions. */
function roundDataConfig(s: AlignSettings, i: number) {
  return parseDataEngineConfig(mergeConfig({
    ...s.data,
    ...ablationOverrides(s),
    input: { ...(s.data.input as object | undefined), source: 'world', worldSeed: s.worldSeed, split: 'train', offset: (i - 1) * s.instructionsPerRound, count: s.instructionsPerRound },
    label: { ...(s.data.label as object | undefined), selfFeedback: s.selfFeedback && !judgedByBase(s, i) },
  }, {}), `align settings 'data' (round ${i})`);
}

/** Self-feedback where M_0, not the round's sampler, judges round i's claims (in round 1, and without iteration, they are one model). */
function judgedByBase(s: AlignSettings, i: number): boolean {
  return s.selfFeedback && s.selfFeedbackJudge === 'base' && i > 1 && s.ablation !== 'no-iteration';
}

/** The exact-truth labeler, knowing every train scene the rounds draw instructions from. */
function worldOracle(s: AlignSettings): WorldOracle {
  const world = createWorld({ worldSeed: s.worldSeed });
  return new WorldOracle(Array.from({ length: s.rounds * s.instructionsPerRound }, (_, k) => world.scene('train', k)));
}

/** Data-engine settings that switch off one part of the method (SPEC §6 ablations). */
function ablationOverrides(s: AlignSettings): Record<string, unknown> {
  switch (s.ablation) {
    case 'no-deconfounding':
      return { sampling: { ...(s.data.sampling as object | undefined), mixed: [{ temperature: 0.4, topP: 1 }, { temperature: 0.7, topP: 0.9 }, { temperature: 1, topP: 1 }, { temperature: 1.3, topP: 1 }] } };
    case 'no-divide':
      return { divide: { ...(s.data.divide as object | undefined), method: 'whole' } };
    default:
      return {};
  }
}

function fmt(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}
