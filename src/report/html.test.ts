import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from './html.ts';
import { fixtureMetrics, fixturePng } from './metrics.fixture.ts';
import { highlightClaims, labelerWrong, pngPayload, pngSize } from './html-samples.ts';
import { MetricsFormatError, type MetricsInput } from './metrics.ts';

const count = (s: string, needle: string): number => s.split(needle).length - 1;

/** Things no report may contain, whatever its input. */
function assertSafe(html: string): void {
  assert.doesNotMatch(html, /<script/i, 'no raw <script>');
  assert.doesNotMatch(html, /<img[^>]*onerror/i, 'no injected attributes');
  assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i, 'no external URLs');
  assert.doesNotMatch(html, /<link|@import|url\(/i, 'no external stylesheets or fonts');
  assert.doesNotMatch(html, /NaN|undefined|\[object Object\]/);
}

test('renderReport: a full run shows the table values, headline and one <svg> per chart', () => {
  const html = renderReport(fixtureMetrics());
  assertSafe(html);
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  for (const v of ['27.0%', '12.0%', '8.1%', '55.0%', '22.0%', '91.0%', '96.0%', '93.0%', 'ckpt-3', '3,900', 'policy-base', 'round-2']) {
    assert.ok(html.includes(v), `report shows ${v}`);
  }
  assert.ok(html.includes('27.0% → 8.1%'), 'CHAIRi headline from round 0 to the last round');
  assert.ok(html.includes('−70.0%'), 'relative CHAIRi change');
  assert.ok(html.includes('−60.0%'), 'relative CHAIRs change');
  assert.ok(html.includes('−4.4%'), 'relative coverage change');
  assert.match(html, /class="card bad"><div class="name">coverage/, 'a coverage drop is flagged as bad');
  // hallucination + coverage, 2 DPO charts x 2 rounds, pair funnel + feedback quality
  assert.equal(count(html, '<svg'), 8);
  assert.equal(count(html, '</svg>'), 8);
  assert.ok(html.includes('Held-out world') && html.includes('10.1%'));
  assert.ok(html.includes('CHAIRi, held-out world'));
  assert.ok(html.includes('settings of this run'));
});

test('renderReport escapes hostile text everywhere', () => {
  const m = fixtureMetrics();
  m.rounds[1]!.model = '<script>alert(1)</script>';
  m.settings = { note: '</pre><script>x()</script>', url: 'https://example.com' };
  const html = renderReport(m, { title: '<img src=x onerror=alert(1)>' });
  assertSafe(html);
  assert.ok(html.includes('A red circle and <mark class="rejected"'), 'the hostile claim is highlighted in the answer');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(html.includes('What is &lt;b&gt;here&lt;/b&gt;?'));
});

test('renderReport: the sample pairs show the image, verdicts and labeler mistakes', () => {
  const html = renderReport(fixtureMetrics());
  assert.equal(count(html, '<article class="pair">'), 2);
  assert.equal(count(html, 'src="data:image/png;base64,'), 2, 'both images inline, data: prefix or not');
  assert.ok(html.includes('width="192" height="192"'), '48 px scaled 4x');
  assert.match(html, /image-rendering: pixelated/);
  assert.equal(count(html, '<li class="claim rejected disagree">'), 1, 'the wrongly rejected true claim is flagged');
  assert.equal(count(html, '<li class="claim accepted">'), 4);
  assert.ok(html.includes('labeler wrong: claim is true'));
  assert.ok(html.includes('score -1 · 2 of 3 claims rejected · 1 verdict wrong'));
  assert.ok(renderReport(fixtureMetrics(), { maxSamples: 1 }).includes('Showing 1 of 2.'));
});

test('renderReport works with optional parts missing', () => {
  const cases: Array<[string, MetricsInput, number]> = [
    ['round 0 only', { rounds: [{ round: 0, model: 'policy-base', chairI: 0.27, chairS: 0.55, coverage: 0.91 }] }, 2],
    ['no samples, no dpo steps', { rounds: [{ round: 0, chairI: 0.3 }, { round: 1, chairI: 0.2, pairs: 10, dpo: { steps: [] } }] }, 2],
    ['only round numbers', { rounds: [{ round: 0 }, { round: 1 }] }, 0],
    ['no rounds at all', { rounds: [] }, 0],
    ['nulls where NaN was written', { rounds: [{ round: 0, chairI: null, chairS: 0.5, coverage: null }], samples: [] }, 1],
  ];
  for (const [name, m, svgs] of cases) {
    const html = renderReport(m);
    assertSafe(html);
    assert.equal(count(html, '<svg'), svgs, `${name}: charts`);
    assert.ok(html.includes('No sample pairs were recorded.'), `${name}: says there are no samples`);
  }
  const base = renderReport(cases[0]![1]);
  assert.ok(base.includes('no DPO round has finished yet'));
  assert.ok(base.includes('No DPO training steps were recorded.'));
});

test('renderReport rejects malformed metrics with the field path', () => {
  assert.throws(() => renderReport({ rounds: [{ round: 0, chairI: '0.2' }] } as unknown as MetricsInput),
    (e: unknown) => e instanceof MetricsFormatError && /rounds\[0\]\.chairI/.test(e.message));
  assert.throws(() => renderReport({} as MetricsInput), /rounds/);
});

test('highlightClaims marks verbatim claims once each, case-insensitively as a fallback', () => {
  const text = 'There is a star. there is a star. A <b>.';
  const out = highlightClaims(text, [
    { text: 'There is a star.', accepted: true },
    { text: 'There is a star.', accepted: false, truth: true },
    { text: 'A <b>.', accepted: true },
    { text: 'not in the text', accepted: false },
  ]);
  assert.equal(count(out, '<mark'), 3);
  assert.ok(out.includes('<mark class="rejected disagree"'));
  assert.ok(out.includes('&lt;b&gt;'));
  assert.equal(highlightClaims('plain & simple', []), 'plain &amp; simple');
});

test('labelerWrong and PNG helpers', () => {
  assert.equal(labelerWrong({ text: 'x', accepted: true, truth: false }), true);
  assert.equal(labelerWrong({ text: 'x', accepted: true, truth: true }), false);
  assert.equal(labelerWrong({ text: 'x', accepted: false }), false, 'unknown truth is not a mistake');
  const b64 = fixturePng();
  assert.deepEqual(pngSize(b64), { width: 48, height: 48 });
  assert.equal(pngPayload(`data:image/png;base64,${b64}`), b64);
  assert.equal(pngPayload('" onerror="alert(1)'), undefined);
  assert.equal(pngPayload(Buffer.from('GIF89a-not-a-png-at-all-really').toString('base64')), undefined);
  assert.equal(pngPayload(undefined), undefined);
});

test('renderReport names who judged a self-feedback run', () => {
  const cases: Array<[Record<string, unknown> | undefined, RegExp]> = [
    [{ selfFeedbackJudge: 'base' }, /self-feedback \(the starting policy labels every round\)/],
    [{ selfFeedbackJudge: 'current' }, /self-feedback \(each round&#39;s policy labels itself\)/],
    [undefined, /self-feedback \(each round&#39;s policy labels itself\)/],
  ];
  for (const [settings, expected] of cases) {
    const html = renderReport({ ...fixtureMetrics(), selfFeedback: true, ...(settings && { settings }) } as MetricsInput);
    assert.match(html, expected, JSON.stringify(settings));
  }
  assert.match(renderReport(fixtureMetrics() as MetricsInput), /separate labeler/);
});

test('an external trainer\'s round names the log its curves come from and shows each warning, escaped', () => {
  const steps = [1, 2, 3].map((step) => ({ step, loss: 0.69, 'rewards/chosen': null, 'rewards/rejected': null }));
  const html = renderReport({
    rounds: [{ round: 0, chairI: 0.3 }, { round: 1, chairI: 0.2, dpo: { steps, source: 'trainer_log.jsonl', warnings: ['loss stuck at ln 2 <b>x</b>'] } }],
  });
  assertSafe(html);
  assert.ok(html.includes("From the trainer's trainer_log.jsonl."), 'the source is named');
  assert.ok(html.includes('<p class="warning">Warning: loss stuck at ln 2 &lt;b&gt;x&lt;/b&gt;</p>'));
});
