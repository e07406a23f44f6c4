/**
 * A benchmark run's report (`rlaifv bench`): our figures in a row above the published ones, in the
 * benchmark's own columns, and what they were measured with. One self-contained HTML file.
 */
import { COLUMNS, PUBLISHED } from '../bench/paper.ts';
import { BENCH_TITLES, benchCell } from './html-benchmark.ts';
import type { BenchResults } from '../bench/run.ts';
import { escapeXml } from './format.ts';
import { REPORT_CSS } from './html-style.ts';

type BenchName = keyof typeof PUBLISHED;

/** `renderBenchReport(results)`: the page for a results.json of objhal, amber or mmhal. */
export function renderBenchReport(results: BenchResults): string {
  const name = results.benchmark as BenchName;
  const columns = COLUMNS[name];
  if (!columns) throw new Error(`no report layout for benchmark '${results.benchmark}'`);
  const ours = columns.map((c) => benchCell(results.metrics[c.key], c.unit));
  const rows = PUBLISHED[name].map((row) => `<tr><td>${escapeXml(row.model)}</td>${columns.map((c) => `<td class="num">${published(row.values[c.key])}</td>`).join('')}<td class="muted">${escapeXml(row.source)}</td></tr>`);
  const decoding = results.decoding;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(`${name} · ${results.model}`)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(BENCH_TITLES[name]!)}</h1>
<p class="subtitle">${escapeXml(results.model)} · ${results.n} questions · ${decoding.temperature === 0 ? 'greedy' : `temperature ${decoding.temperature}`}, up to ${decoding.maxTokens} tokens${results.judge ? ` · judge ${escapeXml(results.judge)}` : ''} · data ${escapeXml(results.data.checksum.slice(0, 12))}</p>
<table><thead><tr><th>model</th>${columns.map((c) => `<th>${escapeXml(c.label)} ${c.lowerIsBetter ? '↓' : '↑'}</th>`).join('')}<th>source</th></tr></thead>
<tbody><tr class="ours"><td><b>${escapeXml(results.model)}</b> (this run)</td>${ours.map((v) => `<td class="num"><b>${v}</b></td>`).join('')}<td class="muted">measured here</td></tr>
${rows.join('\n')}</tbody></table>
<p class="muted">Published figures were decoded by their authors with 3-beam search; this run decoded as stated above. Percentages are shares of answers or mentions.</p>
</body></html>
`;
}

function published(value: number | null | undefined): string {
  return typeof value === 'number' ? String(value) : '–';
}
