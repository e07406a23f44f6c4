/** The feedback store's typed error (re-exported by `./store.ts`). */
import { RlaifvError } from '../util/errors.ts';

/**
 * Something a person, an admin or a run folder gave the feedback store cannot be used: a field of
 * the wrong type or over its size limit, an unknown / used / revoked invite, a revoked person, a
 * malformed `audit.jsonl` line. One line naming the field (or file:line) and what to do.
 */
export class FeedbackError extends RlaifvError {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'FeedbackError';
  }
}
