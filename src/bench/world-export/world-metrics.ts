/**
 * The exact world metrics of answers given on a world export, computed from its manifest, so a
 * benchmark run can show them beside the benchmark's own (`world` in results.json): the world's
 * CHAIRi, CHAIRs and coverage of the description answers, and its yes/no accuracy on the
 * exported yes/no questions.
 */
import { analyseResponse, chairMetrics, yesNoMetrics } from '../../world/index.ts';
import type { Scene } from '../../world/index.ts';
import { FileError } from '../../util/errors.ts';
import type { WorldExportManifest } from './shared.ts';

export interface WorldAgreement {
  chairI: number;
  chairS: number;
  coverage: number;
  /** null when no yes/no answer was given. */
  yesNoAccuracy: number | null;
  descriptions: number;
  yesNo: number;
}

/** One description answer: `key` names the image as the manifest's scenes do (objhal image_id, AMBER image file, MMHal image_id). */
export interface KeyedAnswer { key: string; text: string }
/** One yes/no answer to a manifest question (`id` = the AMBER query id). */
export interface YesNoAnswer { id: number; predicted: boolean }

/**
 * @example
 * worldAgreement(readWorldExportManifest(dir), [{ key: '1', text: 'There is a red circle.' }]).chairI
 */
export function worldAgreement(manifest: WorldExportManifest, descriptions: readonly KeyedAnswer[], yesNo: readonly YesNoAnswer[] = []): WorldAgreement {
  const scenes = new Map<string, Scene>(manifest.scenes.map((s) => [s.key, { id: s.sceneId, objects: s.objects }]));
  const truths = new Map(manifest.questions.map((q) => [q.id, q.truth]));
  const analyses = descriptions.map((d) => {
    const scene = scenes.get(d.key);
    if (!scene) throw new FileError(`world-export.json: no scene for image '${d.key}' (the export has ${manifest.scenes.length} images); score answers to this export's files`);
    return analyseResponse(scene, d.text);
  });
  const verdicts = yesNo.map((a) => {
    const truth = truths.get(a.id);
    if (truth === undefined) throw new FileError(`world-export.json: no yes/no question with id ${a.id}; score answers to this export's files`);
    return { predicted: a.predicted, truth };
  });
  const chair = chairMetrics(analyses);
  return {
    chairI: chair.chairI,
    chairS: chair.chairS,
    coverage: chair.coverage,
    yesNoAccuracy: verdicts.length === 0 ? null : yesNoMetrics(verdicts).accuracy,
    descriptions: analyses.length,
    yesNo: verdicts.length,
  };
}
