/**
 * What the CLI prints for an error, and its exit status (docs/cli.md "Exit codes and errors"):
 * - a typed error (`RlaifvError`) says what went wrong and what to do: `rlaifv: <message>`, exit 1;
 * - anything else is a bug: one line, `rlaifv: internal error (a bug): <its first line, cut at 300
 *   characters> (RLAIFV_DEBUG=1 prints the stack)`, exit 2;
 * - with RLAIFV_DEBUG=1, the full stack (and causes) of either, with the same status.
 * Nothing else is printed: not a stack, not the source line Node shows for an uncaught exception
 * (which, thrown from the minified TF.js wasm module, was 40 KB of code).
 */
import { inspect } from 'node:util';
import { RlaifvError } from '../util/errors.ts';

export const EXIT_ERROR = 1;
export const EXIT_BUG = 2;

const MAX_LINE = 300;

export function describeError(err: unknown, debug: boolean): { text: string; exitCode: number } {
  const exitCode = err instanceof RlaifvError ? EXIT_ERROR : EXIT_BUG;
  if (debug) return { text: `rlaifv: ${inspect(err, { depth: 4 })}\n`, exitCode };
  if (err instanceof RlaifvError) return { text: `rlaifv: ${err.message}\n`, exitCode };
  return { text: `rlaifv: internal error (a bug in rlaifv): ${firstLine(err)} (rerun with RLAIFV_DEBUG=1 to print the stack)\n`, exitCode };
}

/** `TypeError: x is undefined`, or the text of a thrown non-error, on one line of at most 300 characters. */
function firstLine(err: unknown): string {
  let text: string;
  if (err instanceof Error) text = err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  else {
    try {
      text = typeof err === 'string' ? err : inspect(err, { depth: 1, breakLength: Infinity });
    } catch {
      text = Object.prototype.toString.call(err);
    }
  }
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no message)';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 3)}...` : line;
}
