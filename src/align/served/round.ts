/**
 * One round of the loop on served models (docs/method.md §4, docs/real-models.md): the policy
 * servers sample as M_{i-1}, the labeler judges, the pairs and their reference log-probs (M_{i-1}'s,
 * through the servers) go to the external trainer, every replica is made to serve its result M_i,
 * and M_i is evaluated. Each step leaves files a rerun picks up: the data engine's store, the
 * trainer data, the trainer's done marker, and `round.json` last.
 */
import { join, relative } from 'node:path';
import type { ChatModel, ModelBackend, YesNoJudge } from '../../backend/types.ts';
import { trainWithCommand } from '../../dpo/command-trainer.ts';
import { DpoSettingsSchema } from '../../dpo/settings.ts';
import { readTrainerLog, trainerLogWarnings } from '../../dpo/trainer-logs.ts';
import type { OpenedModel } from '../../model/open.ts';
import { runDataEngine, type DataEngineResult } from '../../pipeline/index.ts';
import type { ProgressStream } from '../../progress/index.ts';
import type { DpoSummary, RoundMetrics } from '../../report/index.ts';
import { percent } from '../../util/format.ts';
import type { WorldOracle } from '../../world/index.ts';
import { benchmarkRound } from '../bench-eval.ts';
import { evaluateOnTest } from '../evaluate.ts';
import { dataEntry, readRound, record, type RoundRecord } from '../round.ts';
import { roundDataConfig, roundRoles } from '../round-plan.ts';
import type { AlignSettings } from '../settings.ts';
import type { ServedModel, ServedPolicy } from './policy.ts';
import { prepareTrainer, trainerCommand } from './trainers.ts';
import { writeTrainerData } from './trainer-data.ts';

export interface ServedLoop {
  s: AlignSettings;
  outDir: string;
  policy: ServedPolicy;
  /** The fixed judge (a server, a checkpoint or the world's truth) and its id; none under self-feedback. */
  labeler?: { model: YesNoJudge | WorldOracle; id: string };
  chat?: ChatModel;
  log: (line: string) => void;
  progress?: ProgressStream;
  /** M_{i-1} while round i runs; M_i once it has. */
  current: ServedModel;
}

/** What round.json keeps beyond the metrics: where M_i is served. */
interface ServedExtra {
  served: ServedModel;
}

const roundDir = (loop: ServedLoop, i: number) => join(loop.outDir, `round-${i}`);

/** Round `i` read back from a finished run, its M_i made the current policy; undefined when it has not finished. */
export function resumeServedRound(loop: ServedLoop, i: number): RoundRecord | undefined {
  const done = readRound<ServedExtra>(loop, i);
  if (!done) return undefined;
  const { samples, served, ...entry } = done;
  loop.current = served;
  loop.log(`round ${i}: already done (M_${i} = ${served.name})`);
  return { entry, samples };
}

/** Round `i` from start to finish. */
export async function runServedRound(loop: ServedLoop, i: number): Promise<RoundRecord> {
  const t0 = performance.now();
  const start = loop.current;
  await loop.policy.ensureServed(start, join(roundDir(loop, i), 'load.log'), loop.log);
  const roles = roundRoles(loop.s, i);
  const sampler = roles.sampler === 'base' ? loop.policy.base : start;
  const opened: Array<OpenedModel<ModelBackend>> = [];
  const open = async (m: ServedModel) => {
    const o = await loop.policy.open(m);
    opened.push(o);
    return o.backend;
  };
  try {
    const samplerBackend = await open(sampler);
    const data = await sampleAndLabel(loop, i, samplerBackend, sampler, roles.judge === 'base' ? await open(loop.policy.base) : undefined);
    let next = start;
    let dpo: DpoSummary | undefined;
    if (data.pairs.length === 0) {
      loop.log(`round ${i}: no preference pairs, so M_${i} = M_${i - 1}`);
    } else {
      // π_ref is the round's starting model M_{i-1}, whoever sampled.
      const reference = sampler === start ? samplerBackend : await open(start);
      ({ next, dpo } = await train(loop, i, data, reference, sampler));
    }
    loop.current = next;
    const evaluation = await evaluate(loop, i, next, next === sampler ? samplerBackend : await open(next));
    return await record(loop, i, { ...dataEntry(evaluation, data.summary, (performance.now() - t0) / 1000), ...(dpo && { dpo }) }, data, { served: next } satisfies ServedExtra);
  } finally {
    for (const o of opened) await o.close();
  }
}

/** The data engine against the servers: `sampler` writes the candidates, the round's judge labels their claims. */
async function sampleAndLabel(loop: ServedLoop, i: number, policy: ModelBackend, sampler: ServedModel, base: ModelBackend | undefined): Promise<DataEngineResult> {
  const { s, log } = loop;
  log(`round ${i}: sampling ${s.instructionsPerRound} instructions x candidates from ${sampler.name}`);
  const labeler = base ? { model: base, id: loop.policy.base.name } : loop.labeler;
  const data = await runDataEngine(roundDataConfig(s, i), {
    policy, ...(labeler && { labeler: labeler.model }), ...(loop.chat && { chat: loop.chat }),
    outDir: join(roundDir(loop, i), 'data'), ...(loop.progress && { progress: loop.progress }), keepPairs: true,
    modelIds: { policy: sampler.name, ...(labeler && { labeler: labeler.id }) },
  });
  const sum = data.summary;
  log(`round ${i}: ${sum.pairs} pairs (pair precision ${percent(sum.pairPrecision, 1, 'n/a')}, claim accuracy ${percent(sum.claimAccuracy, 1, 'n/a')})`);
  return data;
}

/** Reference log-probs, the trainer's dataset, the trainer, and the servers made to serve its result. */
async function train(loop: ServedLoop, i: number, data: DataEngineResult, reference: ModelBackend, sampler: ServedModel): Promise<{ next: ServedModel; dpo: DpoSummary }> {
  const { s, log } = loop;
  const dir = roundDir(loop, i);
  const start = loop.current;
  log(`round ${i}: reference log-probs of ${data.pairs.length} pairs under ${start.name}`);
  const trainerData = await writeTrainerData(join(dir, 'trainer-data'), data.pairs, reference,
    { generator: sampler.name, labeler: loop.labeler?.id ?? sampler.name }, { batchSize: s.served.referenceBatchSize });
  await prepareTrainer(s, loop.outDir);
  const { beta, lr } = DpoSettingsSchema.parse(s.dpo);
  const trained = await trainWithCommand(trainerCommand(s, loop.outDir, i), {
    dataset: trainerData.dir, refLogps: trainerData.refLogps, baseModel: start.path, outputDir: join(dir, 'model'), round: i, beta, lr,
  }, { progress: log });
  const next: ServedModel = { round: i, name: loop.policy.nameOf(i, trained.path), path: trained.path };
  await loop.policy.load(next, join(dir, 'load.log'), log);
  return { next, dpo: trainerSummary(loop, i, trained.path) };
}

/** The trainer's own per-step log, and a warning in the round's summary for each known failure signature. */
function trainerSummary(loop: ServedLoop, i: number, outputDir: string): DpoSummary {
  const found = readTrainerLog(outputDir);
  if (!found) {
    loop.log(`round ${i}: the trainer left no trainer_state.json or trainer_log.jsonl in ${outputDir}; no training curves for this round`);
    return { steps: [] };
  }
  const warnings = trainerLogWarnings(found.steps);
  for (const w of warnings) loop.log(`round ${i}: warning: ${w}`);
  return { steps: found.steps, warnings, source: relative(outputDir, found.source), ...(found.best && { best: found.best }) };
}

/**
 * M_i as the servers answer under its name: on the world's test scenes (eval 'world', the default),
 * or on the settings' benchmark (a real model cannot describe the world), or not at all ('none').
 */
export async function evaluate(loop: ServedLoop, i: number, model: ServedModel, backend: ModelBackend, worldSeed = loop.s.worldSeed): Promise<RoundMetrics> {
  const { s } = loop;
  if ((s.eval ?? 'world') === 'world') {
    loop.log(`round ${i}: evaluating ${model.name} on ${s.evalScenes} test scenes of world ${worldSeed}`);
    return evaluateOnTest(backend, i, model.name, s.evalScenes, worldSeed);
  }
  const benchmark = await benchmarkRound(s, loop.outDir, i, { backend, id: model.name, label: model.name }, loop.log);
  return { round: i, model: model.name, ...(benchmark && { benchmark }) };
}
