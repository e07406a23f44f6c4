/**
 * summary.json and the closing table. Everything except the `run` section is a function of the
 * stage results, so it is identical between an uninterrupted and a resumed run; `run` says what
 * this invocation did (time, requests sent, cache hits, throughput).
 */
import { formatDuration, formatRate, formatTable, STAGE_COLUMNS, Summary, type ProgressStream } from '../../progress/index.ts';
import type { DataEngineConfig } from '../config.ts';
import type { PairDecision } from '../pairs/types.ts';
import type { PairOrigin } from '../../export/index.ts';
import { accepts } from '../../backend/types.ts';
import { claimAccuracy, type PairPrecision } from './feedback-quality.ts';
import type { RunData, VerdictLine } from './records.ts';
import type { StageStats } from '../stage.ts';
import { percent } from '../../util/format.ts';

export interface DataEngineSummary {
  instructions: number;
  /** Instruction records skipped because their image could not be read, or their prompt does not fit the policy's context. */
  skippedInstructions: number;
  /** Instruction records skipped because an earlier record of the run has the same image and question (the official pipeline drops such repeats). */
  repeatedInstructions: number;
  candidates: number;
  /** Non-empty claims over all candidates. */
  claims: number;
  /** Yes/no questions the labeler answered (claims of candidates whose conversion succeeded). */
  questions: number;
  /** Candidates whose convert step returned the wrong number of questions. */
  conversionMismatches: number;
  scored: number;
  /** Candidates never scored, by reason (docs/method.md §2.4). */
  unscored: { noClaims: number; verdictMismatch: number; duplicateQuestions: number };
  /** Pairs exported, of every origin. */
  pairs: number;
  /**
   * AI pairs left after each filter, in the order they run (docs/method.md §3), the last being
   * people's judgements, which drop the pairs they judged a tie (§3.4).
   */
  pairFilters: { scoredPairs: number; afterScoreDiff: number; afterSampling: number; afterIdenticalText: number; afterLengthBalance: number; afterPeople: number };
  /** The exported pairs by where their preference came from (docs/method.md §3.4); they sum to `pairs`. */
  pairOrigins: Record<PairOrigin, number>;
  /** People's feedback read from the run folder and what became of it. */
  people: PeopleTotals;
  lengthBalance: { ratio: number; fallback: boolean } | null;
  /** Share of questions the labeler accepted (its own answers, before any person's). */
  labelerYesRate: number | null;
  /** Claims whose verdict people gave (their majority in `DIR/feedback.sqlite`, else `DIR/audit.jsonl`), overriding the labeler's. */
  humanVerdicts: number;
  generatedTokens: number;
  meanCandidateTokens: number | null;
  /** World instructions only (else null): labeler verdicts that match the claim's exact truth. */
  claimAccuracy: number | null;
  claimsWithTruth: number;
  /** World instructions only (else null): exported pairs (people's included) whose chosen answer hallucinates fewer objects than the rejected one. */
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

/** What the summary counts, summed chunk by chunk (see `addChunkTotals`). */
export type RunTotals = Pick<DataEngineSummary, 'instructions' | 'skippedInstructions' | 'repeatedInstructions' | 'candidates' | 'claims' | 'questions' | 'conversionMismatches' | 'scored'> & {
  fromWorld: boolean;
  noClaims: number;
  verdictMismatch: number;
  duplicateQuestions: number;
  /** Pair decisions (every unordered pair of scored candidates), and how many the score filter and sampling dropped. */
  decisions: number;
  scoreTies: number;
  sampledOut: number;
  acceptedQuestions: number;
  humanVerdicts: number;
  generatedTokens: number;
  claimsJudged: number;
  claimsCorrect: number;
};

export function emptyTotals(fromWorld: boolean): RunTotals {
  return {
    fromWorld, instructions: 0, skippedInstructions: 0, repeatedInstructions: 0, candidates: 0, claims: 0, questions: 0, conversionMismatches: 0, scored: 0,
    noClaims: 0, verdictMismatch: 0, duplicateQuestions: 0, decisions: 0, scoreTies: 0, sampledOut: 0, acceptedQuestions: 0, humanVerdicts: 0, generatedTokens: 0, claimsJudged: 0, claimsCorrect: 0,
  };
}

/** Add one chunk's stage results to the totals (skipped records are counted by the caller, chunks without instructions included). */
export function addChunkTotals(t: RunTotals, data: RunData, verdicts: readonly VerdictLine[], decisions: readonly PairDecision[]): void {
  t.instructions += data.instructions.length;
  t.candidates += data.flat.length;
  t.claims += data.scores.reduce((s, c) => s + c.claims, 0);
  t.questions += verdicts.length;
  t.conversionMismatches += data.conversions.filter((c) => !c.ok).length;
  t.scored += data.scores.filter((s) => s.score !== undefined).length;
  t.noClaims += data.scores.filter((s) => s.reason === 'no-claims').length;
  t.verdictMismatch += data.scores.filter((s) => s.reason === 'verdict-mismatch').length;
  t.duplicateQuestions += data.scores.filter((s) => s.reason === 'duplicate-questions').length;
  t.decisions += decisions.length;
  t.scoreTies += decisions.filter((d) => d.outcome === 'score-tie').length;
  t.sampledOut += decisions.filter((d) => d.outcome === 'sampled-out').length;
  t.acceptedQuestions += verdicts.filter((v) => accepts(v)).length;
  t.humanVerdicts += verdicts.filter((v) => v.human !== undefined).length;
  t.generatedTokens += data.flat.reduce((s, c) => s + c.tokens, 0);
  if (t.fromWorld) {
    const accuracy = claimAccuracy(verdicts.map((v) => ({ result: v, truth: v.truth ?? undefined })));
    t.claimsJudged += accuracy.judged;
    t.claimsCorrect += accuracy.correct;
  }
}

/** What people's feedback gave the run (docs/method.md §3.4), for summary.json's `people`. */
export interface PeopleTotals {
  /** Where it was read from: `feedback.sqlite` (people's majority), `audit.jsonl` (one person), or null (none). */
  source: 'feedback.sqlite' | 'audit.jsonl' | null;
  /** Claim questions with an answer in force (the majority's; ties left out). */
  verdicts: number;
  /** Standing corrections, and those that made no pair (a candidate the run does not have, an original that is not its text, an unchanged text). */
  corrections: number;
  correctionsUnmatched: number;
  /** Majority pair judgements, and those on no pair this run kept. */
  pairJudgements: number;
  pairJudgementsUnmatched: number;
  /** Kept pairs dropped because people's majority judged them a tie. */
  tiesDropped: number;
}

/**
 * The run-wide pair filters' outcome: exported pairs (`kept`, every origin), AI pairs left after
 * length balancing, identical-text drops (the length-balance drops are the rest), the exported
 * pairs by origin, people's feedback, and (world runs) the exported pairs' precision.
 */
export interface PairTotals {
  kept: number;
  afterLengthBalance: number;
  origins: Record<PairOrigin, number>;
  people: PeopleTotals;
  identical: number;
  balance: { ratio: number; fallback: boolean } | undefined;
  precision: PairPrecision | undefined;
}

export function buildSummary(
  config: DataEngineConfig, t: RunTotals, pairs: PairTotals, models: DataEngineSummary['models'], stats: readonly StageStats[], seconds: number,
): DataEngineSummary {
  const afterScoreDiff = t.decisions - t.scoreTies;
  const afterSampling = afterScoreDiff - t.sampledOut;
  const afterIdenticalText = afterSampling - pairs.identical;
  const stage = (name: string) => stats.find((s) => s.stage === name);
  const perItem = (name: string, per: number) => {
    const s = stage(name);
    return s?.rate === undefined ? null : s.rate * per;
  };
  const precision = pairs.precision;
  return {
    instructions: t.instructions,
    skippedInstructions: t.skippedInstructions,
    repeatedInstructions: t.repeatedInstructions,
    candidates: t.candidates,
    claims: t.claims,
    questions: t.questions,
    conversionMismatches: t.conversionMismatches,
    scored: t.scored,
    unscored: { noClaims: t.noClaims, verdictMismatch: t.verdictMismatch, duplicateQuestions: t.duplicateQuestions },
    pairs: pairs.kept,
    pairFilters: { scoredPairs: t.decisions, afterScoreDiff, afterSampling, afterIdenticalText, afterLengthBalance: pairs.afterLengthBalance, afterPeople: pairs.afterLengthBalance - pairs.people.tiesDropped },
    pairOrigins: pairs.origins,
    people: pairs.people,
    lengthBalance: pairs.balance ? { ratio: pairs.balance.ratio, fallback: pairs.balance.fallback } : null,
    labelerYesRate: t.questions === 0 ? null : t.acceptedQuestions / t.questions,
    humanVerdicts: t.humanVerdicts,
    generatedTokens: t.generatedTokens,
    meanCandidateTokens: t.candidates === 0 ? null : t.generatedTokens / t.candidates,
    claimAccuracy: t.fromWorld && t.claimsJudged > 0 ? t.claimsCorrect / t.claimsJudged : null,
    claimsWithTruth: t.claimsJudged,
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

/**
 * One row per stage over all chunks of a run: counts and seconds summed, the rate recomputed
 * from the computed (not cached) items. A single chunk's stats pass through unchanged.
 */
export function mergeStageStats(stats: readonly StageStats[]): StageStats[] {
  const byStage = new Map<string, StageStats[]>();
  for (const s of stats) byStage.set(s.stage, [...(byStage.get(s.stage) ?? []), s]);
  return [...byStage.values()].map((rows) => {
    if (rows.length === 1) return rows[0]!;
    const sum = (k: 'items' | 'cached' | 'calls' | 'seconds') => rows.reduce((a, r) => a + r[k], 0);
    const items = sum('items'), cached = sum('cached'), seconds = sum('seconds');
    return { stage: rows[0]!.stage, items, cached, calls: sum('calls'), seconds, rate: items > cached && seconds > 0 ? (items - cached) / seconds : undefined };
  });
}

/** The closing tables: one row per stage, then the headline numbers. */
export function printSummary(summary: DataEngineSummary, stream: ProgressStream): void {
  const table = new Summary(`data engine: ${summary.instructions} instructions, ${summary.candidates} candidates, ${summary.pairs} pairs in ${formatDuration(summary.run.seconds)}`, [
    ...STAGE_COLUMNS.slice(0, 1), { key: 'items' }, ...STAGE_COLUMNS.slice(2), { key: 'calls' },
  ]);
  for (const s of summary.run.stages) table.add({ stage: s.stage, items: s.items, cached: s.cached, time: s.seconds, rate: s.rate, calls: s.calls });
  table.print(stream);
  const f = summary.pairFilters;
  const pct = (x: number | null) => percent(x, 1, '-');
  const rows = [
    ...(summary.skippedInstructions + summary.repeatedInstructions > 0
      ? [{ metric: 'records skipped: unreadable image / repeats', value: `${summary.skippedInstructions} / ${summary.repeatedInstructions}` }] : []),
    { metric: 'claims / questions', value: `${summary.claims} / ${summary.questions}` },
    { metric: 'scored candidates', value: `${summary.scored} (no claims ${summary.unscored.noClaims}, mismatch ${summary.unscored.verdictMismatch}, repeated questions ${summary.unscored.duplicateQuestions})` },
    { metric: 'pairs: scored > diff > sampled > distinct > balanced', value: `${f.scoredPairs} > ${f.afterScoreDiff} > ${f.afterSampling} > ${f.afterIdenticalText} > ${f.afterLengthBalance}` },
    { metric: 'labeler yes-rate', value: pct(summary.labelerYesRate) },
    ...(summary.people.source !== null ? peopleRows(summary) : []),
    { metric: 'claim accuracy (world truth)', value: pct(summary.claimAccuracy) },
    { metric: 'pair precision (world truth)', value: `${pct(summary.pairPrecision)} (ties ${summary.pairsTiedOnHallucinations}; ${pct(summary.pairPrecisionDecisive)} of the others)` },
    { metric: 'pairs ordered as exact feedback would', value: pct(summary.pairTruthAgreement) },
    { metric: 'throughput', value: `${formatRate(summary.run.throughput.candidatesPerSecond ?? undefined, 'cand')}, ${formatRate(summary.run.throughput.questionsPerSecond ?? undefined, 'q')}` },
  ];
  stream.write(`${formatTable(['metric', 'value'], rows)}\n`);
}

/** The closing table's rows on people's feedback. */
function peopleRows(summary: DataEngineSummary): Array<{ metric: string; value: string }> {
  const p = summary.people;
  const o = summary.pairOrigins;
  return [
    { metric: `claims verdicted by people (${p.source})`, value: String(summary.humanVerdicts) },
    { metric: 'pairs: ai / ai+human-agree / human-judgement / human-correction', value: `${o.ai} / ${o['ai+human-agree']} / ${o['human-judgement']} / ${o['human-correction']}` },
    { metric: 'people: ties dropped, feedback on nothing kept', value: `${p.tiesDropped} ties; ${p.correctionsUnmatched} of ${p.corrections} corrections, ${p.pairJudgementsUnmatched} of ${p.pairJudgements} judgements` },
  ];
}
