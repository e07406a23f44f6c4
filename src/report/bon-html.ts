/**
 * A best-of-N run's report (`rlaifv bon`): per selector, the share of hallucination-free answers,
 * CHAIRs, CHAIRi and coverage against N (log2 axis), as the paper's figure plots them, and the
 * paper's own curve beside ours.
 */
import type { BonCurve } from '../bon/curve.ts';
import { escapeXml } from './format.ts';
import { REPORT_CSS } from './html-style.ts';
import { lineChart } from './svg.ts';

/** The paper's Object HalBench curve (LLaVA-1.5-7B candidates): hallucination-free answers at N=1 and N=64. */
export const PAPER_BON = { n1: 0.434, reward64: 0.545, policyPerplexity64: 0.519, referencePerplexity64: 0.439 };

const BENCH_NAMES = { objhal: 'Object HalBench', amber: 'AMBER' } as const;

const LABELS: Record<string, string> = {
  reward: 'RLAIF-V reward', sum: 'unnormalised sum', policyPerplexity: 'policy perplexity', referencePerplexity: 'reference perplexity', random: 'random',
};

export function renderBonReport(curve: BonCurve, title = 'Best-of-N with the RLAIF-V reward'): string {
  const chart = (metric: 'hallucinationFree' | 'chairS' | 'chairI' | 'coverage', label: string) => lineChart({
    title: label, xLabel: 'N (candidates)', yLabel: label, yDomain: [0, 1], xFormat: (v) => String(2 ** v), integerX: true,
    yFormat: (v) => `${(100 * v).toFixed(0)}%`,
    series: Object.entries(curve.selectors).map(([selector, points]) => ({
      name: LABELS[selector] ?? selector, dashed: selector !== 'reward', points: points.map((p) => ({ x: Math.log2(p.n), y: p[metric] })),
    })),
  });
  const rows = Object.entries(curve.selectors).map(([selector, points]) => `<tr><td>${escapeXml(LABELS[selector] ?? selector)}</td>${points.map((p) => `<td class="num">${(100 * p.hallucinationFree).toFixed(1)}%<br><span class="muted">${p.meanWords.toFixed(0)} words</span></td>`).join('')}</tr>`);
  const ns = curve.selectors.reward.map((p) => p.n);
  const s = curve.settings;
  const where = curve.source.bench === 'world'
    ? `${curve.source.prompts} test scenes of world ${s.worldSeed}`
    : `the first ${curve.source.prompts} ${BENCH_NAMES[curve.source.bench]} describe prompts of ${curve.source.data ?? ''} (its own scorer)`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${REPORT_CSS}</style></head><body>
<h1>${escapeXml(title)}</h1>
<p class="subtitle">${escapeXml(where)} · candidates at temperature ${s.temperature} · β ${s.beta}</p>
<div class="charts">${chart('hallucinationFree', 'hallucination-free answers')}${chart('chairS', 'CHAIRs')}${chart('chairI', 'CHAIRi')}${chart('coverage', 'coverage')}</div>
<h2>Hallucination-free answers and mean length of the picks</h2>
<table><thead><tr><th>selector</th>${ns.map((n) => `<th>N=${n}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p class="muted">The paper (Object HalBench, LLaVA-1.5-7B candidates): ${(100 * PAPER_BON.n1).toFixed(1)}% hallucination-free at N=1; at N=64 ${(100 * PAPER_BON.reward64).toFixed(1)}% by the RLAIF-V reward, ${(100 * PAPER_BON.policyPerplexity64).toFixed(1)}% by the aligned model's perplexity, ${(100 * PAPER_BON.referencePerplexity64).toFixed(1)}% by the reference's.</p>
${lengthSection(curve)}
${costSection(curve)}
</body></html>
`;
}

/** The sum's lean towards short candidates against the reward's, and the per-token ratio behind it. */
function lengthSection(curve: BonCurve): string {
  const l = curve.length;
  const r = (v: number | null) => (v === null ? 'n/a' : (v >= 0 ? '+' : '') + v.toFixed(2));
  const atLargestN = (selector: 'reward' | 'sum') => curve.selectors[selector].at(-1)!;
  return `<h2>Answer length</h2>
<table><thead><tr><th></th><th>correlation of a candidate's score with its length</th><th>words per pick at N=${atLargestN('reward').n}</th></tr></thead><tbody>
<tr><td>RLAIF-V reward</td><td class="num">${r(l.lengthCorrelation.reward)}</td><td class="num">${atLargestN('reward').meanWords.toFixed(1)}</td></tr>
<tr><td>unnormalised sum</td><td class="num">${r(l.lengthCorrelation.sum)}</td><td class="num">${atLargestN('sum').meanWords.toFixed(1)}</td></tr>
</tbody></table>
<p class="muted">The sum is β times the answer's token count times its mean per-token log-ratio; that ratio is ${l.meanTokenLogRatio.toFixed(3)} nats over all candidates here, so on average each extra token lowers (if negative) or raises the sum for its length alone. A prompt's candidates differ by ${l.lengthSd.toFixed(1)} tokens (standard deviation, averaged over prompts). Correlations are within a prompt, averaged over prompts; negative means shorter candidates score higher.</p>`;
}

/** Tokens sampled and scored per answer at each N, and the scoring's share of the model time. */
function costSection(curve: BonCurve): string {
  const c = curve.cost;
  const share = c.scoringShare === null ? 'not timed (the run was replayed from a store without timings)' : `${(100 * c.scoringShare).toFixed(0)}% of the model time (sampling ${c.seconds.sampling.toFixed(1)} s, scoring ${c.seconds.scoring.toFixed(1)} s)`;
  return `<h2>Cost per answer</h2>
<table><thead><tr><th></th>${c.perAnswer.map((p) => `<th>N=${p.n}</th>`).join('')}</tr></thead><tbody>
<tr><td>tokens sampled</td>${c.perAnswer.map((p) => `<td class="num">${p.sampledTokens.toFixed(0)}</td>`).join('')}</tr>
<tr><td>tokens scored (policy + reference)</td>${c.perAnswer.map((p) => `<td class="num">${p.scoredTokens.toFixed(0)}</td>`).join('')}</tr>
</tbody></table>
<p class="muted">A candidate has ${c.meanCandidateTokens.toFixed(1)} tokens on average. Scoring took ${share}: it reads each candidate in one forward pass per model, where sampling takes one pass per token.</p>`;
}
