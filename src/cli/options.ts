/** Flag parsers shared by commands: each names the flag in its error. */
import { InvalidArgumentError } from 'commander';

export function intFlag(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'`);
    return n;
  };
}

export function numberFlag(name: string, min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}], got '${value}'`);
    return n;
  };
}

/** True when the value looks like an OpenAI-compatible server URL rather than a checkpoint folder. */
export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}
