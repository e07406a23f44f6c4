/**
 * Supervised (instruction, response) examples: the base policy learns from noisy captions,
 * the labeler from clean ones; both learn yes/no answers in the labeler's prompt format.
 */
import { YES_NO_SUFFIX } from '../backend/types.ts';
import type { Rng } from '../util/rng.ts';
import { objectsAnswer, whereAnswer } from './answers.ts';
import { describe } from './describe.ts';
import { describeInstruction, objectsInstruction, whereInstruction } from './instructions.ts';
import { absentShape, YES_NO_KIND_WEIGHTS, yesNoQuestion } from './questions.ts';
import type { YesNoKindWeights } from './questions.ts';
import { COLOURS } from './vocab.ts';
import type { Description, Scene } from './vocab.ts';
import type { SftMix, World } from './world.ts';

export const SFT_KINDS = ['describe', 'objects', 'where', 'yesno'] as const;
export type SftKind = (typeof SFT_KINDS)[number];

export interface SftExample {
  kind: SftKind;
  /** Instruction text; yes/no prompts already end with YES_NO_SUFFIX. */
  prompt: string;
  /** Target text; 'Yes' or 'No' for yes/no prompts. */
  response: string;
}

export interface SftOptions {
  /** Caption-noise rate for descriptions; default world.settings.captionNoise. Use 0 for the labeler. */
  captionNoise?: number;
  /** Relative weights of kinds; default world.settings.sftMix. */
  mix?: Partial<SftMix>;
  /** Relative weights of yes/no question kinds; default YES_NO_KIND_WEIGHTS. */
  yesNoKinds?: Partial<YesNoKindWeights>;
}

/** Chance that a "where" question asks about something absent (answer: "There is no X."). */
const WHERE_ABSENT = 0.25;

/**
 * One supervised example about a scene.
 * @example
 * sftExample(world, scene, rng, { captionNoise: 0 });
 * // { kind: 'describe', prompt: 'Describe the image.', response: 'There is a red circle at the top left. ...' }
 */
export function sftExample(world: World, scene: Scene, rng: Rng, options: SftOptions = {}): SftExample {
  const mix = { ...world.settings.sftMix, ...options.mix };
  const weights = SFT_KINDS.map((k) => mix[k]);
  if (!weights.some((w) => w > 0)) throw new Error(`sftExample: mix needs a positive weight, got ${JSON.stringify(mix)}`);
  const kind = SFT_KINDS[rng.weighted(weights)]!;
  switch (kind) {
    case 'describe': {
      const noise = options.captionNoise ?? world.settings.captionNoise;
      return { kind, prompt: describeInstruction(rng), response: describe(scene, rng, { noise, world }).text };
    }
    case 'objects':
      return { kind, prompt: objectsInstruction(rng), response: objectsAnswer(scene) };
    case 'where': {
      const target = whereTarget(world, scene, rng);
      return { kind, prompt: whereInstruction(rng, target), response: whereAnswer(scene, target) };
    }
    case 'yesno': {
      const item = yesNoQuestion(world, scene, rng, rng.chance(0.5), { ...YES_NO_KIND_WEIGHTS, ...options.yesNoKinds });
      return { kind, prompt: `${item.question}${YES_NO_SUFFIX}`, response: item.answer ? 'Yes' : 'No' };
    }
  }
}

/** `[colour] shape` to ask about: usually a present object, sometimes an absent shape or colour. */
function whereTarget(world: World, scene: Scene, rng: Rng): Description {
  const o = rng.pick(scene.objects);
  const withColour = rng.chance(0.5);
  if (!rng.chance(WHERE_ABSENT)) return withColour ? { shape: o.shape, colour: o.colour } : { shape: o.shape };
  if (withColour && rng.chance(0.5)) {
    const colours = COLOURS.filter((c) => !scene.objects.some((p) => p.shape === o.shape && p.colour === c));
    return { shape: o.shape, colour: rng.pick(colours) };
  }
  const shape = absentShape(world, scene, rng);
  return withColour ? { shape, colour: rng.pick(COLOURS) } : { shape };
}
