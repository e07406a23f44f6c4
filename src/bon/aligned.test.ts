import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateWorld } from '../eval/world-bench.ts';
import { loadCheckpoint } from '../model/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { initEngine } from '../tensor/tf.ts';

test('models/policy-aligned, the demo\'s final policy, ships beside its parent and hallucinates less than it on the world', async () => {
  await initEngine();
  const settings = loadSettings();
  const aligned = loadCheckpoint(shippedModel(settings, 'policy-aligned'));
  const base = loadCheckpoint(shippedModel(settings, 'policy-base'));
  const config = JSON.parse(readFileSync(join(shippedModel(settings, 'policy-aligned'), 'config.json'), 'utf8'));
  assert.equal(config.info.round, 4, 'round 4 of the demo');
  const [a, b] = [await evaluateWorld(aligned, { limit: 40 }), await evaluateWorld(base, { limit: 40 })];
  assert.ok(a.chairI < b.chairI, `CHAIRi ${a.chairI} (aligned) vs ${b.chairI} (base)`);
  assert.ok(a.coverage >= 0.9 * b.coverage, `coverage ${a.coverage} vs ${b.coverage}`);
  aligned.dispose();
  base.dispose();
});
