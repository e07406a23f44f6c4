/**
 * What round i of the loop does under the settings, decided before any model runs: which model
 * samples, who judges, and the data engine's configuration.
 */
import { parseDataEngineConfig, type DataEngineConfig } from '../pipeline/index.ts';
import { mergeSettings } from '../util/settings.ts';
import { ablationVariant, type SamplerRole } from './ablations.ts';
import type { AlignSettings } from './settings.ts';

export interface RoundRoles {
  /** 'current': the round's starting policy M_{i-1}; 'base': M_0. */
  sampler: SamplerRole;
  /**
   * 'labeler': the labeler checkpoint; 'oracle': the world's exact truth; 'sampler': the model that
   * sampled judges its own candidates (self-feedback); 'base': M_0, to the data engine a labeler like any other.
   */
  judge: 'labeler' | 'oracle' | 'sampler' | 'base';
}

/**
 * Which model samples round `i` and who judges it.
 * @example roundRoles(parseAlignSettings({ selfFeedback: true }), 2) // { sampler: 'current', judge: 'base' }
 */
export function roundRoles(s: AlignSettings, i: number): RoundRoles {
  const variant = ablationVariant(s.ablation);
  const judge = variant.judge === 'oracle' ? 'oracle' : !s.selfFeedback ? 'labeler' : judgedByBase(s, i) ? 'base' : 'sampler';
  return { sampler: variant.sampler, judge };
}

/**
 * Self-feedback where M_0, not the round's sampler, judges round i's claims. In round 1, and when
 * M_0 samples every round, the sampler is M_0, so it judges itself.
 */
function judgedByBase(s: AlignSettings, i: number): boolean {
  return s.selfFeedback && s.selfFeedbackJudge === 'base' && i > 1 && ablationVariant(s.ablation).sampler !== 'base';
}

/**
 * The data engine's configuration of round `i`: the user's `data` overrides, the variant's, and the
 * round's slice of instructions (disjoint across rounds) of the world or of the `data.input` file.
 */
export function roundDataConfig(s: AlignSettings, i: number): DataEngineConfig {
  const rows = { offset: (i - 1) * s.instructionsPerRound, count: s.instructionsPerRound };
  const source = (s.data['input'] as { source?: unknown } | undefined)?.source;
  const slice = {
    // An instruction file (a served model's own data) is read a slice per round; otherwise the world's train split.
    input: typeof source === 'string' && source !== 'world' ? rows : { source: 'world', worldSeed: s.worldSeed, split: 'train', ...rows },
    label: { selfFeedback: s.selfFeedback && !judgedByBase(s, i) },
  };
  return parseDataEngineConfig(mergeSettings(mergeSettings(s.data, ablationVariant(s.ablation).data), slice), `align settings 'data' (round ${i})`);
}
