/**
 * One round of the loop (docs/method.md §4), as named steps: the data engine samples and labels, the
 * coverage guard takes its reference, DPO trains, the best checkpoint is promoted to M_i, M_i is
 * evaluated, and the round is recorded. `round-<i>/round.json` is written last: its presence
 * means the round is done, and a rerun reads it back instead of running the round again.
 */
import { join } from 'node:path';
import type { WorldEvalResult } from '../eval/world-bench.ts';
import type { EmbeddedModel } from '../model/index.ts';
import { trainDpo, type DpoResult } from '../dpo/index.ts';
import { validationEval, type ValidationScenes } from '../dpo/validate.ts';
import { runDataEngine, type DataEngineResult, type DataEngineSummary } from '../pipeline/index.ts';
import type { DataStats, PairSample, RoundMetrics } from '../report/index.ts';
import type { WorldOracle } from '../world/index.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { benchmarkRound } from './bench-eval.ts';
import { coverageGuardedValidator, evaluateOnTest, validationScenes } from './evaluate.ts';
import { readDone, type AlignLoop, type RoundRecord } from './loop.ts';
import { roundDataConfig, roundRoles, type RoundRoles } from './round-plan.ts';
import { roundSamples } from './samples.ts';
import { percent } from '../util/format.ts';

export type { RoundRecord } from './loop.ts';

const roundDir = (loop: Pick<AlignLoop, 'outDir'>, i: number) => join(loop.outDir, `round-${i}`);
const donePath = (loop: Pick<AlignLoop, 'outDir'>, i: number) => join(roundDir(loop, i), 'round.json');

/** Round `i` read back from a finished run, with its M_i made the policy; undefined when the round has not finished. */
export function resumeRound(loop: AlignLoop, i: number): RoundRecord | undefined {
  const done = readRound(loop, i);
  if (!done) return undefined;
  loop.models.resumePolicy(join(roundDir(loop, i), 'model'), `round-${i}`);
  const { samples, ...entry } = done;
  loop.log(`round ${i}: already done`);
  return { entry, samples };
}

/** Round `i` from start to finish, M_{i-1} being the policy; afterwards M_i is. */
export async function runRound(loop: AlignLoop, i: number): Promise<RoundRecord> {
  const t0 = performance.now();
  const data = await sampleAndLabel(loop, i);
  const scenes = validationScenes(i, loop.s.valScenes, loop.s.validationSlices, loop.s.worldSeed);
  const reference = await coverageReference(loop, i, scenes);
  const trained = await train(loop, i, data, scenes, reference);
  await loop.models.promote(join(roundDir(loop, i), 'model'), i, trained?.best ?? null);
  const evaluation = await evaluate(loop, i, trained);
  return record(loop, i, roundEntry(evaluation, data.summary, trained, (performance.now() - t0) / 1000), data);
}

/** The data engine: the round's sampler writes candidates for a fresh slice of instructions, the round's judge labels their claims. */
async function sampleAndLabel(loop: AlignLoop, i: number): Promise<DataEngineResult> {
  const { s, models, log } = loop;
  const roles = roundRoles(s, i);
  const from = roles.sampler === 'base' ? `M_0 (${s.ablation} ablation)` : `M_${i - 1}`;
  log(`round ${i}: sampling ${s.instructionsPerRound} instructions x candidates from ${from}`);
  const config = roundDataConfig(s, i);
  // Without iteration (sampler 'base'), every round's data comes from M_0; DPO still starts from M_{i-1}.
  const sampler = roles.sampler === 'base' ? models.base() : models.policy;
  const samplerId = await models.fingerprint(sampler);
  const judge = roundJudge(loop, roles, sampler, samplerId);
  const data = await runDataEngine(config, {
    policy: sampler, labeler: judge.model, outDir: join(roundDir(loop, i), 'data'), progress: loop.progress, keepPairs: true,
    modelIds: { policy: samplerId, labeler: judge.id },
  });
  const sum = data.summary;
  log(`round ${i}: ${sum.pairs} pairs (pair precision ${fmt(sum.pairPrecision)}, claim accuracy ${fmt(sum.claimAccuracy)})`);
  return data;
}

/** The model that judges the round's claims, and its id in the data engine's records. */
function roundJudge(loop: AlignLoop, roles: RoundRoles, sampler: EmbeddedModel, samplerId: string): { model: EmbeddedModel | WorldOracle; id: string } {
  const { models } = loop;
  switch (roles.judge) {
    case 'labeler':
    case 'oracle':
      return { model: models.labeler!, id: models.ids.labeler! };
    // Self-feedback judged by M_0 throughout: to the data engine M_0 is then a labeler like any other.
    case 'base':
      return { model: models.base(), id: models.ids.policy };
    case 'sampler':
      return { model: sampler, id: samplerId };
  }
}

/** The validation figures the coverage guard measures checkpoints against: M_0's (coverageReference 'base') or M_{i-1}'s ('round'). */
async function coverageReference(loop: AlignLoop, i: number, scenes: ValidationScenes): Promise<WorldEvalResult> {
  const { s, models } = loop;
  let reference: WorldEvalResult;
  if (s.coverageReference === 'base') {
    // In round 1 the policy is M_0 itself.
    if (loop.baseReference?.offset !== scenes.offset) loop.baseReference = { offset: scenes.offset, result: await validationEval(i === 1 ? models.policy : models.base(), scenes) };
    reference = loop.baseReference.result;
  } else {
    reference = await validationEval(models.policy, scenes);
  }
  loop.log(`round ${i}: coverage guard: validation coverage of M_${s.coverageReference === 'base' ? 0 : i - 1} on val scenes ${scenes.offset}..${scenes.offset + scenes.limit - 1} is ${reference.coverage.toFixed(3)}; checkpoints below 95% of it are penalised`);
  return reference;
}

/** DPO from M_{i-1} with pi_ref = M_{i-1}, each checkpoint scored on the validation scenes; undefined when the round made no pairs. */
async function train(loop: AlignLoop, i: number, data: DataEngineResult, scenes: ValidationScenes, reference: WorldEvalResult): Promise<DpoResult | undefined> {
  const { s, log } = loop;
  if (data.pairs.length === 0) {
    log(`round ${i}: no preference pairs, so M_${i} = M_${i - 1}`);
    return undefined;
  }
  return trainDpo({
    policy: loop.models.policy, pairs: data.pairs, settings: s.dpo, outDir: join(roundDir(loop, i), 'dpo'), store: loop.store, runName: `dpo/round-${i}`,
    validate: coverageGuardedValidator(scenes, s.coverageWeight, reference, log),
    progress: log,
  });
}

/** M_i on the test scenes. */
async function evaluate(loop: AlignLoop, i: number, trained: DpoResult | undefined): Promise<RoundMetrics> {
  const { s } = loop;
  if (trained) loop.log(`round ${i}: best checkpoint ${trained.best.dir} (step ${trained.best.step}); evaluating on ${s.evalScenes} test scenes`);
  const world = await evaluateOnTest(loop.models.policy, i, `round-${i}`, s.evalScenes, s.worldSeed);
  const id = await loop.models.fingerprint(loop.models.policy);
  const benchmark = await benchmarkRound(s, loop.outDir, i, { backend: loop.models.policy, id, label: `round-${i}` }, loop.log);
  return { ...world, ...(benchmark && { benchmark }) };
}

/** Round `i`'s entry of metrics.json: M_i's evaluation, the feedback's quality and counts, and the training history. */
function roundEntry(evaluation: RoundMetrics, sum: DataEngineSummary, trained: DpoResult | undefined, seconds: number): RoundMetrics {
  return {
    ...dataEntry(evaluation, sum, seconds),
    ...(trained && {
      dpo: {
        steps: trained.history.map((h) => ({ ...h })),
        best: { checkpoint: trained.best.dir.split('/').pop()!, step: trained.best.step, valScore: trained.best.score },
      },
    }),
  };
}

/** A round's entry without its training: M_i's evaluation and the feedback's quality and counts. */
export function dataEntry(evaluation: RoundMetrics, sum: DataEngineSummary, seconds: number): RoundMetrics {
  return {
    ...evaluation,
    pairs: sum.pairs,
    pairPrecision: sum.pairPrecision,
    pairPrecisionDecisive: sum.pairPrecisionDecisive,
    pairTruthAgreement: sum.pairTruthAgreement,
    claimAccuracy: sum.claimAccuracy,
    data: dataStats(sum),
    seconds,
  };
}

function dataStats(sum: DataEngineSummary): DataStats {
  return {
    instructions: sum.instructions, candidates: sum.candidates, claims: sum.claims, questions: sum.questions,
    pairsBeforeFilters: sum.pairFilters.afterScoreDiff, pairsAfterSampling: sum.pairFilters.afterSampling,
    pairsAfterLengthBalance: sum.pairFilters.afterLengthBalance, labelerYesRate: sum.labelerYesRate,
    lengthRatio: sum.lengthBalance?.ratio ?? null, seconds: sum.run.seconds,
  };
}

/** Pick the round's report samples and write `round.json`, the round's done marker (with `extra`, what else a resume needs). */
export async function record(loop: Pick<AlignLoop, 'outDir' | 's'>, i: number, entry: RoundMetrics, data: DataEngineResult, extra: object = {}): Promise<RoundRecord> {
  const samples = roundSamples(i, join(roundDir(loop, i), 'data'), data.pairs, loop.s.samplesPerRound);
  await writeFileAtomic(donePath(loop, i), JSON.stringify({ ...entry, ...extra, samples }) + '\n');
  return { entry, samples };
}

/** Round `i`'s `round.json` as written, or undefined when the round has not finished. */
export function readRound<T extends object = object>(loop: Pick<AlignLoop, 'outDir'>, i: number): (RoundMetrics & T & { samples: PairSample[] }) | undefined {
  return readDone(donePath(loop, i));
}

/** A share for the log line; 'n/a' when it could not be measured. */
function fmt(x: number | null | undefined): string {
  return percent(x, 1, 'n/a');
}
