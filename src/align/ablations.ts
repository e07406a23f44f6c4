/**
 * The method's variants (docs/method.md §6): the full method (`none`) and each ablation that switches off one
 * part of it, one entry apiece. An entry says all a variant changes: the data engine's settings,
 * which model samples the candidates, and who judges the claims. The `ablation` setting, `rlaifv
 * align --ablation` and `rlaifv ablate` all read their variants from here.
 */

/** Which model samples round i's candidates: the round's starting policy M_{i-1}, or M_0 in every round. */
export type SamplerRole = 'current' | 'base';

/**
 * Who judges the claims: the feedback the settings name (the labeler checkpoint, or the policy
 * itself under self-feedback), or the world's exact truth.
 */
export type JudgeRole = 'feedback' | 'oracle';

export interface AblationVariant {
  /** What the variant does, as `--ablation`'s help and the settings' description show it. */
  description: string;
  /** Data-engine settings laid over the user's `data` (the `rlaifv generate` config keys). */
  data: Record<string, unknown>;
  sampler: SamplerRole;
  judge: JudgeRole;
}

const FULL_METHOD = { data: {}, sampler: 'current', judge: 'feedback' } as const;

export const ABLATIONS = {
  none: { ...FULL_METHOD, description: 'the full method' },
  'no-deconfounding': {
    ...FULL_METHOD,
    description: 'candidates under mixed decoding settings',
    data: { sampling: { mixed: [{ temperature: 0.4, topP: 1 }, { temperature: 0.7, topP: 0.9 }, { temperature: 1, topP: 1 }, { temperature: 1.3, topP: 1 }] } },
  },
  'no-divide': { ...FULL_METHOD, description: 'the labeler judges whole answers', data: { divide: { method: 'whole' } } },
  'no-iteration': { ...FULL_METHOD, description: 'every round samples from M_0', sampler: 'base' },
  'oracle-feedback': { ...FULL_METHOD, description: 'the world\'s exact truth answers every question (the ceiling of the feedback)', judge: 'oracle' },
} as const satisfies Record<string, AblationVariant>;

export type AblationName = keyof typeof ABLATIONS;

/** Every variant's name, the full method first (the order `rlaifv ablate` runs them in). */
export const ABLATION_NAMES = Object.keys(ABLATIONS) as [AblationName, ...AblationName[]];

/**
 * The variant called `name`.
 * @example ablationVariant('no-iteration').sampler // 'base'
 */
export function ablationVariant(name: string): AblationVariant {
  if (!Object.hasOwn(ABLATIONS, name)) throw new Error(`ablation '${name}' must be one of ${ABLATION_NAMES.join(', ')}`);
  return ABLATIONS[name as AblationName];
}

/** The ablations (every variant but the full method), each with what it does: `'no-divide': the labeler judges whole answers; ...`. */
export function ablationsHelp(): string {
  return ABLATION_NAMES.filter((n) => n !== 'none').map((n) => `'${n}': ${ABLATIONS[n].description}`).join('; ');
}
