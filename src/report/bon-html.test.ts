import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BonCurve, BonPoint } from '../bon/curve.ts';
import { BonSettingsSchema } from '../bon/settings.ts';
import { renderBonReport } from './bon-html.ts';

const point = (n: number, free: number): BonPoint => ({ n, hallucinationFree: free, chairS: 1 - free, chairI: (1 - free) / 4, coverage: 0.8, meanWords: 30 + n });

test('the best-of-N report plots four charts and tabulates every selector at every N beside the paper\'s figures', () => {
  const curve: BonCurve = {
    settings: BonSettingsSchema.parse({ n: [1, 4], limit: 10 }),
    source: { bench: 'world', prompts: 10 },
    cost: { meanCandidateTokens: 20.5, perAnswer: [{ n: 1, sampledTokens: 20.5, scoredTokens: 41 }, { n: 4, sampledTokens: 82, scoredTokens: 164 }], seconds: { sampling: 30, scoring: 10 }, scoringShare: 0.25 },
    length: { meanTokenLogRatio: -0.05, lengthSd: 6.25, lengthCorrelation: { reward: 0.01, sum: -0.4 } },
    selectors: { reward: [point(1, 0.4), point(4, 0.6)], sum: [point(1, 0.4), point(4, 0.5)], policyPerplexity: [point(1, 0.4), point(4, 0.45)], referencePerplexity: [point(1, 0.4), point(4, 0.4)], random: [point(1, 0.4), point(4, 0.42)] },
  };
  const html = renderBonReport(curve);
  assert.equal((html.match(/<svg/g) ?? []).length, 4);
  assert.ok(html.includes('<td>RLAIF-V reward</td><td class="num">40.0%<br><span class="muted">31 words</span></td><td class="num">60.0%<br><span class="muted">34 words</span></td>'));
  assert.match(html, /43\.4% hallucination-free at N=1; at N=64 54\.5% by the RLAIF-V reward/);
  assert.match(html, /10 test scenes of world 0/);
  assert.ok(html.includes('<tr><td>tokens scored (policy + reference)</td><td class="num">41</td><td class="num">164</td></tr>'));
  assert.match(html, /Scoring took 25% of the model time \(sampling 30\.0 s, scoring 10\.0 s\)/);
  assert.ok(html.includes('<tr><td>unnormalised sum</td><td class="num">-0.40</td><td class="num">34.0</td></tr>'));
  assert.ok(html.includes('<tr><td>RLAIF-V reward</td><td class="num">+0.01</td><td class="num">34.0</td></tr>'));
  assert.match(html, /ratio is -0\.050 nats over all candidates here.*differ by 6\.3 tokens/);
  assert.doesNotMatch(html, /NaN|undefined|<script/);
  const noVariance = renderBonReport({ ...curve, length: { ...curve.length, lengthCorrelation: { reward: null, sum: null } } });
  assert.ok(noVariance.includes('<tr><td>unnormalised sum</td><td class="num">n/a</td>'));
  const onAmber = renderBonReport({ ...curve, source: { bench: 'amber', data: 'data/<amber>', prompts: 10 }, cost: { ...curve.cost, scoringShare: null } });
  assert.match(onAmber, /the first 10 AMBER describe prompts of data\/&lt;amber&gt;/);
  assert.match(onAmber, /not timed/);
});
