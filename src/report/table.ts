/** The rounds as an aligned plain-text table for the terminal (no colours, so it also logs well). */
import { count } from './format.ts';
import { percent } from '../util/format.ts';
import { parseMetrics, type Metrics, type MetricsInput, type RoundMetrics } from './metrics.ts';

const COLUMNS: Array<{ head: string; cell: (r: RoundMetrics) => string; left?: boolean }> = [
  { head: 'round', cell: (r) => String(r.round) },
  { head: 'model', cell: (r) => r.model ?? '', left: true },
  { head: 'CHAIRi', cell: (r) => percent(r.chairI) },
  { head: 'CHAIRs', cell: (r) => percent(r.chairS) },
  { head: 'coverage', cell: (r) => percent(r.coverage) },
  { head: 'yes/no acc', cell: (r) => percent(r.yesNoAccuracy) },
  { head: 'pairs', cell: (r) => count(r.pairs ?? r.data?.pairsAfterLengthBalance) },
  { head: 'pair prec', cell: (r) => percent(r.pairPrecision) },
];

/** Aligned rows; numbers right-aligned, a dash where a value is missing. */
export function formatTable(rows: RoundMetrics[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values
    .map((v, i) => (COLUMNS[i]!.left ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
    .join('  ').trimEnd();
  return [line(COLUMNS.map((c) => c.head)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/**
 * The rounds of an alignment run as a terminal table, followed by the held-out world's rounds
 * when present.
 * @example
 * console.log(formatRoundsTable(metrics));
 * // round  model        CHAIRi  CHAIRs  coverage  yes/no acc  pairs  pair prec
 * // -----  -----------  ------  ------  --------  ----------  -----  ---------
 * //     0  policy-base   27.0%   55.0%     91.0%       93.0%      –          –
 */
export function formatRoundsTable(metrics: MetricsInput | Metrics): string {
  const m = parseMetrics(metrics, 'metrics');
  const byRound = (a: RoundMetrics, b: RoundMetrics) => a.round - b.round;
  let out = formatTable([...m.rounds].sort(byRound));
  if (m.heldOut?.length) out += `\n\nheld-out world:\n${formatTable([...m.heldOut].sort(byRound))}`;
  return `${out}\n`;
}
