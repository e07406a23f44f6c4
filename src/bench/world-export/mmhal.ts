/**
 * MMHal-Bench from the world (BENCHMARKS.md §3.1): `response_template.json` in the official
 * record format and an `images/` folder. Record i keeps the official type of position i % 8, so
 * the per-type scores stay meaningful; its question is the world instruction nearest that type:
 *
 * | i % 8 | official type | world question |
 * |---|---|---|
 * | 0 | attribute | "Where is the circle?" (a present shape; the answer names its colour and place) |
 * | 1 | adversarial | "Where is the red star?" for an absent shape (the answer: "There is no red star.") |
 * | 2 | comparison | "What objects are in the image?" (the answer compares nothing, but lists every object) |
 * | 3 | counting | "What objects are in the image?" (the answer states how many) |
 * | 4 | relation | "Where is the red circle?" (a present object's place) |
 * | 5 | environment | a describe instruction |
 * | 6 | holistic | a describe instruction |
 * | 7 | other | "Where is the [colour] X?" where X is present in another colour (a wrong-colour premise) |
 *
 * gt_answer is the world's exact answer; image_content lists the scene's shapes (capitalised and
 * distinct, as OpenImages labels are); image_id is the scene id (the world judge reads the scene
 * from it); image_src is `images/<scene id>.png`, whose last segment names the image file.
 */
import { deriveSeed, Rng } from '../../util/rng.ts';
import {
  absentShape, COLOURS, describeInstruction, objectsAnswer, objectsInstruction, sceneToPng, whereAnswer, whereInstruction,
} from '../../world/index.ts';
import type { Description, Scene, World } from '../../world/index.ts';
import { jsonText, truthCaption, writeExportFile, type ManifestScene, type WorldExportSettings } from './shared.ts';

export const MMHAL_EXPORT_FILES = { template: 'response_template.json', images: 'images' } as const;

/** The official order: record i has type MMHAL_TYPES[i % 8] (eval_gpt_mmhal.py). */
export const MMHAL_TYPES = ['attribute', 'adversarial', 'comparison', 'counting', 'relation', 'environment', 'holistic', 'other'] as const;
export type MmhalType = (typeof MMHAL_TYPES)[number];

/** MMHal-Bench's size; the official scorer asserts it, so it is a world export's default. */
export const MMHAL_SIZE = 96;

/** The world instruction kind each type is asked as. */
export type WorldQuestionKind = 'where-present' | 'where-absent' | 'where-wrong-colour' | 'objects' | 'where-placed' | 'describe';
export const WORLD_KIND_OF_TYPE: Readonly<Record<MmhalType, WorldQuestionKind>> = {
  attribute: 'where-present',
  adversarial: 'where-absent',
  comparison: 'objects',
  counting: 'objects',
  relation: 'where-placed',
  environment: 'describe',
  holistic: 'describe',
  other: 'where-wrong-colour',
};

export interface MmhalTemplateRecord {
  question_type: MmhalType;
  question_topic: string;
  image_id: string;
  image_src: string;
  image_content: string[];
  question: string;
  gt_answer: string;
  model_answer: string;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Distinct shapes in reading order, as labels: `['Circle', 'Star']`. */
export function imageContent(scene: Scene): string[] {
  return [...new Set(scene.objects.map((o) => capitalise(o.shape)))];
}

/** What the question asks about, for the where kinds. */
function whereTarget(world: World, scene: Scene, rng: Rng, kind: WorldQuestionKind): Description {
  const o = rng.pick(scene.objects);
  switch (kind) {
    case 'where-present': return { shape: o.shape };
    case 'where-placed': return { shape: o.shape, colour: o.colour };
    case 'where-absent': return { shape: absentShape(world, scene, rng), colour: rng.pick(COLOURS) };
    default: {
      const wrong = COLOURS.filter((c) => !scene.objects.some((p) => p.shape === o.shape && p.colour === c));
      return { shape: o.shape, colour: rng.pick(wrong) };
    }
  }
}

/** Question and exact answer of one record. */
export function worldQuestion(world: World, scene: Scene, kind: WorldQuestionKind, rng: Rng, seed: number): { question: string; answer: string } {
  if (kind === 'describe') return { question: describeInstruction(rng), answer: truthCaption(scene, seed) };
  if (kind === 'objects') return { question: objectsInstruction(rng), answer: objectsAnswer(scene) };
  const target = whereTarget(world, scene, rng, kind);
  return { question: whereInstruction(rng, target), answer: whereAnswer(scene, target) };
}

/** Record i is about scene i. */
export function mmhalTemplate(world: World, scenes: readonly Scene[], s: WorldExportSettings): MmhalTemplateRecord[] {
  return scenes.map((scene, i) => {
    const type = MMHAL_TYPES[i % MMHAL_TYPES.length]!;
    const kind = WORLD_KIND_OF_TYPE[type];
    const { question, answer } = worldQuestion(world, scene, kind, new Rng(deriveSeed(s.seed, 'world-export-mmhal', scene.id)), s.seed);
    return {
      question_type: type,
      question_topic: kind,
      image_id: scene.id,
      image_src: `${MMHAL_EXPORT_FILES.images}/${scene.id}.png`,
      image_content: imageContent(scene),
      question,
      gt_answer: answer,
      model_answer: '',
    };
  });
}

export function writeMmhalExport(dir: string, world: World, scenes: readonly Scene[], s: WorldExportSettings): { files: string[]; scenes: ManifestScene[] } {
  const files = [
    writeExportFile(dir, MMHAL_EXPORT_FILES.template, jsonText(mmhalTemplate(world, scenes, s))),
    ...scenes.map((scene) => writeExportFile(dir, `${MMHAL_EXPORT_FILES.images}/${scene.id}.png`, sceneToPng(scene))),
  ];
  return { files, scenes: scenes.map((scene) => ({ key: scene.id, sceneId: scene.id, objects: scene.objects })) };
}
