/**
 * AMBER from the world (BENCHMARKS.md §2.1), in the official files and id layout: generative ids
 * 1..n (one per image), then every image's attribute questions, then existence, then relation,
 * as the official annotations.json orders its blocks.
 *
 * The mapping:
 * - truth = the scene's distinct shapes; hallu = absent shapes that co-occur with a present one
 *   (the world's prior: the plausible hallucinations Cog measures);
 * - relation.json has every shape as a key with no associated words: an association counts as
 *   safe, and in the world no other shape may stand for a present one, so CHAIR stays the world's;
 *   safe_words.txt is empty for the same reason; metrics.txt holds the official counter seeds;
 * - existence = the world's `exists` questions (type discriminative-hallucination); attribute =
 *   the world's `attribute` questions on colour or size (discriminative-attribute-state); relation
 *   = the world's `place` questions and `attribute` questions on position (the world's relation is
 *   where an object is), typed as AMBER types them: discriminative-relation when the truth is yes,
 *   relation when it is no. Each image gets one yes and one no question per dimension (AMBER's existence
 *   questions are all "no"; a world export asks both).
 * - queries are the world's questions with the suffix its models were trained on
 *   (YES_NO_SUFFIX), so they answer "Yes" or "No", the exact strings AMBER's scorer compares.
 * - images are PNG files `AMBER_k.png` (AMBER's are `AMBER_k.jpg`); the queries name them.
 */
import { YES_NO_SUFFIX } from '../../backend/types.ts';
import { deriveSeed, Rng } from '../../util/rng.ts';
import { COLOURS, DESCRIBE_INSTRUCTIONS, SHAPES, SIZES, YES_NO_KINDS, sceneToPng, yesNoQuestion } from '../../world/index.ts';
import type { Scene, Shape, World, YesNoItem, YesNoKind } from '../../world/index.ts';
import { jsonText, writeExportFile, type ManifestQuestion, type ManifestScene, type WorldExportSettings } from './shared.ts';

export const AMBER_EXPORT_FILES = {
  annotations: 'annotations.json',
  relation: 'relation.json',
  safeWords: 'safe_words.txt',
  metrics: 'metrics.txt',
  queryAll: 'query_all.json',
  queryGenerative: 'query_generative.json',
  queryDiscriminative: 'query_discriminative.json',
  queryExistence: 'query_discriminative-existence.json',
  queryAttribute: 'query_discriminative-attribute.json',
  queryRelation: 'query_discriminative-relation.json',
} as const;

/** AMBER's one generative prompt is "Describe this image."; the world's nearest is its first describe instruction. */
export const AMBER_GENERATIVE_PROMPT = DESCRIBE_INSTRUCTIONS[0];

export type AmberDimension = 'attribute' | 'existence' | 'relation';
/** The official block order of the discriminative ids. */
export const AMBER_DIMENSIONS: readonly AmberDimension[] = ['attribute', 'existence', 'relation'];

/** The world kind each dimension's questions are drawn as. */
const KIND_OF: Record<AmberDimension, YesNoKind> = { attribute: 'attribute', existence: 'exists', relation: 'place' };

export interface AmberGenerativeRecord { id: number; type: 'generative'; truth: string[]; hallu: string[] }
export interface AmberDiscriminativeRecord { id: number; type: string; truth: 'yes' | 'no' }
export interface AmberQueryRecord { id: number; image: string; query: string }

export const amberImageName = (k: number): string => `AMBER_${k + 1}.png`;

/** Only the weight of `kind` is non-zero. */
function only(kind: YesNoKind): Record<YesNoKind, number> {
  return Object.fromEntries(YES_NO_KINDS.map((k) => [k, k === kind ? 1 : 0])) as Record<YesNoKind, number>;
}

/** `Is the circle red?` asks colour; `Is the circle small?` size; `Is the circle at the top left?` place. */
function asksPlace(question: string): boolean {
  return / (at|in|on) the [a-z]+ [a-z]+\?$/.test(question);
}

/**
 * The AMBER type of a world question: by what it asks, not only by the kind it was drawn as
 * (an `attribute` question on position is a relation; a generator that gave up falls back to `exists`).
 */
export function amberType(item: YesNoItem): string {
  if (item.kind === 'exists' || item.kind === 'negation') return 'discriminative-hallucination';
  if (item.kind === 'count') return 'discriminative-attribute-number';
  if (item.kind === 'place' || asksPlace(item.question)) return item.answer ? 'discriminative-relation' : 'relation';
  return 'discriminative-attribute-state';
}

/** The hallucination targets of a scene: absent shapes in the co-occurrence groups of present ones, in SHAPES order. */
export function hallucinationTargets(world: World, scene: Scene): Shape[] {
  const present = new Set(scene.objects.map((o) => o.shape));
  return SHAPES.filter((s) => !present.has(s) && [...present].some((p) => world.cooccurring(p).includes(s)));
}

/** The scene's distinct shapes in reading order. */
export function truthShapes(scene: Scene): Shape[] {
  return [...new Set(scene.objects.map((o) => o.shape))];
}

export interface AmberExport {
  annotations: Array<AmberGenerativeRecord | AmberDiscriminativeRecord>;
  queries: Array<AmberQueryRecord & { dimension: AmberDimension | 'generative' }>;
  questions: ManifestQuestion[];
}

/** Tries to draw an attribute question that asks colour or size rather than place. */
const ATTRIBUTE_TRIES = 20;

/**
 * One yes and one no question of a dimension. Attribute questions are redrawn until they ask
 * colour or size (the world's attribute kind also asks place, which is the relation dimension).
 */
function dimensionQuestions(world: World, scene: Scene, dimension: AmberDimension, rng: Rng): YesNoItem[] {
  return [true, false].map((answer) => {
    let item = yesNoQuestion(world, scene, rng, answer, only(KIND_OF[dimension]));
    for (let t = 1; t < ATTRIBUTE_TRIES && dimension === 'attribute' && amberType(item) !== 'discriminative-attribute-state'; t++) {
      item = yesNoQuestion(world, scene, rng, answer, only(KIND_OF[dimension]));
    }
    return item;
  });
}

/** The dimension an AMBER type belongs to (the block its ids fall in). */
export function dimensionOf(type: string): AmberDimension {
  if (type === 'discriminative-hallucination') return 'existence';
  return type.startsWith('discriminative-attribute') ? 'attribute' : 'relation';
}

export function buildAmber(world: World, scenes: readonly Scene[], s: WorldExportSettings): AmberExport {
  const out: AmberExport = { annotations: [], queries: [], questions: [] };
  scenes.forEach((scene, k) => {
    const id = out.annotations.length + 1;
    out.annotations.push({ id, type: 'generative', truth: truthShapes(scene), hallu: hallucinationTargets(world, scene) });
    out.queries.push({ id, image: amberImageName(k), query: AMBER_GENERATIVE_PROMPT, dimension: 'generative' });
  });
  const drawn = scenes.flatMap((scene, k) => AMBER_DIMENSIONS.flatMap((dimension) =>
    dimensionQuestions(world, scene, dimension, new Rng(deriveSeed(s.seed, 'world-export-amber', dimension, scene.id)))
      .map((item) => ({ item, k, scene, type: amberType(item) }))));
  // Ids in the official block order; within a block, image by image.
  for (const dimension of AMBER_DIMENSIONS) {
    for (const { item, k, scene, type } of drawn.filter((d) => dimensionOf(d.type) === dimension)) {
      const id = out.annotations.length + 1;
      out.annotations.push({ id, type, truth: item.answer ? 'yes' : 'no' });
      out.queries.push({ id, image: amberImageName(k), query: `${item.question}${YES_NO_SUFFIX}`, dimension });
      out.questions.push({ id, sceneId: scene.id, kind: item.kind, truth: item.answer });
    }
  }
  return out;
}

/** relation.json: every shape a key; no associations (see the module comment). */
export function amberRelation(): Record<string, string[]> {
  return Object.fromEntries(SHAPES.map((s) => [s, []]));
}

/** metrics.txt: the official counters, `*_num` seeded with 0.001 and `*_score` with 0, in the official order. */
export function amberMetricsText(): string {
  const generative = ['chair', 'safe_cover', 'hallu_cover'].flatMap((c) => [`${c}_num=0.001`, `${c}_score=0`]);
  const qa = ['', 'as_', 'an_', 'aa_', 'asso_', 'ha_'].flatMap((p) =>
    ['qa_correct', 'qa_no', 'qa_ans_no'].flatMap((c) => [`${p}${c}_score=0`, `${p}${c}_num=0.001`]));
  return [...generative, 'non_hallu_score=0', 'non_hallu_num=0.001', ...qa].join('\n');
}

export function writeAmberExport(dir: string, world: World, scenes: readonly Scene[], s: WorldExportSettings): { files: string[]; scenes: ManifestScene[]; questions: ManifestQuestion[] } {
  const built = buildAmber(world, scenes, s);
  const queries = (keep: (d: AmberDimension | 'generative') => boolean) =>
    jsonText(built.queries.filter((q) => keep(q.dimension)).map(({ id, image, query }) => ({ id, image, query })));
  const F = AMBER_EXPORT_FILES;
  const files = [
    writeExportFile(dir, F.annotations, jsonText(built.annotations)),
    writeExportFile(dir, F.relation, jsonText(amberRelation())),
    writeExportFile(dir, F.safeWords, ''),
    writeExportFile(dir, F.metrics, amberMetricsText()),
    writeExportFile(dir, F.queryAll, queries(() => true)),
    writeExportFile(dir, F.queryGenerative, queries((d) => d === 'generative')),
    writeExportFile(dir, F.queryDiscriminative, queries((d) => d !== 'generative')),
    writeExportFile(dir, F.queryExistence, queries((d) => d === 'existence')),
    writeExportFile(dir, F.queryAttribute, queries((d) => d === 'attribute')),
    writeExportFile(dir, F.queryRelation, queries((d) => d === 'relation')),
    ...scenes.map((scene, k) => writeExportFile(dir, `images/${amberImageName(k)}`, sceneToPng(scene))),
  ];
  return { files, scenes: scenes.map((scene, k) => ({ key: amberImageName(k), sceneId: scene.id, objects: scene.objects })), questions: built.questions };
}

/** Colour and size words, for tests and docs: what an attribute question may ask. */
export const ATTRIBUTE_WORDS: readonly string[] = [...COLOURS, ...SIZES];
