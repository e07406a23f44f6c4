import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockBackend } from '../../backend/mock.ts';
import type { RgbImage } from '../../image/rgb.ts';
import { sha256Hex } from '../../store/index.ts';
import { questionTruth, SHAPES, type Scene, type Shape } from '../../world/index.ts';
import { parseDataEngineConfig } from '../config.ts';
import { instructionSeed } from '../sample/stage.ts';
import { worldInstructions } from '../instructions/instructions.ts';
import { claimAccuracy, falseClaims, pairPrecision } from './feedback-quality.ts';
import { runDataEngine } from '../run.ts';

const scene: Scene = { id: 's', objects: [{ shape: 'circle', colour: 'red', size: 'small', row: 0, col: 0 }] };

test('claimAccuracy compares accepts() with the truth and skips claims without one', () => {
  const r = claimAccuracy([
    { result: { yes: 0.9, no: 0.1 }, truth: true },
    { result: { yes: 0.5, no: 0.5 }, truth: true }, // a tie rejects: wrong
    { result: { yes: 0.1, no: 0.9 }, truth: false },
    { result: { yes: 0.9, no: 0.1 }, truth: undefined },
  ]);
  assert.deepEqual(r, { accuracy: 2 / 3, judged: 3, correct: 2 });
  assert.equal(claimAccuracy([]).accuracy, null);
});

test('pairPrecision counts pairs whose chosen answer hallucinates strictly fewer objects', () => {
  const r = pairPrecision([
    { scene, chosen: 'There is a circle.', rejected: 'There is a star.' },
    { scene, chosen: 'There is a star.', rejected: 'There is a circle.' },
    { scene, chosen: 'There is a star.', rejected: 'There is a bar.' },
  ]);
  assert.deepEqual(r, { precision: 1 / 3, pairs: 3, correct: 1, ties: 1, decisive: 1 / 2, truthAgreement: 1 / 3 });
  assert.deepEqual(pairPrecision([]), { precision: null, pairs: 0, correct: 0, ties: 0, decisive: null, truthAgreement: null });
});

test('truth agreement counts every false claim, not only hallucinated objects', () => {
  // The scene has a small red circle at the top left: a wrong colour is a false claim but no hallucination.
  const r = pairPrecision([
    { scene, chosen: 'There is a red circle.', rejected: 'There is a blue circle.' },
    { scene, chosen: 'There is a blue circle.', rejected: 'There is a red circle. There is a star.' },
  ]);
  assert.equal(r.ties, 1);
  assert.equal(r.decisive, 1);
  assert.equal(r.truthAgreement, 1 / 2, 'the second pair ties on false claims (one each)');
  assert.equal(falseClaims(scene, 'There is a red circle at the top left. There is a blue circle. There is a star.'), 2);
});

/** A shape absent from the scene. */
const absent = (s: Scene): Shape => SHAPES.find((shape) => !s.objects.some((o) => o.shape === shape))!;

test('the run measures claim accuracy and pair precision against the world truth', async () => {
  const config = parseDataEngineConfig({ input: { count: 3 }, sampling: { n: 2, seed: 3 }, batchSize: 2 });
  const set = worldInstructions(config.input);
  const [a, b, c] = set.instructions.map((i) => i.scene!) as [Scene, Scene, Scene];
  // Candidate 0 of every scene states a present shape, candidate 1 an absent one.
  const texts = new Map<number, string>();
  for (const ins of set.instructions) {
    const seed = instructionSeed(config.sampling.seed, ins.id);
    texts.set(seed, `There is a ${ins.scene!.objects[0]!.shape}.`);
    texts.set(seed + 1, `There is a ${absent(ins.scene!)}.`);
  }
  const policy = new MockBackend('scripted-policy', { text: (_r, seed) => texts.get(seed)! });
  // The labeler answers truthfully about scenes a and b and the opposite about scene c.
  const sceneOf = new Map(set.instructions.map((i) => [i.imageKey, i.scene!]));
  const key = (image: RgbImage) => sha256Hex(image.data);
  const labeler = new MockBackend('scripted-labeler', {
    yesNo: (q) => {
      const s = sceneOf.get(key(q.image))!;
      const truth = questionTruth(s, q.question)!;
      const answer = s.id === c.id ? !truth : truth;
      return answer ? { yes: 0.8, no: 0.2 } : { yes: 0.3, no: 0.7 };
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-engine-truth-'));
  try {
    const { summary, pairs } = await runDataEngine(config, { policy, labeler, outDir: dir, keepPairs: true });
    assert.equal(summary.candidates, 6);
    assert.equal(summary.questions, 6);
    assert.equal(summary.claimsWithTruth, 6);
    assert.equal(summary.claimAccuracy, 4 / 6);
    assert.equal(summary.labelerYesRate, 3 / 6);
    assert.equal(summary.pairs, 3);
    assert.equal(summary.pairPrecision, 2 / 3);
    const chosen = new Map(pairs.map((p) => [p.instructionId, p.chosen]));
    assert.equal(chosen.get(a.id), `There is a ${a.objects[0]!.shape}.`);
    assert.equal(chosen.get(b.id), `There is a ${b.objects[0]!.shape}.`);
    assert.equal(chosen.get(c.id), `There is a ${absent(c)}.`, 'the lying labeler reverses scene c');
    const verdicts = readFileSync(join(dir, 'verdicts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(verdicts.map((v) => v.truth), [true, false, true, false, true, false]);
    assert.deepEqual(verdicts.map((v) => v.question), set.instructions.flatMap((i) => [`Is there a ${i.scene!.objects[0]!.shape}?`, `Is there a ${absent(i.scene!)}?`]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
