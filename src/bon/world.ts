/** The best-of-N curve on the world's test scenes, measured against their exact truth. */
import { z } from 'zod';
import type { RunStore } from '../store/index.ts';
import { deriveSeed, Rng } from '../util/rng.ts';
import { analyseResponse, chairMetrics, createWorld, describeInstruction, renderScene } from '../world/index.ts';
import { bonCurve, type BonCurve, type BonModels, type BonProgress, type BonPrompt } from './curve.ts';
import { BonSettingsSchema } from './settings.ts';

/** One describe prompt per test scene; every model call goes through `store`. */
export async function worldBonCurve(models: BonModels, input: z.input<typeof BonSettingsSchema>, store: RunStore, progress?: BonProgress): Promise<BonCurve> {
  const s = BonSettingsSchema.parse(input);
  const world = createWorld({ worldSeed: s.worldSeed });
  const scenes = Array.from({ length: s.limit }, (_, k) => world.scene('test', k));
  const prompts: BonPrompt[] = scenes.map((scene) => ({
    key: scene.id, image: renderScene(scene), prompt: describeInstruction(new Rng(deriveSeed(s.seed, 'bon-prompt', scene.id))),
  }));
  const measure = async (picks: readonly string[]) => {
    const { chairS, chairI, coverage } = chairMetrics(picks.map((text, k) => analyseResponse(scenes[k]!, text)));
    return { chairS, chairI, coverage };
  };
  const curve = await bonCurve(models, prompts, measure, s, store, progress);
  return { source: { bench: 'world', prompts: prompts.length }, ...curve, settings: s };
}
