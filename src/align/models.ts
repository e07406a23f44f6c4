/**
 * The models of an align run, opened and saved in this one file: the policy being trained, the
 * judge that stays fixed through the run, a copy of M_0 loaded only when a step needs it, and the
 * fingerprints that name them in settings.json and in the data engine's records.
 */
import { EmbeddedModel, loadCheckpoint, saveCheckpoint } from '../model/index.ts';
import { checkpointId, openCheckpoint } from '../model/open.ts';
import type { CheckpointRecord } from '../dpo/index.ts';
import { loadSettings, shippedModel } from '../settings.ts';
import { createWorld, WorldOracle } from '../world/index.ts';
import { ablationVariant } from './ablations.ts';
import type { AlignSettings } from './settings.ts';

/** Fingerprints of the models that never change during a run, hashed once. */
export interface ModelIds {
  policy: string;
  /** The labeler's fingerprint, the oracle's name, or null under self-feedback. */
  labeler: string | null;
}

export class AlignModels {
  private m0?: EmbeddedModel;

  constructor(
    /** M_0's checkpoint folder. */
    readonly policyDir: string,
    /** M_0 at the start, M_i once round i is promoted. */
    public policy: EmbeddedModel,
    /** The labeler checkpoint or the world's exact truth; none under self-feedback, where a policy judges. */
    readonly labeler: EmbeddedModel | WorldOracle | undefined,
    readonly ids: ModelIds,
  ) {}

  /** A copy of M_0 beside the trained policy, loaded once when first needed: the no-iteration sampler, the self-feedback judge, the coverage and held-out references. */
  base(): EmbeddedModel {
    return (this.m0 ??= loadCheckpoint(this.policyDir, 'policy-base'));
  }

  /** `model`'s weights fingerprint; M_0's copy is known by its id without hashing again. */
  async fingerprint(model: EmbeddedModel): Promise<string> {
    return model === this.m0 ? this.ids.policy : checkpointId(model);
  }

  /** Make the checkpoint in `dir` (M_i of a finished round) the policy. */
  resumePolicy(dir: string, name: string): void {
    this.policy.dispose();
    this.policy = loadCheckpoint(dir, name);
  }

  /**
   * Save the trained policy as round `round`'s M_i in `dir` and read it back, so that the next
   * round starts from the saved weights exactly as a resumed run does.
   */
  async promote(dir: string, round: number, best: CheckpointRecord | null): Promise<void> {
    await saveCheckpoint(this.policy, dir, { round, parent: round === 1 ? this.policyDir : `round-${round - 1}`, best });
    this.resumePolicy(dir, `round-${round}`);
  }

  dispose(): void {
    this.policy.dispose();
    if (this.labeler instanceof EmbeddedModel) this.labeler.dispose();
    this.m0?.dispose();
  }
}

/** Open the starting policy and the fixed judge the settings name, and fingerprint them. */
export async function openModels(s: AlignSettings): Promise<AlignModels> {
  const env = loadSettings();
  const policyDir = s.policy ?? shippedModel(env, 'policy-base');
  const labelerDir = s.labeler ?? shippedModel(env, 'labeler');
  const oracle = ablationVariant(s.ablation).judge === 'oracle' ? worldOracle(s) : undefined;
  const labeler = s.selfFeedback || oracle ? undefined : await openCheckpoint(labelerDir, 'labeler');
  const start = await openCheckpoint(policyDir, 'policy-base');
  // Identities as `generate` computes them, so the two share cached calls.
  const ids = { policy: start.id, labeler: oracle ? oracle.name : labeler?.id ?? null };
  return new AlignModels(policyDir, start.backend, oracle ?? labeler?.backend, ids);
}

/** The exact-truth labeler, knowing every train scene the rounds draw instructions from. */
export function worldOracle(s: AlignSettings): WorldOracle {
  const world = createWorld({ worldSeed: s.worldSeed });
  return new WorldOracle(Array.from({ length: s.rounds * s.instructionsPerRound }, (_, k) => world.scene('train', k)));
}
