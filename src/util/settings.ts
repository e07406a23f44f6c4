/**
 * Settings validated once, at the edge: one way to turn a zod failure into a message that names
 * where the values came from, each field, and the problem.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';

/**
 * The field an issue is about: its path joined with dots, and for unknown keys the keys themselves
 * (`sampling.nn`); `root` when the issue is about the whole value.
 */
export function issueField(issue: z.core.$ZodIssue, root = '(root)'): string {
  const base = issue.path.map(String).join('.');
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  if (keys.length > 0) return keys.map((k) => (base ? `${base}.${k}` : k)).join(', ');
  return base || root;
}

/** `field 'sampling.n': Too small: expected number to be >0; field 'x': Unrecognized key: "x"` */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `field '${issueField(issue)}': ${issue.message}`).join('; ');
}

/**
 * `schema` applied to `input`, or a ConfigError naming `where` (a file, `--flags`), each field and
 * the problem: `parseSettings(DpoSettingsSchema, { beta: 0 }, 'run.json')` throws
 * `run.json: field 'beta': Too small: expected number to be >0`.
 */
export function parseSettings<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  throw new ConfigError(`${where}: ${describeIssues(r.error)}`, r.error.issues[0] && issueField(r.error.issues[0], ''));
}

/** A plain object (not an array, not null): what JSON objects parse to. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `overrides` laid over `base`, recursively for objects; arrays and scalars are replaced, and
 * `undefined` leaves the base value. `mergeSettings({ a: { x: 1, y: 2 } }, { a: { y: 3 } })` -> `{ a: { x: 1, y: 3 } }`.
 */
export function mergeSettings(base: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return base;
  if (!isObject(base) || !isObject(overrides)) return overrides;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = mergeSettings(base[k], v);
  return out;
}

/** The JSON object in a `--config` file; errors name the file and what to do. */
function readSettingsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`--config ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`--config ${file}: not valid JSON (${(err as Error).message}); fix the file`);
  }
  if (!isObject(value)) throw new ConfigError(`--config ${file}: must hold a JSON object of settings, as \`rlaifv defaults\` prints them`);
  return value;
}

/**
 * The one way a command's settings are made: a `--config` JSON file (optional) with the flags the
 * user gave laid over it, validated by `schema`. Errors name the file (or the flags) and the field.
 * `loadSettingsFile(DpoSettingsSchema, 'dpo.json', { beta: 0.2 })`
 */
export function loadSettingsFile<S extends z.ZodType>(schema: S, file: string | undefined, overrides: unknown = {}): z.output<S> {
  const fromFile = file === undefined ? {} : readSettingsFile(file);
  const where = file === undefined ? 'command-line options' : `${file} (with command-line options)`;
  return parseSettings(schema, mergeSettings(fromFile, overrides), where);
}
