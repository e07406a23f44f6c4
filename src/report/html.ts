/**
 * The alignment report as one self-contained HTML file: inline CSS and SVG, images as data URLs,
 * no scripts and no external assets, so it can be mailed, archived or printed as it is.
 */
import { escapeXml, isNum } from './format.ts';
import { coverageChart, dpoCharts, feedbackQualityChart, hallucinationChart, pairFunnelChart } from './html-charts.ts';
import { benchmarkTableHtml } from './html-benchmark.ts';
import { samplesHtml } from './html-samples.ts';
import { REPORT_CSS } from './html-style.ts';
import { dataTableHtml, evalTableHtml, headlineHtml } from './html-tables.ts';
import { parseMetrics, type Metrics, type MetricsInput } from './metrics.ts';

export interface ReportOptions {
  /** Page title; default "RLAIF-V alignment report". */
  title?: string;
  /** Shown in the footer; the report is otherwise a pure function of the metrics. */
  generatedAt?: string;
  /** Sample pairs shown at most (default 40), to keep the file small. */
  maxSamples?: number;
}

const charts = (svgs: Array<string | undefined>): string => `<div class="charts">${svgs.filter(Boolean).join('\n')}</div>`;

function subtitle(m: Metrics): string {
  const parts = [`${m.rounds.length} round${m.rounds.length === 1 ? '' : 's'} evaluated`];
  if (isNum(m.worldSeed)) parts.push(`world seed ${m.worldSeed}`);
  if (m.heldOut?.length) parts.push(`held-out world${isNum(m.heldOutWorldSeed) ? ` seed ${m.heldOutWorldSeed}` : ''}`);
  if (m.selfFeedback !== undefined) parts.push(m.selfFeedback ? selfFeedbackPhrase(m.settings?.selfFeedbackJudge) : 'separate labeler');
  return parts.join(' · ');
}

/** Who judged under self-feedback; runs from before `selfFeedbackJudge` existed had each round's policy judge itself. */
function selfFeedbackPhrase(judge: unknown): string {
  return judge === 'base' ? 'self-feedback (the starting policy labels every round)' : 'self-feedback (each round\'s policy labels itself)';
}

function dpoSection(m: Metrics): string {
  const trained = m.rounds.filter((r) => (r.dpo?.steps.length ?? 0) > 0);
  if (trained.length === 0) return '<p class="muted">No DPO training steps were recorded.</p>';
  return trained.map((r) => {
    const best = r.dpo?.best;
    const note = best ? ` <span class="muted">(best checkpoint ${escapeXml(best.checkpoint ?? '')}${isNum(best.step) ? ` at step ${best.step}` : ''}${isNum(best.valScore) ? `, validation score ${best.valScore.toFixed(3)}` : ''})</span>` : '';
    const source = r.dpo?.source ? `<p class="muted">From the trainer's ${escapeXml(r.dpo.source)}.</p>` : '';
    const warnings = (r.dpo?.warnings ?? []).map((w) => `<p class="warning">Warning: ${escapeXml(w)}</p>`).join('');
    return `<h3>Round ${r.round}${note}</h3>${source}${warnings}${charts(dpoCharts(r))}`;
  }).join('\n');
}

function pairsSection(m: Metrics): string {
  const svgs = [pairFunnelChart(m), feedbackQualityChart(m)];
  const table = dataTableHtml(m.rounds);
  if (!svgs.some(Boolean) && !table) return '<p class="muted">No feedback data was collected (no DPO round yet).</p>';
  return `${charts(svgs)}${table ? `<h3>Feedback data per round</h3>${table}` : ''}`;
}

function settingsSection(m: Metrics): string {
  if (!m.settings || Object.keys(m.settings).length === 0) return '';
  return `<h2>Settings</h2><details><summary>settings of this run</summary><pre>${escapeXml(JSON.stringify(m.settings, null, 2))}</pre></details>`;
}

/**
 * Render metrics (as written to `metrics.json`) as a standalone HTML page. Validates its input
 * and throws `MetricsFormatError` naming the bad field.
 * @example
 * await writeFile('report.html', renderReport(JSON.parse(await readFile('metrics.json', 'utf8'))));
 */
export function renderReport(metrics: MetricsInput | Metrics, options: ReportOptions = {}): string {
  const m = parseMetrics(metrics, 'metrics');
  m.rounds.sort((a, b) => a.round - b.round);
  m.heldOut?.sort((a, b) => a.round - b.round);
  const title = escapeXml(options.title ?? 'RLAIF-V alignment report');
  const held = m.heldOut?.length ? `<h3>Held-out world</h3>${evalTableHtml(m.heldOut)}` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>${title}</h1><p class="subtitle">${escapeXml(subtitle(m))}</p>
<h2>Headline</h2>${headlineHtml(m)}
<h2>Evaluation per round</h2>${m.rounds.length ? evalTableHtml(m.rounds) : '<p class="muted">No rounds.</p>'}${held}${benchmarkTableHtml(m.rounds)}
<h2>Hallucination and coverage</h2>${charts([hallucinationChart(m), coverageChart(m)])}
<h2>DPO training</h2>${dpoSection(m)}
<h2>Preference pairs</h2>${pairsSection(m)}
<h2>Sample pairs with claim-level feedback</h2>${samplesHtml(m.samples, options.maxSamples ?? 40)}
${settingsSection(m)}
<footer>rlaifv report${options.generatedAt ? ` · generated ${escapeXml(options.generatedAt)}` : ''} · CHAIR and coverage are measured against the synthetic world's exact ground truth.</footer>
</body></html>
`;
}
