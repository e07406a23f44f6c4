/**
 * A judge for MMHal-Bench on a world export that rates from the scene's exact truth, standing in
 * for the LLM judge (in tests and for runs without a judge server). It keeps the meaning of the
 * official 0-6 scale, where 0-2 are answers with a hallucination and 3-6 answers without:
 *
 * - false claims = hallucinated objects (a shape not in the scene) + wrong attributes (a present
 *   shape with a colour, size or place no object of that shape has) + false negations ("There is
 *   no X." while an X is there), all from the world's parser (src/world/metrics.ts);
 * - with f > 0 false claims: rating = max(0, 3 - f) (one false claim 2, two 1, three or more 0);
 * - with none: rating = 3 + round(3 * stated / facts), where facts are the scene objects the
 *   reference answer (gt_answer) names plus its negations, and stated those the answer names too
 *   (an object by any mention matched to it, a negation by one at least as general); no facts: 3.
 *
 * The text it writes ends with `Rating: d`, so the official parser (substring `rating: d` of the
 * lowercased text) reads the same number.
 */
import { ConfigError } from '../../util/errors.ts';
import { analyseResponse, parseText } from '../../world/index.ts';
import type { Description, Scene, Split, World } from '../../world/index.ts';

/** What the judge needs of an MMHal item; the MMHal reader's items have these fields. */
export interface WorldMmhalItem {
  /** The scene id, as a world export writes it (`w0-test-3`). */
  imageId: string;
  gtAnswer: string;
}

export interface WorldMmhalRating {
  text: string;
  rating: number | null;
}

export interface WorldMmhalJudge {
  readonly id: string;
  rate(item: WorldMmhalItem, answer: string): Promise<WorldMmhalRating>;
}

const SCENE_ID = /^w(\d+)-(train|val|test)-(\d+)$/;

/** The scene an exported item is about; the id must name a scene of this world. */
export function sceneOfImageId(world: World, imageId: string): Scene {
  const m = SCENE_ID.exec(imageId);
  if (!m) throw new ConfigError(`world MMHal judge: image_id '${imageId}' is not a world scene id (w<seed>-<split>-<index>); rate a world export's template, or use the LLM judge`);
  if (Number(m[1]) !== world.settings.worldSeed) {
    throw new ConfigError(`world MMHal judge: image_id '${imageId}' is a scene of world ${m[1]}, but the judge knows world ${world.settings.worldSeed}; give the export's --world-seed`);
  }
  return world.scene(m[2] as Split, Number(m[3]));
}

/** True when "There is no `general`." implies "There is no `specific`.": every stated attribute agrees. */
function implies(general: Description, specific: Description): boolean {
  return general.shape === specific.shape
    && (general.colour === undefined || general.colour === specific.colour)
    && (general.size === undefined || general.size === specific.size)
    && (general.row === undefined || general.row === specific.row)
    && (general.col === undefined || general.col === specific.col);
}

export interface WorldRatingBreakdown {
  rating: number;
  hallucinated: string[];
  wrongAttributes: string[];
  falseNegations: string[];
  facts: number;
  stated: number;
}

/**
 * The rule above, on one answer.
 * @example
 * rateFromTruth(scene, 'There is a red circle at the top left.', 'There is a red circle at the top left.').rating // 6
 */
export function rateFromTruth(scene: Scene, reference: string, answer: string): WorldRatingBreakdown {
  const a = analyseResponse(scene, answer);
  const ref = analyseResponse(scene, reference);
  const said = (d: Description) => [d.size, d.colour, d.shape].filter(Boolean).join(' ');
  const hallucinated = a.hallucinated.map(said);
  const wrongAttributes = a.attributeErrors.map(said);
  const falseNegations = a.falseNegations.map(said);
  const refObjects = new Set(ref.matchedTo.filter((i): i is number => i !== undefined));
  const answerObjects = new Set(a.matchedTo.filter((i): i is number => i !== undefined));
  const refNegations = parseText(reference).negations.filter((n) => !scene.objects.some((o) => implies(n, o)));
  const answerNegations = parseText(answer).negations;
  const facts = refObjects.size + refNegations.length;
  const stated = [...refObjects].filter((i) => answerObjects.has(i)).length
    + refNegations.filter((r) => answerNegations.some((n) => implies(n, r))).length;
  const falseClaims = hallucinated.length + wrongAttributes.length + falseNegations.length;
  const rating = falseClaims > 0 ? Math.max(0, 3 - falseClaims) : facts === 0 ? 3 : 3 + Math.round((3 * stated) / facts);
  return { rating, hallucinated, wrongAttributes, falseNegations, facts, stated };
}

const list = (xs: string[]) => (xs.length === 0 ? 'none' : xs.join(', '));

/**
 * The judge. `id` names it in results (`world-truth-w0`).
 * @example
 * const r = await worldMmhalJudge(createWorld()).rate(item, 'There is no red star.');
 * r.text.endsWith('Rating: 6') // when the scene has no red star and the reference says so
 */
export function worldMmhalJudge(world: World): WorldMmhalJudge {
  return {
    id: `world-truth-w${world.settings.worldSeed}`,
    async rate(item, answer) {
      const scene = sceneOfImageId(world, item.imageId);
      const b = rateFromTruth(scene, item.gtAnswer, answer);
      const text = [
        `Exact truth of scene ${scene.id}.`,
        `Hallucinated objects: ${list(b.hallucinated)}. Wrong attributes: ${list(b.wrongAttributes)}. False negations: ${list(b.falseNegations)}.`,
        `Reference facts stated: ${b.stated} of ${b.facts}.`,
        `Rating: ${b.rating}`,
      ].join('\n');
      return { text, rating: b.rating };
    },
  };
}
