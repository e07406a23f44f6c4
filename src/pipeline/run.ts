/**
 * The RLAIF-V data engine (docs/method.md §1-3), one stage per folder beside this file:
 *   instructions -> sample (deconfounded candidates) -> divide (claims) -> questions (yes/no)
 *   -> label (the labeler's verdicts) -> pairs (scores, preference pairs) -> outputs (datasets).
 *
 * The instructions go through every stage `chunkSize` at a time, so memory does not grow with the
 * input. Every model call goes through the run store at `outDir/run.sqlite`, keyed by model,
 * settings and input, so a killed run resumes without re-sending finished requests, and a finished
 * run run again rebuilds its outputs from the store without calling any model. Outputs are streamed
 * to `.partial` files and renamed into place at the end, in a fixed order: a resumed run leaves the
 * same bytes as an uninterrupted one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isYesNoJudge, type ChatModel, type Sampler, type YesNoJudge } from '../backend/types.ts';
import { countRecords } from '../inputs/index.ts';
import { ProgressReporter, type ProgressStream } from '../progress/index.ts';
import { openStore, type RunStore } from '../store/index.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { RlaifvError } from '../util/errors.ts';
import type { DataEngineConfig } from './config.ts';
import type { ChatRole } from './divide/stage.ts';
import { divideCandidates } from './divide/stage.ts';
import { chunkImages } from './instructions/chunk-images.ts';
import { instructionChunks, type InstructionSet, type SkippedRecord } from './instructions/instructions.ts';
import type { InputSettings } from './instructions/settings.ts';
import type { HumanVerdicts } from './label/human-verdicts.ts';
import { readPeopleFeedback } from './label/people-feedback.ts';
import { labelClaims, withHumanVerdicts } from './label/stage.ts';
import { OUTPUT_FILES, RunOutputs, type EnginePair } from './outputs/outputs.ts';
import { verdictLines, type RunData, type VerdictLine } from './outputs/records.ts';
import { addChunkTotals, buildSummary, emptyTotals, mergeStageStats, printSummary, type DataEngineSummary, type RunTotals } from './outputs/summary.ts';
import type { SampledPair } from './pairs/decide.ts';
import { samplePairs, scoreCandidates, type PairingCandidate } from './pairs/stage.ts';
import type { PairDecision } from './pairs/types.ts';
import { convertClaims } from './questions/stage.ts';
import { generateCandidates, type SkippedInstruction } from './sample/stage.ts';
import type { ProgressEvent, StageContext, StageStats } from './stage.ts';

export interface DataEngineDeps {
  /** The current policy M_i: it samples the candidates (and, with `label.selfFeedback`, judges them: then it must be a YesNoJudge too). */
  policy: Sampler;
  /** The labeler MLLM; not needed (and ignored) with `label.selfFeedback`, where the policy labels. */
  labeler?: YesNoJudge;
  /** The text LLM for divide/convert when their method is 'llm'. */
  chat?: ChatModel;
  outDir: string;
  /** Where progress lines and the closing summary go (e.g. process.stderr); default: silent. */
  progress?: ProgressStream;
  /**
   * What identifies each model in cache keys; default its `name`. Pass a weights fingerprint when
   * a name can stand for different weights (a checkpoint folder retrained in place).
   */
  modelIds?: { policy?: string; labeler?: string; chat?: string };
  /** Called after each stored batch of a model stage. */
  onProgress?: (event: ProgressEvent) => void;
  /** Recorded with each invocation in the run store. */
  version?: string;
  /** Return the kept pairs with their pixels in the result (the align loop trains on them); off, `pairs` is empty and memory stays flat. */
  keepPairs?: boolean;
}

export interface DataEngineResult {
  outDir: string;
  /** Paths written, by kind (`parquet`, `trl`, `candidates`, ..., `summary`). */
  files: Partial<Record<keyof typeof OUTPUT_FILES, string>>;
  summary: DataEngineSummary;
  /** With `deps.keepPairs`, the kept pairs with their images, ready for DPO (`DpoPair` fields included); else empty. */
  pairs: EnginePair[];
}

/**
 * Run (or resume, or replay) the data engine.
 * @example
 * const config = parseDataEngineConfig({ input: { count: 50 }, sampling: { n: 4 } });
 * const { summary, pairs } = await runDataEngine(config, { policy, labeler, outDir: 'runs/iter1', progress: process.stderr });
 */
export async function runDataEngine(config: DataEngineConfig, deps: DataEngineDeps): Promise<DataEngineResult> {
  const started = performance.now();
  const roles = modelRoles(config, deps);
  mkdirSync(deps.outDir, { recursive: true });
  const store = openStore(join(deps.outDir, OUTPUT_FILES.store));
  const runId = store.startRun({ config, version: deps.version ?? 'unknown' });
  const run: EngineRun = { config, deps, roles, store, stats: [], pending: [], human: new Map(), outputs: undefined };
  try {
    // People's feedback from `rlaifv audit` (their majority verdicts override the labeler's; their
    // corrections and pair judgements make pairs); read once, before any output changes.
    const people = readPeopleFeedback(deps.outDir);
    run.human = people.verdicts;
    run.outputs = await RunOutputs.open(deps.outDir, { generator: roles.policyId, labeler: roles.labelerId }, people);
    const totals = await runChunks(run);
    const result = await finishOutputs(run, run.outputs, totals, started);
    store.finishRun(runId, 'ok');
    return result;
  } catch (err) {
    // Chunks still running use the store: let them settle before it closes.
    await Promise.allSettled(run.pending);
    await run.outputs?.abort();
    store.finishRun(runId, 'failed');
    throw err;
  } finally {
    store.close();
  }
}

/** Which model plays which role, and the identity each is cached under. */
interface Roles {
  policy: Sampler;
  policyId: string;
  /** With self-feedback, the policy. */
  labeler: YesNoJudge;
  labelerId: string;
  /** Only when a stage's method is 'llm'. */
  chat: ChatRole | undefined;
}

/** What a run holds while its chunks go through the stages. */
interface EngineRun {
  config: DataEngineConfig;
  deps: DataEngineDeps;
  roles: Roles;
  store: RunStore;
  human: HumanVerdicts;
  outputs: RunOutputs | undefined;
  /** Each stage of each chunk appends its stats here. */
  stats: StageStats[];
  /** Chunks whose stages are running, oldest first. */
  pending: Array<Promise<ChunkResult>>;
}

/** What a chunk's model stages leave for the outputs. */
interface ChunkResult {
  data: RunData;
  verdicts: VerdictLine[];
  sampled: Array<SampledPair<PairingCandidate>>;
  decisions: PairDecision[];
}

function modelRoles(config: DataEngineConfig, deps: DataEngineDeps): Roles {
  const { policy } = deps;
  const selfFeedback = config.label.selfFeedback;
  const labeler = !selfFeedback ? deps.labeler : isYesNoJudge(policy) ? policy : undefined;
  if (!labeler && selfFeedback) throw new Error(`runDataEngine: with label.selfFeedback the policy labels its own candidates, but '${policy.name}' cannot answer yes/no questions`);
  if (!labeler) throw new Error('runDataEngine: no labeler given; pass deps.labeler, or set label.selfFeedback to let the policy label its own candidates');
  const policyId = deps.modelIds?.policy ?? policy.name;
  const usesLlm = config.divide.method === 'llm' || config.questions.method === 'llm';
  return {
    policy, policyId, labeler,
    labelerId: selfFeedback ? policyId : deps.modelIds?.labeler ?? labeler.name,
    chat: usesLlm && deps.chat ? { model: deps.chat, id: deps.modelIds?.chat ?? deps.chat.name } : undefined,
  };
}

/**
 * Every chunk through the stages, appended to the outputs in chunk order. The next chunk starts
 * once this one's candidates are in: the policy samples chunk k+1 while the labeler judges chunk k,
 * instead of both chunks asking the same server at once.
 */
async function runChunks(run: EngineRun): Promise<RunTotals> {
  const { config, deps } = run;
  const totals = emptyTotals(config.input.source === 'world');
  const total = await instructionTotal(config.input);
  // A run of several chunks shows one line for the whole run; per-stage bars of chunks that
  // overlap would draw over each other.
  const several = total === undefined || total > config.chunkSize;
  const overall = several && deps.progress ? new ProgressReporter('instructions', total, { stream: deps.progress, unit: 'instr' }) : undefined;
  const sampledPerChunk: number[] = [];
  const commit = async (r: ChunkResult) => {
    await run.outputs!.addChunk(r.data, r.verdicts, r.sampled, r.decisions);
    addChunkTotals(totals, r.data, r.verdicts, r.decisions);
  };

  let k = 0;
  let failed = false;
  let firstSkip: string | undefined;
  // Records whose image cannot be read or that repeat an earlier one, and instructions whose prompt does not fit the policy.
  const skip = (s: { id?: string; where: string; reason: string; kind?: SkippedRecord['kind'] }) => {
    const what = `instruction ${s.id ?? ''} (${s.where}): ${s.reason}`;
    firstSkip ??= what;
    if (overall) overall.log(`skipped ${what}`);
    else deps.progress?.write(`skipped ${what}\n`);
    if (s.kind === 'repeat') totals.repeatedInstructions++;
    else totals.skippedInstructions++;
  };
  for await (const set of instructionChunks(config.input, config.chunkSize)) {
    set.skipped.forEach(skip);
    if (set.instructions.length === 0) continue;
    const chunk = k++;
    sampledPerChunk[chunk] = 0;
    const ctx: StageContext = {
      store: run.store, images: chunkImages(set.instructions), batchSize: config.batchSize, inFlight: config.inFlight,
      stream: several ? undefined : deps.progress, stats: run.stats,
      onProgress: (e) => {
        if (overall && e.stage === 'generate') {
          sampledPerChunk[chunk] = e.done;
          overall.update(sampledPerChunk.reduce((a, b) => a + b, 0));
        }
        deps.onProgress?.(e);
      },
    };
    let sampledAll!: () => void;
    const sampled = new Promise<void>((resolve) => { sampledAll = resolve; });
    const running = chunkStages(run, set, ctx, sampledAll, skip);
    // Awaited in order below; meanwhile a failure is noted (not left unhandled) and stops new chunks.
    running.catch(() => { failed = true; }).finally(sampledAll);
    run.pending.push(running);
    await sampled;
    if (failed) break;
    while (run.pending.length >= config.chunksInFlight) await commit(await run.pending.shift()!);
  }
  while (run.pending.length > 0) await commit(await run.pending.shift()!);
  overall?.finish();
  if (totals.instructions === 0) {
    const why = firstSkip === undefined ? '' : `; the first: ${firstSkip}`;
    throw new RlaifvError(`no instructions to work on: ${config.input.source} gave none (offset ${config.input.offset}, ${totals.skippedInstructions} skipped, ${totals.repeatedInstructions} repeats${why})`);
  }
  return totals;
}

/** The stages of one chunk, up to its sampled pairs; `sampledAll` is called once its candidates are in, `skip` for each instruction left out. */
async function chunkStages(
  run: EngineRun, set: InstructionSet, ctx: StageContext, sampledAll: () => void, skip: (s: SkippedInstruction) => void,
): Promise<ChunkResult> {
  const { config, roles } = run;
  const { instructions, candidates, skipped } = await generateCandidates(ctx, roles.policy, roles.policyId, set.instructions, config.sampling);
  sampledAll();
  skipped.forEach(skip);
  const flat = candidates.flat();
  const divisions = await divideCandidates(ctx, config.divide, config.sampling.seed, instructions, flat, roles.chat);
  const conversions = await convertClaims(ctx, config.questions, config.sampling.seed, flat, divisions, roles.chat);
  const answers = await labelClaims(ctx, roles.labeler, roles.labelerId, instructions, flat, conversions);
  const labels = withHumanVerdicts(answers, flat, conversions, run.human);
  const scores = scoreCandidates(divisions, conversions.map((c) => c.questions), labels, config.pairs.duplicateQuestions);
  const data: RunData = { instructions, candidates, flat, divisions, conversions, labels, scores };
  return { data, verdicts: verdictLines(data), ...samplePairs(instructions, candidates, regroup(scores, candidates), config.pairs) };
}

/** The run-wide pair filters, the datasets and summary.json. */
async function finishOutputs(run: EngineRun, outputs: RunOutputs, totals: RunTotals, started: number): Promise<DataEngineResult> {
  const { config, deps, roles } = run;
  const { files, pairs, totals: pairTotals } = await outputs.finish(config.pairs, config.export, { keepPairs: deps.keepPairs ?? false, fromWorld: totals.fromWorld });
  const models = { policy: roles.policyId, labeler: roles.labelerId, llm: roles.chat?.id ?? null, selfFeedback: config.label.selfFeedback };
  const summary = buildSummary(config, totals, pairTotals, models, mergeStageStats(run.stats), (performance.now() - started) / 1000);
  files.summary = join(deps.outDir, OUTPUT_FILES.summary);
  await writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  run.store.markDone('data-engine', 0, { instructions: summary.instructions, candidates: summary.candidates, pairs: summary.pairs });
  if (deps.progress) printSummary(summary, deps.progress);
  return { outDir: deps.outDir, files, summary, pairs };
}

/** Instructions the run will take (records, for a file: skipped ones included), for the ETA; undefined when the file cannot be counted (the reader then says why). */
async function instructionTotal(input: InputSettings): Promise<number | undefined> {
  if (input.source === 'world') return input.count;
  try {
    return Math.max(0, (await countRecords(input.source, { limit: input.offset + input.count })) - input.offset);
  } catch {
    return undefined;
  }
}

/** Flat per-candidate values back into per-instruction lists shaped like `shape`. */
function regroup<T>(flat: readonly T[], shape: ReadonlyArray<readonly unknown[]>): T[][] {
  let at = 0;
  return shape.map((row) => {
    const out = flat.slice(at, at + row.length);
    at += row.length;
    return out;
  });
}
