/**
 * A claim's verdict as the label stage hands it on: the labeler's yes/no probabilities, and a
 * person's answer where one audited the claim, which overrides them.
 */
import { accepts, type YesNoResult } from '../../backend/types.ts';
import type { HumanAnswer } from './human-verdicts.ts';

/** The labeler's answer to a claim's question, and a person's where one audited it (`rlaifv audit`). */
export type Judgement = YesNoResult & { human?: HumanAnswer };

/** A person's verdict overrides the labeler's: `claimAccepted({ yes: 0.9, no: 0.1, human: 'no' }) -> false`. */
export function claimAccepted(j: Judgement): boolean {
  return j.human === undefined ? accepts(j) : j.human === 'yes';
}
