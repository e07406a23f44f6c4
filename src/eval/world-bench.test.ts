import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Candidate, ModelBackend, YesNoQuery, YesNoResult } from '../backend/types.ts';
import { createWorld, WorldOracle } from '../world/index.ts';
import { accuracyByKind } from '../world/metrics.ts';
import { evaluateWorld } from './world-bench.ts';

const LIMIT = 12;
const world = createWorld({ worldSeed: 0 });
const oracle = new WorldOracle(Array.from({ length: LIMIT }, (_, i) => world.scene('test', i)));

/** Describes every image as one circle; answers yes/no with `answer`. */
function backend(answer: (q: YesNoQuery[]) => Promise<YesNoResult[]>): ModelBackend {
  return {
    name: 'test-backend',
    async generate(batch) {
      return batch.map((r): Candidate[] => [{
        text: 'There is a circle.', seed: r.seed ?? 0, model: 'test', tokens: 4, finishReason: 'stop',
        settings: { temperature: 0, topP: 1, maxTokens: 16 },
      }]);
    },
    yesNo: answer,
    async logProbs() { throw new Error('not used'); },
  };
}

test("place questions are reported apart: they change neither the yes/no figures nor each other's questions", async () => {
  const alwaysYes = backend(async (b) => b.map(() => ({ yes: 1, no: 0 })));
  const withPlace = await evaluateWorld(alwaysYes, { limit: LIMIT, placeQuestionsPerScene: 2 });
  const without = await evaluateWorld(alwaysYes, { limit: LIMIT, placeQuestionsPerScene: 0 });
  assert.deepEqual(withPlace.yesNo, without.yesNo);
  assert.equal(without.placeAccuracy, null);
  assert.equal(withPlace.yesNoByKind.place?.n, 2 * LIMIT);
  // Always yes: right on exactly the balanced half whose answer is yes.
  assert.equal(withPlace.placeAccuracy, 0.5);
  assert.deepEqual([withPlace.yesNoByKind.place?.yesAccuracy, withPlace.yesNoByKind.place?.noAccuracy], [1, 0]);
});

test('a judge that knows the truth gets every place question right', async () => {
  const exact = await evaluateWorld(backend((b) => oracle.yesNo(b)), { limit: LIMIT });
  assert.equal(exact.placeAccuracy, 1);
  assert.equal(exact.yesNoAccuracy, 1);
  for (const [kind, a] of Object.entries(exact.yesNoByKind)) assert.equal(a.accuracy, 1, kind);
});

test('accuracyByKind splits by kind and by true answer', () => {
  const rows = [
    { items: [], want: {} },
    { items: [{ kind: 'a', predicted: true, truth: true }], want: { a: { n: 1, accuracy: 1, yesAccuracy: 1, noAccuracy: null } } },
    {
      items: [
        { kind: 'a', predicted: true, truth: true }, { kind: 'a', predicted: true, truth: false },
        { kind: 'a', predicted: false, truth: false }, { kind: 'b', predicted: true, truth: false },
      ],
      want: { a: { n: 3, accuracy: 2 / 3, yesAccuracy: 1, noAccuracy: 0.5 }, b: { n: 1, accuracy: 0, yesAccuracy: null, noAccuracy: 0 } },
    },
  ];
  for (const { items, want } of rows) assert.deepEqual(accuracyByKind(items), want);
});

test('offset evaluates the scenes from that index on', async () => {
  const seen: number[] = [];
  const judge = backend(async (b) => b.map(() => ({ yes: 1, no: 0 })));
  const r = await evaluateWorld(judge, { limit: 3, offset: 5, questionsPerScene: 0, placeQuestionsPerScene: 0 });
  for (const e of r.examples) seen.push(Number(e.sceneId.split('-').pop()));
  assert.deepEqual(seen, [5, 6, 7]);
  // 'There is a circle.' is a hallucination exactly in the scenes without a circle.
  const circles = [5, 6, 7].map((i) => world.scene('test', i).objects.some((o) => o.shape === 'circle'));
  assert.equal(r.chairS, circles.filter((c) => !c).length / 3);
});
