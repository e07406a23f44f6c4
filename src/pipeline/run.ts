/**
 * The RLAIF-V data engine (SPEC §1-3): instructions -> deconfounded candidates -> claims ->
 * yes/no questions -> labeler verdicts -> scores -> preference pairs -> datasets.
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
import { writeFileAtomic } from '../util/atomic.ts';
import { countRecords } from '../inputs/index.ts';
import type { SampledPair } from './pairs/decide.ts';
import type { PairDecision } from './pairs/types.ts';
import { ProgressReporter, type ProgressStream } from '../progress/index.ts';
import { openStore } from '../store/index.ts';
import type { DataEngineConfig } from './config.ts';
import { convertClaims } from './questions/stage.ts';
import { divideCandidates } from './divide/stage.ts';
import { OUTPUT_FILES, RunOutputs, type EnginePair } from './outputs/outputs.ts';
import { generateCandidates } from './sample/stage.ts';
import { instructionChunks, type InstructionSet } from './instructions/instructions.ts';
import { labelClaims, withHumanVerdicts } from './label/stage.ts';
import { readHumanVerdicts } from './label/human-verdicts.ts';
import { verdictLines, type RunData, type VerdictLine } from './outputs/records.ts';
import { samplePairs, scoreCandidates, type PairingCandidate } from './pairs/stage.ts';
import type { ProgressEvent, StageContext, StageStats } from './stage.ts';
import { addChunkTotals, buildSummary, emptyTotals, mergeStageStats, printSummary, type DataEngineSummary } from './outputs/summary.ts';

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
  const { policy, outDir } = deps;
  const selfFeedback = config.label.selfFeedback;
  const labeler = !selfFeedback ? deps.labeler : isYesNoJudge(policy) ? policy : undefined;
  if (!labeler && selfFeedback) throw new Error(`runDataEngine: with label.selfFeedback the policy labels its own candidates, but '${policy.name}' cannot answer yes/no questions`);
  if (!labeler) throw new Error('runDataEngine: no labeler given; pass deps.labeler, or set label.selfFeedback to let the policy label its own candidates');
  const policyId = deps.modelIds?.policy ?? policy.name;
  const labelerId = selfFeedback ? policyId : deps.modelIds?.labeler ?? labeler.name;
  const usesLlm = config.divide.method === 'llm' || config.questions.method === 'llm';
  const chat = usesLlm && deps.chat ? { model: deps.chat, id: deps.modelIds?.chat ?? deps.chat.name } : undefined;

  mkdirSync(outDir, { recursive: true });
  const store = openStore(join(outDir, OUTPUT_FILES.store));
  const runId = store.startRun({ config, version: deps.version ?? 'unknown' });
  // A person's verdicts from `rlaifv audit` override the labeler's; read once, before any output changes.
  const human = readHumanVerdicts(outDir);
  const stats: StageStats[] = [];
  const fromWorld = config.input.source === 'world';
  let outputs: RunOutputs | undefined;
  const pending: Array<Promise<ChunkResult>> = [];
  try {
    outputs = await RunOutputs.open(outDir, { generator: policyId, labeler: labelerId });
    const totals = emptyTotals(fromWorld);
    const total = await instructionTotal(config.input);
    // A run of several chunks shows one line for the whole run; per-stage bars of chunks that
    // overlap would draw over each other.
    const several = total === undefined || total > config.chunkSize;
    const overall = several && deps.progress ? new ProgressReporter('instructions', total, { stream: deps.progress, unit: 'instr' }) : undefined;
    const sampledPerChunk: number[] = [];
    const base: StageContext = { store, batchSize: config.batchSize, inFlight: config.inFlight, stream: several ? undefined : deps.progress, onProgress: undefined, stats };

    /** The model stages of one chunk, up to its pairs; runs beside the next chunk's. */
    const runChunk = async (set: InstructionSet, k: number, sampledAll: () => void): Promise<ChunkResult> => {
      sampledPerChunk[k] = 0;
      const ctx: StageContext = {
        ...base,
        onProgress: (e) => {
          if (overall && e.stage === 'generate') {
            sampledPerChunk[k] = e.done;
            overall.update(sampledPerChunk.reduce((a, b) => a + b, 0));
          }
          deps.onProgress?.(e);
        },
      };
      const candidates = await generateCandidates(ctx, policy, policyId, set.instructions, config.sampling);
      sampledAll();
      const flat = candidates.flat();
      const divisions = await divideCandidates(ctx, config, set.instructions, flat, chat);
      const conversions = await convertClaims(ctx, config, flat, divisions, chat);
      const labels = withHumanVerdicts(await labelClaims(ctx, labeler, labelerId, set.instructions, flat, conversions), flat, conversions, human);
      const scores = scoreCandidates(divisions, labels);
      const data: RunData = { instructions: set.instructions, candidates, flat, divisions, conversions, labels, scores };
      const verdicts = verdictLines(data);
      return { data, verdicts, ...samplePairs(set.instructions, candidates, regroup(scores, candidates), config.pairs) };
    };
    /** Append a finished chunk to the outputs, in chunk order. */
    const commit = async (r: ChunkResult) => {
      await outputs!.addChunk(r.data, r.verdicts, r.sampled, r.decisions);
      addChunkTotals(totals, r.data, r.verdicts, r.decisions);
    };

    let k = 0;
    let failed = false;
    for await (const set of instructionChunks(config.input, config.chunkSize)) {
      for (const s of set.skipped) {
        const line = `skipped instruction ${s.id ?? ''} (${s.where}): ${s.reason}`;
        if (overall) overall.log(line);
        else deps.progress?.write(`${line}\n`);
      }
      totals.skippedInstructions += set.skipped.length;
      if (set.instructions.length === 0) continue;
      // The next chunk starts once this one's candidates are in: the policy samples chunk k+1
      // while the labeler judges chunk k, instead of both chunks asking the same server at once.
      let sampledAll!: () => void;
      const sampled = new Promise<void>((resolve) => { sampledAll = resolve; });
      const running = runChunk(set, k++, sampledAll);
      // Awaited in order below; meanwhile a failure is noted (not left unhandled) and stops new chunks.
      running.catch(() => { failed = true; }).finally(sampledAll);
      pending.push(running);
      await sampled;
      if (failed) break;
      while (pending.length >= config.chunksInFlight) await commit(await pending.shift()!);
    }
    while (pending.length > 0) await commit(await pending.shift()!);
    overall?.finish();
    if (totals.instructions === 0) {
      throw new Error(`no instructions to work on: ${config.input.source} gave none (offset ${config.input.offset}, ${totals.skippedInstructions} skipped)`);
    }

    const { files, pairs, totals: pairTotals } = await outputs.finish(config, { keepPairs: deps.keepPairs ?? false, fromWorld });
    const models = { policy: policyId, labeler: labelerId, llm: chat?.id ?? null, selfFeedback };
    const summary = buildSummary(config, totals, pairTotals, models, mergeStageStats(stats), (performance.now() - started) / 1000);
    files.summary = join(outDir, OUTPUT_FILES.summary);
    await writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    store.markDone('data-engine', 0, { instructions: summary.instructions, candidates: summary.candidates, pairs: summary.pairs });
    store.finishRun(runId, 'ok');
    if (deps.progress) printSummary(summary, deps.progress);
    return { outDir, files, summary, pairs };
  } catch (err) {
    // Chunks still running use the store: let them settle before it closes.
    await Promise.allSettled(pending);
    await outputs?.abort();
    store.finishRun(runId, 'failed');
    throw err;
  } finally {
    store.close();
  }
}

/** What a chunk's model stages leave for the outputs. */
interface ChunkResult {
  data: RunData;
  verdicts: VerdictLine[];
  sampled: Array<SampledPair<PairingCandidate>>;
  decisions: PairDecision[];
}

/** Instructions the run will take (records, for a file: skipped ones included), for the ETA; undefined when the file cannot be counted (the reader then says why). */
async function instructionTotal(input: DataEngineConfig['input']): Promise<number | undefined> {
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
