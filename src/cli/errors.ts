import { RlaifvError } from '../util/errors.ts';

/** An error caused by the user's input (a flag, a file): printed as one line, no stack. */
export class UserError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
