/**
 * Object HalBench from the world (BENCHMARKS.md §1.1): the question file with base64 images, COCO
 * style instance and caption annotations, and a synonym list, in the official formats.
 *
 * The mapping, chosen so the CHAIR extractor counts what the world's CHAIRi counts:
 * - a COCO category is one of the world's shapes (its object kinds); colour, size and place are
 *   attributes, as "red" is in "a red car": the world counts a real shape with a wrong colour as an
 *   attribute error, not a hallucination, and so does CHAIR;
 * - a mention is one shape word (each repeat its own mention, as the world counts them);
 * - the synonym list has one line per shape, the shape first, then its plural (the world's
 *   language never uses plurals, but a lemmatizer-free extractor or an LLM's list may);
 * - each image's ground truth is its objects' shapes (instances), and the reference captions name
 *   exactly those objects, so the union CHAIR takes adds nothing.
 */
import type { Scene, World } from '../../world/index.ts';
import { CELL_SIZE, DESCRIBE_INSTRUCTIONS, IMAGE_SIZE, objectsAnswer, SHAPES, describeInstruction } from '../../world/index.ts';
import {
  EXPORT_SPLIT, evalDescribePrompt, jsonText, pngBase64, truthCaption, writeExportFile,
  type ManifestScene, type WorldExportSettings,
} from './shared.ts';

export const OBJHAL_FILES = {
  questions: 'obj_halbench_with_image.jsonl',
  instances: 'instances.json',
  captions: 'captions.json',
  synonyms: 'synonyms_refine.txt',
} as const;

/** A line of the official question file (`org_idx` is the record's position). */
export interface ObjhalQuestionRecord {
  image_id: number;
  question: string;
  /** base64 PNG (the official file holds base64 JPEG). */
  image: string;
  org_idx: number;
}

/** COCO ids start at 1: scene k of the test split is image k + 1. */
export const objhalImageId = (sceneIndex: number): number => sceneIndex + 1;
/** Category id of a shape: its position in SHAPES + 1. */
export const shapeCategoryId = (shape: string): number => SHAPES.indexOf(shape as (typeof SHAPES)[number]) + 1;

/** `plural('cross')` -> `'crosses'`, `plural('star')` -> `'stars'`. */
export function plural(noun: string): string {
  return /(s|x|z|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** The synonym list in the official format: `circle, circles` per line, the class first. */
export function worldSynonymList(): string {
  return SHAPES.map((s) => `${s}, ${plural(s)}`).join('\n') + '\n';
}

export function objhalQuestions(scenes: readonly Scene[], s: WorldExportSettings): ObjhalQuestionRecord[] {
  return scenes.map((scene, i) => ({
    image_id: objhalImageId(i),
    question: evalDescribePrompt(s.seed, scene, describeInstruction),
    image: pngBase64(scene),
    org_idx: i,
  }));
}

const cocoImages = (scenes: readonly Scene[]) =>
  scenes.map((scene, i) => ({ id: objhalImageId(i), file_name: `${scene.id}.png`, width: IMAGE_SIZE, height: IMAGE_SIZE }));

const info = (world: World, what: string) => ({
  description: `rlaifv world ${world.settings.worldSeed}, ${EXPORT_SPLIT} split: ${what}`,
  version: '1.0',
});

/**
 * COCO instances: the shapes as categories, one annotation per object; its box is the object's
 * grid cell (the renderer keeps every shape inside its cell; the exact pixels carry jitter).
 */
export function objhalInstances(world: World, scenes: readonly Scene[]): object {
  let id = 0;
  const annotations = scenes.flatMap((scene, i) => scene.objects.map((o) => ({
    id: ++id,
    image_id: objhalImageId(i),
    category_id: shapeCategoryId(o.shape),
    bbox: [o.col * CELL_SIZE, o.row * CELL_SIZE, CELL_SIZE, CELL_SIZE],
    area: CELL_SIZE * CELL_SIZE,
    iscrowd: 0,
    segmentation: [],
  })));
  return {
    info: info(world, 'instances'),
    licenses: [],
    images: cocoImages(scenes),
    annotations,
    categories: SHAPES.map((shape) => ({ id: shapeCategoryId(shape), name: shape, supercategory: 'shape' })),
  };
}

/** COCO captions: the exact truth caption (every attribute) and the object list of each scene. */
export function objhalCaptions(world: World, scenes: readonly Scene[], s: WorldExportSettings): object {
  let id = 0;
  const annotations = scenes.flatMap((scene, i) => [truthCaption(scene, s.seed), objectsAnswer(scene)]
    .map((caption) => ({ id: ++id, image_id: objhalImageId(i), caption })));
  return { info: info(world, 'captions'), licenses: [], images: cocoImages(scenes), annotations };
}

/** Writes the four files; returns their paths relative to `dir` and the manifest's scenes. */
export function writeObjhalExport(dir: string, world: World, scenes: readonly Scene[], s: WorldExportSettings): { files: string[]; scenes: ManifestScene[] } {
  const lines = objhalQuestions(scenes, s).map((r) => JSON.stringify(r)).join('\n') + '\n';
  const files = [
    writeExportFile(dir, OBJHAL_FILES.questions, lines),
    writeExportFile(dir, OBJHAL_FILES.instances, jsonText(objhalInstances(world, scenes))),
    writeExportFile(dir, OBJHAL_FILES.captions, jsonText(objhalCaptions(world, scenes, s))),
    writeExportFile(dir, OBJHAL_FILES.synonyms, worldSynonymList()),
  ];
  return { files, scenes: scenes.map((scene, i) => ({ key: String(objhalImageId(i)), sceneId: scene.id, objects: scene.objects })) };
}

/** The world's describe prompts stand in for the official eight (which use words the world's models never saw). */
export const OBJHAL_WORLD_PROMPTS = DESCRIBE_INSTRUCTIONS;
