/**
 * The world benchmark: CHAIR-style object hallucination on describe prompts, and AMBER-style
 * yes/no accuracy, both against the world's exact ground truth. Works on any model that samples and
 * judges yes/no (an embedded checkpoint, or an OpenAI-compatible server through the HTTP backend).
 */
import { accepts, type Sampler, type YesNoJudge } from '../backend/types.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import {
  accuracyByKind, analyseResponse, chairMetrics, createWorld, describeInstruction, renderScene, YES_NO_KIND_WEIGHTS,
  YES_NO_KINDS, yesNoMetrics, yesNoQuestions,
  type ChairMetrics, type KindAccuracy, type Scene, type YesNoKind, type YesNoMetrics,
} from '../world/index.ts';
import { EvalSettingsSchema, type EvalSettings, type EvalSettingsInput } from './settings.ts';

export interface WorldEvalResult extends ChairMetrics {
  split: string;
  worldSeed: number;
  model: string;
  yesNoAccuracy: number;
  yesNoF1: number;
  yesNo: YesNoMetrics;
  /** Accuracy per question kind (the benchmark's kinds and 'place'), split by the true answer. */
  yesNoByKind: Partial<Record<YesNoKind, KindAccuracy>>;
  /**
   * Accuracy on the extra 'place' questions (placeQuestionsPerScene per scene; null with none):
   * whether the model binds an object to its cell, the judgement a description's commonest false
   * claim (a real object at a wrong place) needs. Not part of yesNoAccuracy.
   */
  placeAccuracy: number | null;
  /** Mean generated tokens per description. */
  meanTokens: number;
  /** A few descriptions with their verdicts, for reports. */
  examples: Array<{ sceneId: string; prompt: string; text: string; hallucinated: string[] }>;
  settings: EvalSettings;
}

const ONLY_PLACE = Object.fromEntries(YES_NO_KINDS.map((k) => [k, k === 'place' ? 1 : 0])) as typeof YES_NO_KIND_WEIGHTS;

export interface EvalHooks {
  progress?: (done: number, total: number, stage: string) => void;
}

/**
 * Evaluate a model on `limit` scenes of a world split, from scene `offset` on.
 * @example
 * const r = await evaluateWorld(model, { split: 'test', limit: 100 });
 * console.log(r.chairI, r.coverage, r.yesNoAccuracy);
 */
export async function evaluateWorld(backend: Sampler & YesNoJudge, input: EvalSettingsInput = {}, hooks: EvalHooks = {}): Promise<WorldEvalResult> {
  const s = EvalSettingsSchema.parse(input);
  const world = createWorld({ worldSeed: s.worldSeed });
  const scenes: Scene[] = Array.from({ length: s.limit }, (_, i) => world.scene(s.split, s.offset + i));
  const images = scenes.map((scene) => renderScene(scene));
  const prompts = scenes.map((scene) => describeInstruction(new Rng(deriveSeed(s.seed, 'eval-prompt', scene.id))));

  const analyses: ReturnType<typeof analyseResponse>[] = [];
  const examples: WorldEvalResult['examples'] = [];
  let tokens = 0;
  let texts = 0;
  for (let i = 0; i < scenes.length; i += s.batchSize) {
    const idx = [...Array(Math.min(s.batchSize, scenes.length - i)).keys()].map((k) => i + k);
    const out = await backend.generate(
      idx.map((k) => ({ image: images[k]!, prompt: prompts[k]!, seed: deriveSeed(s.seed, 'eval-sample', k) })),
      { n: s.samplesPerScene, seed: s.seed, temperature: s.temperature, topP: s.topP, maxTokens: s.maxTokens },
    );
    out.forEach((cands, j) => {
      const k = idx[j]!;
      for (const c of cands) {
        const a = analyseResponse(scenes[k]!, c.text);
        analyses.push(a);
        tokens += c.tokens;
        texts += 1;
        if (examples.length < 12) examples.push({ sceneId: scenes[k]!.id, prompt: prompts[k]!, text: c.text, hallucinated: a.hallucinated.map((m) => m.shape) });
      }
    });
    hooks.progress?.(Math.min(scenes.length, i + s.batchSize), scenes.length, 'describe');
  }

  const questions = scenes.flatMap((scene, k) => [
    ...yesNoQuestions(world, scene, new Rng(deriveSeed(s.seed, 'eval-questions', scene.id)), s.questionsPerScene)
      .map((q) => ({ ...q, k, extra: false })),
    ...yesNoQuestions(world, scene, new Rng(deriveSeed(s.seed, 'eval-place', scene.id)), s.placeQuestionsPerScene, ONLY_PLACE)
      .map((q) => ({ ...q, k, extra: true })),
  ]);
  const verdicts: Array<{ predicted: boolean; truth: boolean; kind: YesNoKind; extra: boolean }> = [];
  for (let i = 0; i < questions.length; i += s.batchSize) {
    const chunk = questions.slice(i, i + s.batchSize);
    const res = await backend.yesNo(chunk.map((q) => ({ image: images[q.k]!, question: q.question })));
    res.forEach((r, j) => verdicts.push({ predicted: accepts(r), truth: chunk[j]!.answer, kind: chunk[j]!.kind, extra: chunk[j]!.extra }));
    hooks.progress?.(Math.min(questions.length, i + s.batchSize), questions.length, 'yes/no');
  }
  const yesNo = yesNoMetrics(verdicts.filter((v) => !v.extra));
  const place = verdicts.filter((v) => v.extra);
  return {
    ...chairMetrics(analyses),
    split: s.split,
    worldSeed: s.worldSeed,
    model: backend.name,
    yesNoAccuracy: yesNo.accuracy,
    yesNoF1: yesNo.f1,
    yesNo,
    yesNoByKind: accuracyByKind(verdicts),
    placeAccuracy: place.length === 0 ? null : yesNoMetrics(place).accuracy,
    meanTokens: texts ? tokens / texts : 0,
    examples,
    settings: s,
  };
}
