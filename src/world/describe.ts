/**
 * Reference descriptions: one atomic sentence per object, in reading order, in a few phrasings.
 * With caption noise, sentences about plausible but absent objects are inserted, the way noisy
 * instruction data teaches real MLLMs to hallucinate objects that usually co-occur.
 */
import { z } from 'zod';
import type { Rng } from '../util/rng.ts';
import { capitalise, describeAs, indefinite, position, PREPOSITIONS } from './phrases.ts';
import type { Preposition } from './phrases.ts';
import { cellOf, COLOURS, SHAPES, SIZES } from './vocab.ts';
import type { Description, GridIndex, Scene, Shape, WorldObject } from './vocab.ts';
import type { World } from './world.ts';

const unit = () => z.number().min(0).max(1);

export const CaptionStyleSchema = z.strictObject({
  noise: unit().default(0).describe('chance, per true object sentence, of inserting a sentence about an absent object'),
  maxInserted: z.number().int().min(0).default(2)
    .describe('most inserted sentences per caption; keeps captions within the model\'s text length'),
  noiseCooccurrence: unit().default(0.8)
    .describe('chance that an inserted shape is taken from shapes co-occurring with present ones (when any is absent)'),
  colour: unit().default(0.9).describe('chance that a sentence states the colour'),
  size: unit().default(0.6).describe('chance that a sentence states the size'),
  position: unit().default(0.85).describe('chance that a sentence states the position'),
});
export type CaptionStyle = z.infer<typeof CaptionStyleSchema>;

export interface DescribeOptions extends Partial<CaptionStyle> {
  /** Needed when noise > 0: inserted shapes follow its co-occurrence prior and colour favourites. */
  world?: World;
}

export interface Caption {
  text: string;
  sentences: string[];
  /** The absent objects the noisy sentences talk about. */
  inserted: WorldObject[];
}

/**
 * Describe a scene, one object per sentence.
 * @example
 * describe(scene, rng).text; // 'There is a large red circle at the top left. A blue star is in the middle centre.'
 * describe(scene, rng, { noise: 0.3, world }).inserted; // objects that are not in the scene
 */
export function describe(scene: Scene, rng: Rng, options: DescribeOptions = {}): Caption {
  const style = CaptionStyleSchema.parse(stripWorld(options));
  if (style.noise > 0 && !options.world) {
    throw new Error('describe: caption noise needs options.world (for the co-occurrence prior); pass { noise, world }');
  }
  const inserted = options.world && style.noise > 0 ? drawInserted(scene, rng, options.world, style) : [];
  const all = [...scene.objects, ...inserted].sort((a, b) => cellOf(a) - cellOf(b));
  const sentences = all.map((o) => objectSentence(o, rng, style));
  return { text: sentences.join(' '), sentences, inserted };
}

/** One sentence about one object, stating some of its attributes. */
export function objectSentence(o: WorldObject, rng: Rng, style: Pick<CaptionStyle, 'colour' | 'size' | 'position'>): string {
  const d = describeAs(o, { colour: rng.chance(style.colour), size: rng.chance(style.size), position: rng.chance(style.position) });
  return sentenceFor(d, rng);
}

/** A random phrasing of one description: `'There is a red circle at the top left.'`, `'I can see a star.'`. */
export function sentenceFor(d: Description, rng: Rng): string {
  const np = indefinite(d);
  const pos = position(d, pickPreposition(rng));
  if (!pos) return rng.chance(0.6) ? `There is ${np}.` : `I can see ${np}.`;
  switch (rng.weighted([0.4, 0.25, 0.2, 0.15])) {
    case 0: return `There is ${np} ${pos}.`;
    case 1: return `${capitalise(np)} is ${pos}.`;
    case 2: return `I can see ${np} ${pos}.`;
    default: return `${capitalise(pos)}, there is ${np}.`;
  }
}

function pickPreposition(rng: Rng): Preposition {
  return PREPOSITIONS[rng.weighted([0.6, 0.2, 0.2])]!;
}

/** Absent objects in empty cells, favouring shapes that co-occur with the present ones. */
function drawInserted(scene: Scene, rng: Rng, world: World, style: CaptionStyle): WorldObject[] {
  const present = new Set(scene.objects.map((o) => o.shape));
  const usedCells = new Set(scene.objects.map(cellOf));
  const out: WorldObject[] = [];
  for (let i = 0; i < scene.objects.length && out.length < style.maxInserted; i++) {
    if (!rng.chance(style.noise)) continue;
    const taken = new Set([...present, ...out.map((o) => o.shape)]);
    const absent = SHAPES.filter((s) => !taken.has(s));
    const cells = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((c) => !usedCells.has(c));
    if (absent.length === 0 || cells.length === 0) break;
    const near = absent.filter((s) => [...present].some((p) => world.cooccurring(p).includes(s)));
    const shape: Shape = near.length > 0 && rng.chance(style.noiseCooccurrence) ? rng.pick(near) : rng.pick(absent);
    const cell = rng.pick(cells);
    usedCells.add(cell);
    out.push({
      shape,
      colour: rng.chance(world.settings.colourPrior) ? world.favouriteColour[shape] : rng.pick(COLOURS),
      size: rng.pick(SIZES),
      row: Math.floor(cell / 3) as GridIndex,
      col: (cell % 3) as GridIndex,
    });
  }
  return out;
}

function stripWorld(options: DescribeOptions): Partial<CaptionStyle> {
  const { world: _world, ...style } = options;
  return style;
}
