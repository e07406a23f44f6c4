import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isYesNoJudge, type ResponseScorer, type Sampler } from '../backend/types.ts';
import { Rng } from '../util/rng.ts';
import { createWorld, renderScene, WorldOracle, yesNoQuestions } from './index.ts';

test('the world oracle answers every generated question with its exact truth', async () => {
  const world = createWorld({ worldSeed: 0 });
  const scenes = Array.from({ length: 20 }, (_, i) => world.scene('train', i));
  const oracle = new WorldOracle(scenes);
  const items = scenes.flatMap((scene, i) => yesNoQuestions(world, scene, new Rng(i), 6).map((q) => ({ ...q, image: renderScene(scene) })));
  const results = await oracle.yesNo(items.map((q) => ({ image: q.image, question: q.question })));
  assert.deepEqual(results.map((r) => r.yes === 1), items.map((q) => q.answer));
  assert.ok(items.some((q) => q.answer) && items.some((q) => !q.answer));
});

test('the world oracle says it cannot judge what it was not given', async () => {
  const world = createWorld({ worldSeed: 0 });
  const oracle = new WorldOracle([world.scene('train', 0)]);
  const [unknown] = await oracle.yesNo([{ image: renderScene(world.scene('train', 0)), question: 'Is the weather nice?' }]);
  assert.deepEqual(unknown, { yes: 0.5, no: 0.5 });
  await assert.rejects(oracle.yesNo([{ image: renderScene(world.scene('train', 1)), question: 'Is there a circle?' }]), /not a rendered scene it was given/);
});

test('the world oracle is a yes/no judge only: it cannot be the policy or score responses', () => {
  const oracle = new WorldOracle([]);
  assert.ok(isYesNoJudge(oracle));
  // @ts-expect-error the oracle has no generate: the type checker refuses it as a policy
  const policy: Sampler = oracle;
  // @ts-expect-error nor does it score responses
  const reference: ResponseScorer = oracle;
  assert.equal((policy as Partial<Sampler>).generate, undefined);
  assert.equal((reference as Partial<ResponseScorer>).logProbs, undefined);
});
