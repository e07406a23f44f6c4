/**
 * summary.json and the closing table. Everything except the `run` section is a function of the
 * stage results, so it is identical between an uninterrupted and a resumed run; `run` says what
 * this invocation did (time, requests sent, cache hits, throughput).
 */
import { formatDuration, formatRate, formatTable, STAGE_COLUMNS, Summary, type ProgressStream } from '../progress/index.ts';
import type { DataEngineConfig } from './config.ts';
import type { InstructionSet } from './instructions.ts';
import { claimAccuracy, pairPrecision } from './metrics.ts';
import type { RunData, VerdictLine } from './records.ts';
import type { StageStats } from './stage.ts';

export interface DataEngineSummary {
  instructions: number;
  /** Instruction records skipped because their image could not be read. */
  skippedInstructions: number;
  candidates: number;
  /** Non-empty claims over all candidates. */
  claims: number;
  /** Yes/no questions the labeler answered (claims of candidates whose conversion succeeded). */
  questions: number;
  /** Candidates whose convert step returned the wrong number of questions. */
  conversionMismatches: number;
  scored: number;
  unscored: { noClaims: number; verdictMismatch: number };
  pairs: number;
  /** Pairs left after each filter, in the order they run (SPEC §3). */
  pairFilters: { scoredPairs: number; afterScoreDiff: number; afterSampling: number; afterIdenticalText: number; afterLengthBalance: number };
  lengthBalance: { ratio: number; fallback: boolean } | null;
  /** Share of questions the labeler accepted. */
  labelerYesRate: number | null;
  generatedTokens: number;
  meanCandidateTokens: number | null;
  /** World instructions only (else null): labeler verdicts that match the claim's exact truth. */
  claimAccuracy: number | null;
  claimsWithTruth: number;
  /** World instructions only (else null): pairs whose chosen answer hallucinates fewer objects than the rejected one. */
  pairPrecision: number | null;
  pairsTiedOnHallucinations: number;
  /** pairPrecision among the pairs not tied on hallucinated objects. */
  pairPrecisionDecisive: number | null;
  /** World instructions only: pairs whose chosen answer has fewer false claims (what perfect feedback orders). */
  pairTruthAgreement: number | null;
  models: { policy: string; labeler: string; llm: string | null; selfFeedback: boolean };
  config: DataEngineConfig;
  run: RunSection;
}

export interface RunSection {
  seconds: number;
  stages: StageStats[];
  /** Backend calls sent in this invocation, per stage (0 for a stage answered from the run store). */
  requests: Record<string, number>;
  /** Items computed (not from the store) per second, per model stage; null when nothing was computed. */
  throughput: { candidatesPerSecond: number | null; questionsPerSecond: number | null };
}

export function buildSummary(
  config: DataEngineConfig, set: InstructionSet, data: RunData, verdicts: readonly VerdictLine[],
  models: DataEngineSummary['models'], stats: readonly StageStats[], seconds: number,
): DataEngineSummary {
  const outcomes = (o: string) => data.pairing.decisions.filter((d) => d.outcome === o).length;
  const scoredPairs = data.pairing.decisions.length;
  const afterScoreDiff = scoredPairs - outcomes('score-tie');
  const afterSampling = afterScoreDiff - outcomes('sampled-out');
  const afterIdenticalText = afterSampling - outcomes('identical-text');
  const tokens = data.flat.reduce((s, c) => s + c.tokens, 0);
  const accepted = verdicts.filter((v) => v.accepted).length;
  const byId = new Map(data.instructions.map((i) => [i.id, i]));
  const accuracy = set.fromWorld ? claimAccuracy(verdicts.map((v) => ({ result: v, truth: v.truth ?? undefined }))) : undefined;
  const precision = set.fromWorld
    ? pairPrecision(data.pairing.pairs.map((p) => ({ scene: byId.get(p.instructionId)!.scene!, chosen: p.chosen.text, rejected: p.rejected.text })))
    : undefined;
  const stage = (name: string) => stats.find((s) => s.stage === name);
  const perItem = (name: string, per: number) => {
    const s = stage(name);
    return s?.rate === undefined ? null : s.rate * per;
  };
  return {
    instructions: data.instructions.length,
    skippedInstructions: set.skipped.length,
    candidates: data.flat.length,
    claims: data.scores.reduce((s, c) => s + c.claims, 0),
    questions: verdicts.length,
    conversionMismatches: data.conversions.filter((c) => !c.ok).length,
    scored: data.scores.filter((s) => s.score !== undefined).length,
    unscored: {
      noClaims: data.scores.filter((s) => s.reason === 'no-claims').length,
      verdictMismatch: data.scores.filter((s) => s.reason === 'verdict-mismatch').length,
    },
    pairs: data.pairing.pairs.length,
    pairFilters: { scoredPairs, afterScoreDiff, afterSampling, afterIdenticalText, afterLengthBalance: data.pairing.pairs.length },
    lengthBalance: data.pairing.balance ? { ratio: data.pairing.balance.ratio, fallback: data.pairing.balance.fallback } : null,
    labelerYesRate: verdicts.length === 0 ? null : accepted / verdicts.length,
    generatedTokens: tokens,
    meanCandidateTokens: data.flat.length === 0 ? null : tokens / data.flat.length,
    claimAccuracy: accuracy?.accuracy ?? null,
    claimsWithTruth: accuracy?.judged ?? 0,
    pairPrecision: precision?.precision ?? null,
    pairsTiedOnHallucinations: precision?.ties ?? 0,
    pairPrecisionDecisive: precision?.decisive ?? null,
    pairTruthAgreement: precision?.truthAgreement ?? null,
    models,
    config,
    run: {
      seconds,
      stages: [...stats],
      requests: Object.fromEntries(stats.map((s) => [s.stage, s.calls])),
      // The generate stage counts requests (instructions); each yields n candidates.
      throughput: { candidatesPerSecond: perItem('generate', config.sampling.n), questionsPerSecond: perItem('label', 1) },
    },
  };
}

/** summary.json's deterministic part: everything but `run`. */
export function withoutRun(summary: DataEngineSummary): Omit<DataEngineSummary, 'run'> {
  const { run: _run, ...rest } = summary;
  return rest;
}

/** The closing tables: one row per stage, then the headline numbers. */
export function printSummary(summary: DataEngineSummary, stream: ProgressStream): void {
  const table = new Summary(`data engine: ${summary.instructions} instructions, ${summary.candidates} candidates, ${summary.pairs} pairs in ${formatDuration(summary.run.seconds)}`, [
    ...STAGE_COLUMNS.slice(0, 1), { key: 'items' }, ...STAGE_COLUMNS.slice(2), { key: 'calls' },
  ]);
  for (const s of summary.run.stages) table.add({ stage: s.stage, items: s.items, cached: s.cached, time: s.seconds, rate: s.rate, calls: s.calls });
  table.print(stream);
  const f = summary.pairFilters;
  const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
  const rows = [
    { metric: 'claims / questions', value: `${summary.claims} / ${summary.questions}` },
    { metric: 'scored candidates', value: `${summary.scored} (no claims ${summary.unscored.noClaims}, mismatch ${summary.unscored.verdictMismatch})` },
    { metric: 'pairs: scored > diff > sampled > distinct > balanced', value: `${f.scoredPairs} > ${f.afterScoreDiff} > ${f.afterSampling} > ${f.afterIdenticalText} > ${f.afterLengthBalance}` },
    { metric: 'labeler yes-rate', value: pct(summary.labelerYesRate) },
    { metric: 'claim accuracy (world truth)', value: pct(summary.claimAccuracy) },
    { metric: 'pair precision (world truth)', value: `${pct(summary.pairPrecision)} (ties ${summary.pairsTiedOnHallucinations}; ${pct(summary.pairPrecisionDecisive)} of the others)` },
    { metric: 'pairs ordered as exact feedback would', value: pct(summary.pairTruthAgreement) },
    { metric: 'throughput', value: `${formatRate(summary.run.throughput.candidatesPerSecond ?? undefined, 'cand')}, ${formatRate(summary.run.throughput.questionsPerSecond ?? undefined, 'q')}` },
  ];
  stream.write(`${formatTable(['metric', 'value'], rows)}\n`);
}
