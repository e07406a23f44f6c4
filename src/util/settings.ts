/**
 * Settings validated once, at the edge: one way to turn a zod failure into a message that names
 * where the values came from, each field, and the problem.
 */
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
export function describeIssues(error: z.ZodError): string {
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
