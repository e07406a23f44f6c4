import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureMetrics } from './metrics.fixture.ts';
import { MetricsFormatError, parseMetrics } from './metrics.ts';

test('parseMetrics reads every field of a complete metrics.json, and fills the defaults of a sparse one', () => {
  assert.deepEqual(parseMetrics(fixtureMetrics()), fixtureMetrics(), 'the fixture uses only declared fields, all of them kept');
  const sparse = parseMetrics({ rounds: [{ round: 1, dpo: {} }], samples: [{ round: 1, question: 'q', chosen: { text: 'a' }, rejected: { text: 'b' } }] });
  assert.deepEqual(sparse.rounds[0]!.dpo, { steps: [] });
  assert.deepEqual(sparse.samples[0]!.chosen.claims, []);
});

test('parseMetrics accepts and drops keys it does not know (a newer writer\'s file still renders), and refuses wrong types', () => {
  const m = parseMetrics({ rounds: [{ round: 0, chairI: 0.2, futureMetric: 3 }], futureSection: { a: 1 } });
  assert.deepEqual(m, { rounds: [{ round: 0, chairI: 0.2 }], samples: [] });
  assert.throws(() => parseMetrics({ rounds: [{ round: 0, pairTruthAgreement: 'high' }] }, 'run/metrics.json'),
    (e: unknown) => e instanceof MetricsFormatError && /run\/metrics\.json: .*\n {2}rounds\[0\]\.pairTruthAgreement: /.test(e.message));
});
