/**
 * Registries: a method chosen by name from a table of implementations, instead of an if-chain.
 * The names are the table's keys, so the settings schema's allowed values and the lookup agree.
 */
import { ConfigError } from './errors.ts';

/**
 * The entry called `name`, or an error that lists the names there are.
 * `pick('divide.method', { rules, llm }, 'rulez')` throws "divide.method must be one of rules, llm, got 'rulez'".
 */
export function pick<T>(what: string, entries: Readonly<Record<string, T>>, name: string): T {
  if (!Object.hasOwn(entries, name)) throw new ConfigError(`${what} must be one of ${Object.keys(entries).join(', ')}, got '${name}'`);
  return entries[name]!;
}

/** The keys of a table as the non-empty tuple `z.enum` takes: `z.enum(names({ a: 1, b: 2 }))`. */
export function names<K extends string>(entries: Readonly<Record<K, unknown>>): [K, ...K[]] {
  const keys = Object.keys(entries) as K[];
  if (keys.length === 0) throw new Error('a registry needs at least one entry');
  return keys as [K, ...K[]];
}

/** `'rules': one claim per sentence; 'llm': ...`: the help text of a method setting, from the table's descriptions. */
export function describeChoices(descriptions: Readonly<Record<string, string>>): string {
  return Object.entries(descriptions).map(([k, d]) => `'${k}': ${d}`).join('; ');
}

/**
 * A settings section that names its method, without the name: what the method's results depend on
 * (and so what keys their cache). `withoutMethod({ method: 'llm', temperature: 0.2 })` -> `{ temperature: 0.2 }`.
 */
export function withoutMethod<T extends { method: unknown }>(section: T): Omit<T, 'method'> {
  const { method: _method, ...settings } = section;
  return settings;
}
