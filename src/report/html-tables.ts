/** The report's HTML tables: the headline, evaluation per round, and feedback data per round. */
import { count, DASH, duration, escapeXml, fixed, isNum, relativeChange, signedPct, type Maybe } from './format.ts';
import { percent } from '../util/format.ts';
import type { Metrics, RoundMetrics } from './metrics.ts';

interface Column { head: string; title?: string; cell: (r: RoundMetrics) => string; text?: boolean }

const EVAL_COLUMNS: Column[] = [
  { head: 'round', cell: (r) => String(r.round) },
  { head: 'model', cell: (r) => r.model ?? DASH, text: true },
  { head: 'CHAIRi', title: 'hallucinated mentions / mentions (lower is better)', cell: (r) => percent(r.chairI) },
  { head: 'CHAIRs', title: 'responses with a hallucination / responses (lower is better)', cell: (r) => percent(r.chairS) },
  { head: 'coverage', title: 'objects mentioned / objects present', cell: (r) => percent(r.coverage) },
  { head: 'attr. errors', title: 'attribute errors / mentions of present shapes', cell: (r) => percent(r.attributeErrorRate) },
  { head: 'yes/no acc.', cell: (r) => percent(r.yesNoAccuracy) },
  { head: 'yes/no F1', cell: (r) => fixed(r.yesNoF1, 3) },
  { head: 'mentions', title: 'mentions per description', cell: (r) => fixed(r.meanMentions) },
  { head: 'pairs', title: 'preference pairs trained on', cell: (r) => count(r.pairs ?? r.data?.pairsAfterLengthBalance) },
  { head: 'pair prec.', title: 'pairs whose chosen answer is truly better', cell: (r) => percent(r.pairPrecision) },
  { head: 'claim acc.', title: 'labeler verdicts that match ground truth', cell: (r) => percent(r.claimAccuracy) },
  { head: 'best ckpt', cell: (r) => r.dpo?.best?.checkpoint ?? (isNum(r.dpo?.best?.step) ? `step ${r.dpo.best.step}` : DASH), text: true },
  { head: 'time', cell: (r) => duration(r.seconds) },
];

const DATA_COLUMNS: Column[] = [
  { head: 'round', cell: (r) => String(r.round) },
  { head: 'instructions', cell: (r) => count(r.data?.instructions) },
  { head: 'candidates', cell: (r) => count(r.data?.candidates) },
  { head: 'claims', cell: (r) => count(r.data?.claims) },
  { head: 'questions', cell: (r) => count(r.data?.questions) },
  { head: 'pairs (all)', title: 'pairs with score difference ≥ 1', cell: (r) => count(r.data?.pairsBeforeFilters) },
  { head: 'sampled', title: 'after sampling at most 2 pairs per instruction', cell: (r) => count(r.data?.pairsAfterSampling) },
  { head: 'length-balanced', cell: (r) => count(r.data?.pairsAfterLengthBalance) },
  { head: 'labeler yes-rate', cell: (r) => percent(r.data?.labelerYesRate) },
  { head: 'length ratio r', cell: (r) => fixed(r.data?.lengthRatio) },
  { head: 'time', cell: (r) => duration(r.data?.seconds) },
];

function table(rows: RoundMetrics[], allColumns: Column[], cls: string): string {
  // A column with nothing in it (e.g. training columns for the held-out world) is noise.
  const columns = allColumns.filter((c, i) => i < 2 || rows.some((r) => c.cell(r) !== DASH));
  const head = columns.map((c) => `<th${c.text ? ' class="text"' : ''}${c.title ? ` title="${escapeXml(c.title)}"` : ''}>${escapeXml(c.head)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td${c.text ? ' class="text"' : ''}>${escapeXml(c.cell(r))}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Evaluation metrics, one row per round. */
export function evalTableHtml(rounds: RoundMetrics[]): string {
  return table(rounds, EVAL_COLUMNS, 'rounds');
}

/** Feedback data statistics for the rounds that collected data; undefined when none did. */
export function dataTableHtml(rounds: RoundMetrics[]): string | undefined {
  const withData = rounds.filter((r) => r.data);
  return withData.length ? table(withData, DATA_COLUMNS, 'data') : undefined;
}

interface HeadlineMetric { name: string; pick: (r: RoundMetrics) => Maybe; lowerIsBetter: boolean; help: string }

const HEADLINE: HeadlineMetric[] = [
  { name: 'CHAIRi', pick: (r) => r.chairI, lowerIsBetter: true, help: 'hallucinated object mentions' },
  { name: 'CHAIRs', pick: (r) => r.chairS, lowerIsBetter: true, help: 'descriptions with a hallucination' },
  { name: 'coverage', pick: (r) => r.coverage, lowerIsBetter: false, help: 'objects present that are mentioned' },
];

function headlineCard(h: HeadlineMetric, first: RoundMetrics, last: RoundMetrics, held: RoundMetrics[]): string {
  const from = h.pick(first);
  const to = h.pick(last);
  const change = first === last ? undefined : relativeChange(from, to);
  const good = change === undefined || change === 0 ? 'neutral' : (change < 0) === h.lowerIsBetter ? 'good' : 'bad';
  const values = first === last ? percent(from) : `${percent(from)} → ${percent(to)}`;
  const heldFirst = held.find((r) => r.round === first.round);
  const heldLast = held.find((r) => r.round === last.round);
  const heldLine = heldFirst && heldLast && first !== last
    ? `<div class="held">held-out world: ${percent(h.pick(heldFirst))} → ${percent(h.pick(heldLast))} (${signedPct(relativeChange(h.pick(heldFirst), h.pick(heldLast)))})</div>` : '';
  return `<div class="card ${good}"><div class="name">${h.name}</div><div class="values">${values}</div>` +
    `<div class="change">${first === last ? 'base policy' : signedPct(change)}</div><div class="help">${h.help}</div>${heldLine}</div>`;
}

/** CHAIRi / CHAIRs / coverage from the first round to the last, with the relative change. */
export function headlineHtml(m: Metrics): string {
  const rounds = [...m.rounds].sort((a, b) => a.round - b.round);
  const first = rounds[0];
  const last = rounds[rounds.length - 1];
  if (!first || !last) return '<p class="muted">No rounds were recorded.</p>';
  const span = first === last
    ? `Only round ${first.round} (${escapeXml(first.model ?? 'the base policy')}) was evaluated; no DPO round has finished yet.`
    : `From round ${first.round} (${escapeXml(first.model ?? 'base')}) to round ${last.round} (${escapeXml(last.model ?? 'last')}); change relative to round ${first.round}.`;
  return `<p>${span}</p><div class="cards">${HEADLINE.map((h) => headlineCard(h, first, last, m.heldOut ?? [])).join('')}</div>`;
}
