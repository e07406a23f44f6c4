import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportWorldBenchmark } from '../bench/world-export/index.ts';
import { openStore } from '../store/index.ts';
import { tempDir } from '../util/temp-dir.ts';
import { createWorld } from '../world/index.ts';
import { benchBonCurve, benchMetrics } from './bench.ts';
import { craftedModels } from './testing.ts';

const world = createWorld({ worldSeed: 0 });
const scenes = Array.from({ length: 6 }, (_, k) => world.scene('test', k));

for (const name of ['objhal', 'amber'] as const) {
  test(`on the ${name} world export, the benchmark's own scorer measures the picks: the reward's are free of the added hallucination from N=2 on`, async () => {
    const dir = tempDir(`bon-${name}-`);
    exportWorldBenchmark(name, dir, { n: 6 });
    const store = openStore(':memory:');
    const models = craftedModels(scenes);
    const curve = await benchBonCurve(name, dir, models, { n: [1, 2, 4] }, store);
    assert.deepEqual(curve.source, { bench: name, data: dir, prompts: 6 });
    const at = (selector: keyof typeof curve.selectors, n: number) => curve.selectors[selector].find((p) => p.n === n)!;
    // Candidate 0 adds an absent shape in every answer; the scorer counts it (both name the world's shapes).
    assert.equal(at('reward', 1).chairS, 1);
    assert.equal(at('reward', 2).chairS, 0);
    assert.equal(at('reward', 4).hallucinationFree, 1);
    assert.equal(at('referencePerplexity', 4).chairS, 1, 'the reference cannot tell the candidates apart');
    assert.ok(at('reward', 2).coverage > 0);
    store.close();
  });
}

test('benchmark metrics become shares: Object HalBench\'s as they are, AMBER\'s percentages over 100; no mention is an error', () => {
  assert.deepEqual(benchMetrics('objhal', { chairS: 0.5, chairI: 0.25, recall: 0.75 }), { chairS: 0.5, chairI: 0.25, coverage: 0.75 });
  assert.deepEqual(benchMetrics('amber', { hal: 50, chair: 25, cover: 75 }), { chairS: 0.5, chairI: 0.25, coverage: 0.75 });
  assert.throws(() => benchMetrics('objhal', { chairS: null, chairI: null, recall: null }), /objhal scored no chairS/);
});
