/**
 * A labeler that answers from the world's exact truth: the ceiling of the feedback. Running the
 * method with it separates what the labeler's mistakes cost from what the rest of the method
 * (sampling, divide-and-conquer, pairs, DPO) can do with perfect feedback.
 *
 * It knows scenes by their rendered pixels, so it only judges images of the scenes it was given.
 * It is a YesNoJudge and nothing more: it cannot sample or score, and the types say so.
 */
import { createHash } from 'node:crypto';
import type { YesNoJudge, YesNoQuery, YesNoResult } from '../backend/types.ts';
import type { RgbImage } from '../image/rgb.ts';
import { questionTruth } from './claims.ts';
import { renderScene } from './render.ts';
import type { Scene } from './vocab.ts';

/** Answer given to a question outside the world's grammar: no evidence either way. */
const UNKNOWN: YesNoResult = { yes: 0.5, no: 0.5 };

export class WorldOracle implements YesNoJudge {
  readonly name = 'world-oracle';
  private readonly scenes = new Map<string, Scene>();

  /** `scenes`: every scene whose rendered image the oracle will be asked about. */
  constructor(scenes: Iterable<Scene>) {
    for (const scene of scenes) this.scenes.set(imageKey(renderScene(scene)), scene);
  }

  async yesNo(batch: YesNoQuery[]): Promise<YesNoResult[]> {
    return batch.map((q) => {
      const scene = this.scenes.get(imageKey(q.image));
      if (!scene) throw new Error('world oracle: an image that is not a rendered scene it was given (the oracle judges world instructions only)');
      const truth = questionTruth(scene, q.question);
      return truth === undefined ? UNKNOWN : truth ? { yes: 1, no: 0 } : { yes: 0, no: 1 };
    });
  }
}

function imageKey(image: RgbImage): string {
  return createHash('sha1').update(`${image.width}x${image.height}:`).update(image.data).digest('hex');
}
