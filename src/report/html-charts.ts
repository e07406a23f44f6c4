/**
 * The report's charts, each built from metrics by a pure function returning one SVG string
 * (or none when there is nothing to plot, so the page never shows an empty frame).
 */
import { isNum, type Maybe } from './format.ts';
import { percent } from '../util/format.ts';
import { groupedBarChart, lineChart, PALETTE, type LineSeries } from './svg.ts';
import type { DpoStep, Metrics, RoundMetrics } from './metrics.ts';

const pct0 = (v: number): string => percent(v, Math.abs(v) < 0.1 && v !== 0 ? 1 : 0);
const roundLabel = (v: number): string => `R${v}`;

/** A series of one metric over rounds. */
function perRound(rounds: RoundMetrics[], pick: (r: RoundMetrics) => Maybe, name: string, color: string, dashed = false): LineSeries {
  return { name, color, dashed, points: rounds.map((r) => ({ x: r.round, y: pick(r) })) };
}

const hasAny = (rounds: RoundMetrics[], pick: (r: RoundMetrics) => Maybe): boolean => rounds.some((r) => isNum(pick(r)));

/** CHAIRi and CHAIRs per round; the held-out world dashed in the same colours. */
export function hallucinationChart(m: Metrics): string | undefined {
  const held = m.heldOut ?? [];
  const series: LineSeries[] = [
    perRound(m.rounds, (r) => r.chairI, 'CHAIRi (mentions)', PALETTE[1]!),
    perRound(m.rounds, (r) => r.chairS, 'CHAIRs (responses)', PALETTE[0]!),
  ];
  if (hasAny(held, (r) => r.chairI) || hasAny(held, (r) => r.chairS)) {
    series.push(perRound(held, (r) => r.chairI, 'CHAIRi, held-out world', PALETTE[1]!, true));
    series.push(perRound(held, (r) => r.chairS, 'CHAIRs, held-out world', PALETTE[0]!, true));
  }
  if (!series.some((s) => s.points.some((p) => isNum(p.y)))) return undefined;
  return lineChart({ title: 'Hallucination per round (lower is better)', series, integerX: true, xFormat: roundLabel, xLabel: 'round (R0 = base policy)', yLabel: 'rate', yFormat: pct0 });
}

/** Object coverage per round (and held out); yes/no accuracy beside it as a helpfulness check. */
export function coverageChart(m: Metrics): string | undefined {
  const held = m.heldOut ?? [];
  const series: LineSeries[] = [perRound(m.rounds, (r) => r.coverage, 'coverage', PALETTE[2]!)];
  if (hasAny(held, (r) => r.coverage)) series.push(perRound(held, (r) => r.coverage, 'coverage, held-out world', PALETTE[2]!, true));
  if (hasAny(m.rounds, (r) => r.yesNoAccuracy)) series.push(perRound(m.rounds, (r) => r.yesNoAccuracy, 'yes/no accuracy', PALETTE[3]!));
  if (!series.some((s) => s.points.some((p) => isNum(p.y)))) return undefined;
  return lineChart({ title: 'Coverage per round (higher is better)', series, integerX: true, xFormat: roundLabel, xLabel: 'round (R0 = base policy)', yLabel: 'rate', yFormat: pct0, yDomain: [0, 1] });
}

/** Two charts per round that trained: implicit rewards, and loss with reward accuracy. */
export function dpoCharts(r: RoundMetrics): string[] {
  const steps = r.dpo?.steps ?? [];
  if (steps.length === 0) return [];
  const best = r.dpo?.best;
  const vLines = isNum(best?.step) ? [{ x: best.step, label: `best${best.checkpoint ? `: ${best.checkpoint}` : ''}` }] : [];
  const s = (key: keyof DpoStep, name: string, color: string): LineSeries => ({
    name, color, points: steps.map((st) => ({ x: st.step, y: st[key] })),
  });
  return [
    lineChart({
      title: `Round ${r.round}: DPO implicit rewards`, xLabel: 'step', yLabel: 'β·(log π − log π_ref)', integerX: true, vLines,
      series: [s('rewards/chosen', 'chosen', PALETTE[2]!), s('rewards/rejected', 'rejected', PALETTE[1]!), s('rewards/margins', 'margin', PALETTE[0]!)],
    }),
    lineChart({
      title: `Round ${r.round}: DPO loss and reward accuracy`, xLabel: 'step', integerX: true, vLines, yDomain: [0, 1],
      series: [s('loss', 'loss', PALETTE[6]!), s('rewards/accuracies', 'reward accuracy', PALETTE[4]!)],
    }),
  ];
}

/** Preference pairs left after each filter, per training round. */
export function pairFunnelChart(m: Metrics): string | undefined {
  const rounds = m.rounds.filter((r) => r.data || isNum(r.pairs));
  if (rounds.length === 0) return undefined;
  const pick = (f: (r: RoundMetrics) => Maybe) => rounds.map(f);
  const series = [
    { name: 'all pairs (score diff ≥ 1)', values: pick((r) => r.data?.pairsBeforeFilters) },
    { name: 'after per-instruction sampling', values: pick((r) => r.data?.pairsAfterSampling) },
    { name: 'after length balancing', values: pick((r) => r.data?.pairsAfterLengthBalance ?? r.pairs) },
  ].filter((s) => s.values.some(isNum));
  if (series.length === 0) return undefined;
  return groupedBarChart({ title: 'Preference pairs after each filter', categories: rounds.map((r) => `round ${r.round}`), series, yLabel: 'pairs', yFormat: (v) => String(Math.round(v)) });
}

/** How trustworthy the feedback was: pair precision and claim accuracy against ground truth. */
export function feedbackQualityChart(m: Metrics): string | undefined {
  const rounds = m.rounds.filter((r) => isNum(r.pairPrecision) || isNum(r.claimAccuracy) || isNum(r.data?.labelerYesRate));
  if (rounds.length === 0) return undefined;
  const series = [
    { name: 'pair precision', values: rounds.map((r) => r.pairPrecision) },
    { name: 'claim accuracy', values: rounds.map((r) => r.claimAccuracy) },
    { name: 'labeler yes-rate', values: rounds.map((r) => r.data?.labelerYesRate) },
  ].filter((s) => s.values.some(isNum));
  return groupedBarChart({ title: 'Feedback quality against ground truth', categories: rounds.map((r) => `round ${r.round}`), series, yFormat: pct0, yDomain: [0, 1] });
}
