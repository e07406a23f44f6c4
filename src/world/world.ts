/**
 * A seeded world: a co-occurrence prior over shapes (shape groups, like "fork, knife, plate" in
 * photos), a favourite colour per shape (bananas are yellow), and deterministic scenes split
 * into train / val / test by content.
 */
import { z } from 'zod';
import { Rng, deriveSeed } from '../util/rng.ts';
import { cellOf, COLOURS, SHAPES, SIZES, sceneKey } from './vocab.ts';
import type { Colour, GridIndex, Scene, Shape, WorldObject } from './vocab.ts';

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const unit = () => z.number().min(0).max(1);

export const SftMixSchema = z.strictObject({
  describe: z.number().min(0).default(4).describe('detailed descriptions: the task RLAIF-V aligns'),
  objects: z.number().min(0).default(1).describe('"what objects are there" lists'),
  where: z.number().min(0).default(1).describe('"where is the X" answers, including "There is no X."'),
  yesno: z.number().min(0).default(4).describe('yes/no questions; the labeler protocol depends on them'),
}).describe('relative weights of supervised example kinds');
export type SftMix = z.infer<typeof SftMixSchema>;

export const WorldSettingsSchema = z.strictObject({
  worldSeed: z.number().int().min(0).default(0).describe('draws the co-occurrence prior, colour favourites and every scene'),
  minObjects: z.number().int().min(1).max(6).default(1).describe('fewest objects in a scene'),
  maxObjects: z.number().int().min(1).max(6).default(5)
    .describe('most objects in a scene; at most 6 so that every scene leaves absent shapes and empty cells for negatives'),
  shapeGroups: z.number().int().min(1).max(SHAPES.length).default(3)
    .describe('shapes are dealt into this many co-occurrence groups'),
  cooccurrence: unit().default(0.8)
    .describe('probability that each further object of a scene comes from the first object\'s group (else any shape)'),
  colourPrior: unit().default(0.6)
    .describe('probability that an object has its shape\'s favourite colour (else a uniform colour), so wrong colours are plausible negatives'),
  captionNoise: unit().default(0.25)
    .describe('default caption-noise rate: chance, per true object sentence, of inserting a sentence about an absent object'),
  trainFraction: unit().default(0.8).describe('share of scene contents that belong to train'),
  valFraction: unit().default(0.1).describe('share of scene contents that belong to val; test gets the rest'),
  sftMix: SftMixSchema.default(SftMixSchema.parse({})).describe('relative weights of supervised example kinds in sftExample'),
}).refine((s) => s.minObjects <= s.maxObjects, { message: 'minObjects must be <= maxObjects', path: ['minObjects'] })
  .refine((s) => s.trainFraction + s.valFraction < 1, {
    message: 'trainFraction + valFraction must be < 1 so that test is not empty', path: ['valFraction'],
  });
export type WorldSettings = z.infer<typeof WorldSettingsSchema>;
export type WorldSettingsInput = z.input<typeof WorldSettingsSchema>;

export interface World {
  readonly settings: WorldSettings;
  /** The co-occurrence groups, drawn from worldSeed. */
  readonly groups: readonly (readonly Shape[])[];
  readonly favouriteColour: Readonly<Record<Shape, Colour>>;
  /** Scene `index` of `split`; the same arguments always give the same scene. */
  scene(split: Split, index: number): Scene;
  /** Shapes that tend to appear with `shape` (its group, itself excluded): hard negatives. */
  cooccurring(shape: Shape): Shape[];
  /** The split a scene's content belongs to. */
  splitOf(objects: readonly WorldObject[]): Split;
}

/** A split with no attempts left means the fractions are too small to ever reach it. */
const MAX_ATTEMPTS = 10_000;

/**
 * Build a world from (partial) settings.
 * @example
 * const world = createWorld({ worldSeed: 3 });
 * world.scene('train', 0).objects; // [{ shape: 'ring', colour: 'blue', size: 'large', row: 0, col: 2 }, ...]
 */
export function createWorld(input: WorldSettingsInput = {}): World {
  const settings = WorldSettingsSchema.parse(input);
  const seed = settings.worldSeed;
  const groups = dealGroups(new Rng(deriveSeed(seed, 'groups')), settings.shapeGroups);
  const colourRng = new Rng(deriveSeed(seed, 'favourite-colours'));
  const favouriteColour = Object.fromEntries(SHAPES.map((s) => [s, colourRng.pick(COLOURS)])) as Record<Shape, Colour>;
  const groupOf = (shape: Shape) => groups.find((g) => g.includes(shape))!;

  const splitOf = (objects: readonly WorldObject[]): Split => {
    const u = deriveSeed(seed, 'split', sceneKey(objects)) / 4294967296;
    if (u < settings.trainFraction) return 'train';
    return u < settings.trainFraction + settings.valFraction ? 'val' : 'test';
  };

  const drawObjects = (rng: Rng): WorldObject[] => {
    const n = settings.minObjects + rng.int(settings.maxObjects - settings.minObjects + 1);
    const cells = rng.sample([0, 1, 2, 3, 4, 5, 6, 7, 8], n);
    const first = rng.pick(SHAPES);
    const objects = cells.map((cell, i): WorldObject => {
      const shape = i === 0 ? first : rng.chance(settings.cooccurrence) ? rng.pick(groupOf(first)) : rng.pick(SHAPES);
      const colour = rng.chance(settings.colourPrior) ? favouriteColour[shape] : rng.pick(COLOURS);
      return { shape, colour, size: rng.pick(SIZES), row: Math.floor(cell / 3) as GridIndex, col: (cell % 3) as GridIndex };
    });
    return objects.sort((a, b) => cellOf(a) - cellOf(b));
  };

  return {
    settings,
    groups,
    favouriteColour,
    splitOf,
    cooccurring: (shape) => groupOf(shape).filter((s) => s !== shape),
    scene(split, index) {
      if (!SPLITS.includes(split)) throw new Error(`world.scene: split must be one of ${SPLITS.join(', ')}, got '${split}'`);
      if (!Number.isInteger(index) || index < 0) throw new Error(`world.scene: index must be an integer >= 0, got ${index}`);
      // Resample until the content hashes into the requested split: splits are disjoint by content.
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const objects = drawObjects(new Rng(deriveSeed(seed, 'scene', split, index, attempt)));
        if (splitOf(objects) === split) return { id: `w${seed}-${split}-${index}`, objects };
      }
      throw new Error(`world.scene: no '${split}' scene after ${MAX_ATTEMPTS} draws; raise its fraction (trainFraction/valFraction)`);
    },
  };
}

/** Shuffle the shapes and deal them into `k` contiguous groups of near-equal size. */
function dealGroups(rng: Rng, k: number): Shape[][] {
  const order = rng.shuffle([...SHAPES]);
  return Array.from({ length: k }, (_, g) =>
    order.slice(Math.floor((g * order.length) / k), Math.floor(((g + 1) * order.length) / k)));
}
