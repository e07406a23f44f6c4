/**
 * Balanced yes/no questions about a scene, with hard negatives: absent shapes that co-occur
 * with present ones, and wrong colours, sizes and positions of present shapes. The 'polar' kind
 * is exactly the form toPolarQuestion gives description sentences, so the labeler is trained
 * on the questions the data engine will ask it.
 */
import type { Rng } from '../util/rng.ts';
import { objectsAnswer } from './answers.ts';
import { questionTruth, toPolarQuestion } from './claims.ts';
import { bareNoun, describeAs, indefiniteWithPosition, numberWord, position } from './phrases.ts';
import { cellOf, COLOURS, SHAPES } from './vocab.ts';
import type { Description, GridIndex, Scene, Shape, WorldObject } from './vocab.ts';
import type { World } from './world.ts';

export const YES_NO_KINDS = ['polar', 'exists', 'attribute', 'negation', 'count', 'place'] as const;
export type YesNoKind = (typeof YES_NO_KINDS)[number];
export type YesNoKindWeights = Readonly<Record<YesNoKind, number>>;

/**
 * Relative frequency of each kind: mostly the polar form the data engine asks. 'place' is off by
 * default (so the benchmark's questions stay the ones every earlier figure was measured on);
 * labeler training turns it on, because a policy's commonest false claim is a real object at a
 * wrong place, and polar questions rarely ask that.
 */
export const YES_NO_KIND_WEIGHTS: YesNoKindWeights = {
  polar: 0.4, exists: 0.25, attribute: 0.2, negation: 0.07, count: 0.08, place: 0,
};
/** Chance that a 'place' negative moves its object onto another object's cell, when there is one. */
const OCCUPIED_CELL = 0.5;
/** Chance that a 'place' negative is wrong about the place (else about colour or size). */
const WRONG_PLACE = 0.7;
/** Chance that a negative's absent shape is one that co-occurs with a present shape. */
const HARD_NEGATIVE = 0.7;
const MAX_TRIES = 30;

export interface YesNoItem {
  /** The question alone; the labeler prompt appends YES_NO_SUFFIX. */
  question: string;
  answer: boolean;
  kind: YesNoKind;
}

/**
 * `count` questions, half answered yes (the odd one out at random), in random order.
 * @example
 * yesNoQuestions(world, scene, rng, 4);
 * // [{ question: 'Is there a small red circle?', answer: true, kind: 'polar' },
 * //  { question: 'Is the circle blue?', answer: false, kind: 'attribute' }, ...]
 */
export function yesNoQuestions(world: World, scene: Scene, rng: Rng, count: number, kinds: YesNoKindWeights = YES_NO_KIND_WEIGHTS): YesNoItem[] {
  const answers = Array.from({ length: count }, (_, i) => (i === count - 1 && count % 2 === 1 ? rng.chance(0.5) : i % 2 === 0));
  return rng.shuffle(answers).map((answer) => yesNoQuestion(world, scene, rng, answer, kinds));
}

/** One question whose exact answer is `answer`; the kind is drawn from `kinds` (default YES_NO_KIND_WEIGHTS). */
export function yesNoQuestion(world: World, scene: Scene, rng: Rng, answer: boolean, kinds: YesNoKindWeights = YES_NO_KIND_WEIGHTS): YesNoItem {
  const weights = YES_NO_KINDS.map((k) => kinds[k]);
  for (let t = 0; t < MAX_TRIES; t++) {
    const kind = YES_NO_KINDS[rng.weighted(weights)]!;
    const question = GENERATORS[kind]({ world, scene, rng, answer });
    // Every question is checked against the scene: a perturbation can land on another true object.
    if (questionTruth(scene, question) === answer) return { question, answer, kind };
  }
  // Always possible: a present shape for yes, an absent shape (scenes leave some) for no.
  const shape = answer ? rng.pick(scene.objects).shape : absentShape(world, scene, rng);
  return { question: `Is there a ${shape}?`, answer, kind: 'exists' };
}

interface Ctx { world: World; scene: Scene; rng: Rng; answer: boolean }

const GENERATORS: Record<YesNoKind, (c: Ctx) => string> = {
  polar({ world, scene, rng, answer }) {
    const o = rng.pick(scene.objects);
    const d = describeAs(o, { colour: rng.chance(0.7), size: rng.chance(0.5), position: rng.chance(0.6) });
    return `Is there ${indefiniteWithPosition(answer ? d : perturb(world, scene, rng, o, d))}?`;
  },
  exists({ world, scene, rng, answer }) {
    return `Is there a ${answer ? rng.pick(scene.objects).shape : absentShape(world, scene, rng)}?`;
  },
  attribute({ world, scene, rng, answer }) {
    const o = rng.pick(scene.objects);
    const which = rng.pick(['colour', 'size', 'position'] as const);
    const d = answer ? describeAs(o, { [which]: true }) : perturb(world, scene, rng, o, describeAs(o, { [which]: true }), which);
    const predicate = which === 'colour' ? d.colour : which === 'size' ? d.size : position(d);
    return `Is the ${o.shape} ${predicate}?`;
  },
  negation({ world, scene, rng, answer }) {
    const o = rng.pick(scene.objects);
    const d = describeAs(o, { colour: rng.chance(0.5), position: rng.chance(0.3) });
    const target = answer ? perturb(world, scene, rng, o, d, 'shape') : d;
    const pos = position(target);
    return `Is there no ${bareNoun(target)}${pos ? ` ${pos}` : ''}?`;
  },
  count({ world, scene, rng, answer }) {
    const n = scene.objects.length;
    if (rng.chance(0.5)) {
      const wrong = n === 1 ? 2 : rng.chance(0.5) ? n - 1 : n + 1;
      return `${(answer ? n : wrong) === 1 ? 'Is there one object' : `Are there ${numberWord(answer ? n : wrong)} objects`}?`;
    }
    if (answer) return toPolarQuestion(objectsAnswer(scene));
    const objects = [...scene.objects];
    const k = rng.int(objects.length);
    objects[k] = { ...objects[k]!, shape: absentShape(world, scene, rng) };
    return toPolarQuestion(objectsAnswer({ ...scene, objects }));
  },
  // The form of a description's sentence ("Is there a large red circle at the top left?"); a
  // negative is usually a real object at a wrong cell, half the time a cell another object holds,
  // which only binding what is seen to where it is can answer.
  place({ world, scene, rng, answer }) {
    const o = rng.pick(scene.objects);
    const d = describeAs(o, { colour: rng.chance(0.9), size: rng.chance(0.7), position: true });
    if (answer) return `Is there ${indefiniteWithPosition(d)}?`;
    if (!rng.chance(WRONG_PLACE)) {
      const which = d.colour && (!d.size || rng.chance(0.5)) ? 'colour' : 'size';
      return `Is there ${indefiniteWithPosition(perturb(world, scene, rng, o, d, which))}?`;
    }
    const occupied = scene.objects.map(cellOf).filter((c) => c !== cellOf(o));
    const cells = occupied.length > 0 && rng.chance(OCCUPIED_CELL) ? occupied : ALL_CELLS.filter((c) => c !== cellOf(o));
    const cell = rng.pick(cells);
    return `Is there ${indefiniteWithPosition({ ...d, row: Math.floor(cell / 3) as GridIndex, col: (cell % 3) as GridIndex })}?`;
  },
};

const ALL_CELLS = [0, 1, 2, 3, 4, 5, 6, 7, 8];

type Attribute = 'shape' | 'colour' | 'size' | 'position';

/** A description of `o` made false in one attribute (a stated one, or `which`). */
function perturb(world: World, scene: Scene, rng: Rng, o: WorldObject, d: Description, which?: Attribute): Description {
  const stated: Attribute[] = ['shape'];
  if (d.colour) stated.push('colour');
  if (d.size) stated.push('size');
  if (d.row !== undefined) stated.push('position');
  switch (which ?? rng.pick(stated)) {
    case 'shape': return { ...d, shape: absentShape(world, scene, rng) };
    case 'colour': {
      // The shape's favourite colour is the most tempting wrong answer.
      const fav = world.favouriteColour[o.shape];
      return { ...d, colour: fav !== o.colour && rng.chance(0.5) ? fav : rng.pick(COLOURS.filter((c) => c !== o.colour)) };
    }
    case 'size': return { ...d, size: o.size === 'small' ? 'large' : 'small' };
    case 'position': {
      const cell = rng.pick(ALL_CELLS.filter((c) => c !== cellOf(o)));
      return { ...d, row: Math.floor(cell / 3) as GridIndex, col: (cell % 3) as GridIndex };
    }
  }
}

/** An absent shape, usually one that co-occurs with a present shape (a hard negative). */
export function absentShape(world: World, scene: Scene, rng: Rng): Shape {
  const present = new Set(scene.objects.map((o) => o.shape));
  const absent = SHAPES.filter((s) => !present.has(s));
  const near = absent.filter((s) => [...present].some((p) => world.cooccurring(p).includes(s)));
  if (near.length > 0 && rng.chance(HARD_NEGATIVE)) return rng.pick(near);
  return rng.pick(absent);
}
