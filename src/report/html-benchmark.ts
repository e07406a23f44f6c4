/** The rounds' figures on one of the paper's benchmarks (align setting `eval`), in the benchmark's own columns. */
import { COLUMNS, type BenchColumn } from '../bench/paper.ts';
import { escapeXml } from './format.ts';
import type { RoundMetrics } from './metrics.ts';

export const BENCH_TITLES: Record<string, string> = { objhal: 'Object HalBench', amber: 'AMBER', mmhal: 'MMHal-Bench' };

/** A benchmark figure as its report prints it: a share as a percentage, a percentage as is, a rating with two decimals. */
export function benchCell(value: unknown, unit: BenchColumn['unit']): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return unit === 'share' ? (100 * value).toFixed(1) : unit === 'percent' ? value.toFixed(1) : value.toFixed(2);
}

/** A table of every round measured on a benchmark, or '' when none was. */
export function benchmarkTableHtml(rounds: readonly RoundMetrics[]): string {
  const measured = rounds.filter((r) => r.benchmark);
  if (measured.length === 0) return '';
  const name = measured[0]!.benchmark!.name;
  const columns = COLUMNS[name as keyof typeof COLUMNS] ?? [];
  const body = measured.map((r) => `<tr><td>${r.round}</td><td>${escapeXml(r.model ?? '')}</td>${columns.map((c) => `<td class="num">${benchCell(r.benchmark!.metrics[c.key], c.unit)}</td>`).join('')}</tr>`).join('');
  const judge = measured[0]!.benchmark!.judge;
  return `<h3>${escapeXml(BENCH_TITLES[name] ?? name)}${judge ? ` <span class="muted">(judge ${escapeXml(judge)})</span>` : ''}</h3>
<table><thead><tr><th>round</th><th>model</th>${columns.map((c) => `<th>${escapeXml(c.label)} ${c.lowerIsBetter ? '↓' : '↑'}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}
