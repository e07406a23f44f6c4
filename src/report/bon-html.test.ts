import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BonSettingsSchema, type BonCurve, type BonPoint } from '../bon/world.ts';
import { renderBonReport } from './bon-html.ts';

const point = (n: number, free: number): BonPoint => ({ n, hallucinationFree: free, chairS: 1 - free, chairI: (1 - free) / 4, coverage: 0.8, meanWords: 30 + n });

test('the best-of-N report plots four charts and tabulates every selector at every N beside the paper\'s figures', () => {
  const curve: BonCurve = {
    settings: BonSettingsSchema.parse({ n: [1, 4], limit: 10 }),
    selectors: { reward: [point(1, 0.4), point(4, 0.6)], sum: [point(1, 0.4), point(4, 0.5)], policyPerplexity: [point(1, 0.4), point(4, 0.45)], referencePerplexity: [point(1, 0.4), point(4, 0.4)], random: [point(1, 0.4), point(4, 0.42)] },
  };
  const html = renderBonReport(curve);
  assert.equal((html.match(/<svg/g) ?? []).length, 4);
  assert.ok(html.includes('<td>RLAIF-V reward</td><td class="num">40.0%<br><span class="muted">31 words</span></td><td class="num">60.0%<br><span class="muted">34 words</span></td>'));
  assert.match(html, /43\.4% hallucination-free at N=1; at N=64 54\.5% by the RLAIF-V reward/);
  assert.doesNotMatch(html, /NaN|undefined|<script/);
});
