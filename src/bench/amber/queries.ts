/**
 * The queries of an AMBER run, narrowed as upstream's `--evaluation_type` does: `a` all, `g`
 * generative, `d` all discriminative, `de`/`da`/`dr` existence, attribute, relation.
 */
import { ConfigError } from '../../util/errors.ts';
import type { AmberData, AmberQuery, AmberType } from './data.ts';

export type AmberEvaluationType = 'a' | 'g' | 'd' | 'de' | 'da' | 'dr';
export const AMBER_EVALUATION_TYPES: readonly AmberEvaluationType[] = ['a', 'g', 'd', 'de', 'da', 'dr'];

const TYPES: Record<Exclude<AmberEvaluationType, 'a' | 'd'>, readonly AmberType[]> = {
  g: ['generative'],
  de: ['discriminative-hallucination'],
  da: ['discriminative-attribute-state', 'discriminative-attribute-number', 'discriminative-attribute-action'],
  dr: ['discriminative-relation', 'relation'],
};

export function amberQueries(data: AmberData, evaluationType: AmberEvaluationType = 'a'): AmberQuery[] {
  if (!AMBER_EVALUATION_TYPES.includes(evaluationType)) {
    throw new ConfigError(`AMBER evaluation type "${evaluationType}" must be one of ${AMBER_EVALUATION_TYPES.join(', ')}`, 'evaluationType');
  }
  if (evaluationType === 'a') return data.queries;
  if (evaluationType === 'd') return data.queries.filter((q) => q.type !== 'generative');
  const wanted = TYPES[evaluationType];
  return data.queries.filter((q) => wanted.includes(q.type));
}
