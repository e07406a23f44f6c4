/**
 * The RLAIF-V data engine (SPEC §1-3): instructions -> deconfounded candidates -> claims ->
 * yes/no questions -> labeler verdicts -> scores -> preference pairs -> datasets.
 *
 * Every model call goes through the run store at `outDir/run.sqlite`, keyed by model, settings and
 * input, so a killed run resumes without re-sending finished requests, and a finished run run again
 * rebuilds its outputs from the store without calling any model. Outputs are written at the end,
 * atomically, in a fixed order: a resumed run leaves the same bytes as an uninterrupted one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel, ModelBackend } from '../backend/types.ts';
import { writeFileAtomic } from '../export/index.ts';
import type { ProgressStream } from '../progress/index.ts';
import { openStore } from '../store/index.ts';
import type { DataEngineConfig } from './config.ts';
import { convertClaims } from './convert.ts';
import { divideCandidates } from './divide.ts';
import { collectPairs, OUTPUT_FILES, writeOutputs, type EnginePair } from './export.ts';
import { generateCandidates } from './generate.ts';
import { loadInstructions } from './instructions.ts';
import { labelClaims } from './label.ts';
import { verdictLines, type RunData } from './records.ts';
import { buildPairs, scoreCandidates } from './score.ts';
import type { ProgressEvent, StageContext, StageStats } from './stage.ts';
import { buildSummary, printSummary, type DataEngineSummary } from './summary.ts';

export interface DataEngineDeps {
  /** The current policy M_i: it samples the candidates. */
  policy: ModelBackend;
  /** The labeler MLLM; not needed (and ignored) with `label.selfFeedback`, where the policy labels. */
  labeler?: ModelBackend;
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
}

export interface DataEngineResult {
  outDir: string;
  /** Paths written, by kind (`parquet`, `trl`, `candidates`, ..., `summary`). */
  files: Partial<Record<keyof typeof OUTPUT_FILES, string>>;
  summary: DataEngineSummary;
  /** The kept pairs with their images, ready for DPO (`DpoPair` fields included). */
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
  const labeler = selfFeedback ? policy : deps.labeler;
  if (!labeler) throw new Error('runDataEngine: no labeler given; pass deps.labeler, or set label.selfFeedback to let the policy label its own candidates');
  const policyId = deps.modelIds?.policy ?? policy.name;
  const labelerId = selfFeedback ? policyId : deps.modelIds?.labeler ?? labeler.name;
  const usesLlm = config.divide.method === 'llm' || config.questions.method === 'llm';
  const chat = usesLlm && deps.chat ? { model: deps.chat, id: deps.modelIds?.chat ?? deps.chat.name } : undefined;

  mkdirSync(outDir, { recursive: true });
  const store = openStore(join(outDir, OUTPUT_FILES.store));
  const runId = store.startRun({ config, version: deps.version ?? 'unknown' });
  const stats: StageStats[] = [];
  const ctx: StageContext = { store, batchSize: config.batchSize, inFlight: config.inFlight, stream: deps.progress, onProgress: deps.onProgress, stats };
  try {
    const set = await loadInstructions(config.input);
    for (const s of set.skipped) deps.progress?.write(`skipped instruction ${s.id ?? ''} (${s.where}): ${s.reason}\n`);
    if (set.instructions.length === 0) throw new Error(`no instructions to work on: ${config.input.source} gave none (offset ${config.input.offset}, ${set.skipped.length} skipped)`);

    const candidates = await generateCandidates(ctx, policy, policyId, set.instructions, config.sampling);
    const flat = candidates.flat();
    const divisions = await divideCandidates(ctx, config, set.instructions, flat, chat);
    const conversions = await convertClaims(ctx, config, flat, divisions, chat);
    const labels = await labelClaims(ctx, labeler, labelerId, set.instructions, flat, conversions);
    const scores = scoreCandidates(divisions, labels);
    const perInstruction = regroup(scores, candidates);
    const pairing = buildPairs(set.instructions, candidates, perInstruction, config.pairs);
    const data: RunData = { instructions: set.instructions, candidates, flat, divisions, conversions, labels, scores, pairing };

    const verdicts = verdictLines(data);
    const { records, pairs } = await collectPairs(data, { generator: policyId, labeler: labelerId });
    const files = await writeOutputs(outDir, data, verdicts, records, config);
    const models = { policy: policyId, labeler: labelerId, llm: chat?.id ?? null, selfFeedback };
    const summary = buildSummary(config, set, data, verdicts, models, stats, (performance.now() - started) / 1000);
    files.summary = join(outDir, OUTPUT_FILES.summary);
    await writeFileAtomic(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    store.markDone('data-engine', 0, { instructions: summary.instructions, candidates: summary.candidates, pairs: summary.pairs });
    store.finishRun(runId, 'ok');
    if (deps.progress) printSummary(summary, deps.progress);
    return { outDir, files, summary, pairs };
  } catch (err) {
    store.finishRun(runId, 'failed');
    throw err;
  } finally {
    store.close();
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
