/**
 * The base of rlaifv's typed errors: a user-facing error, printed by the CLI as one line without a
 * stack, so its message must say what went wrong and what to do (`--model X: no such checkpoint
 * folder (or give an http:// URL ...)`). Anything else that escapes is a bug and keeps its stack.
 */
export class RlaifvError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RlaifvError';
  }
}

/** A configuration that cannot be used: the message names the source, the field and the problem. */
export class ConfigError extends RlaifvError {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A file the user gave, or a run left behind, is missing or malformed: the message names the file (and line) and what to do. */
export class FileError extends RlaifvError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FileError';
  }
}
