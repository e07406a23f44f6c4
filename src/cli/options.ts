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

/**
 * `weightsFlag('--mix', ['a', 'b'])('a=2,b=0.5')` -> `{ a: 2, b: 0.5 }`: relative weights by name;
 * names left out keep their defaults.
 */
export function weightsFlag(name: string, keys: readonly string[]) {
  return (value: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const part of value.split(',')) {
      const [key, w, extra] = part.split('=').map((x) => x.trim());
      const n = Number(w);
      if (key === undefined || !keys.includes(key) || w === undefined || extra !== undefined || w === '' || !Number.isFinite(n) || n < 0) {
        throw new InvalidArgumentError(`${name} takes name=weight pairs separated by commas (names: ${keys.join(', ')}; weights >= 0), got '${part}' in '${value}'`);
      }
      out[key] = n;
    }
    return out;
  };
}
