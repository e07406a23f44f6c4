import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderBenchReport } from './bench-html.ts';

const results = {
  benchmark: 'objhal', model: 'llava <b>7b</b>', modelId: 'llava', n: 300, metrics: { chairS: 0.4, chairSMentioning: 0.5, chairI: 0.25, recall: null },
  decoding: { temperature: 0, topP: 1, maxTokens: 1024, seed: 0 }, judge: 'gpt-4o', data: { checksum: 'abcdef0123456789' },
};

test('a benchmark report: our row in the benchmark\'s columns as percentages, the published rows beside it, the model name escaped', () => {
  const html = renderBenchReport(results);
  assert.match(html, /<h1>Object HalBench<\/h1>/);
  assert.ok(html.includes('<td class="num"><b>50.0</b></td><td class="num"><b>25.0</b></td><td class="num"><b>40.0</b></td><td class="num"><b>–</b></td>'), 'Resp., Ment., CHAIRs, recall (not measured)');
  assert.ok(html.includes('<td>RLAIF-V 7B</td><td class="num">10.5</td><td class="num">5.2</td>'));
  assert.ok(html.includes('llava &lt;b&gt;7b&lt;/b&gt;') && !html.includes('<b>7b</b>'));
  assert.match(html, /greedy, up to 1024 tokens · judge gpt-4o · data abcdef012345/);
  assert.doesNotMatch(html, /<script|NaN|undefined/);
  const mmhal = renderBenchReport({ ...results, benchmark: 'mmhal', metrics: { score: 2.5, hallucinationRate: 0.5 } });
  assert.ok(mmhal.includes('<td class="num"><b>2.50</b></td><td class="num"><b>50.0</b></td>'), 'the score stays on its 0-6 scale');
  assert.throws(() => renderBenchReport({ ...results, benchmark: 'pope' }), /no report layout for benchmark 'pope'/);
});
