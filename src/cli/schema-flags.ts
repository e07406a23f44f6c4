/**
 * Command-line flags built from the settings schemas: a flag names the field it sets, and its
 * help, its default and the check of its value come from that field, so nothing is written twice.
 * A flag the user gave becomes an override laid over `--config` (see `loadSettingsFile`); a flag
 * left out leaves the file's value or the schema's default.
 *
 * The schemas (and zod) load only when their command runs: `rlaifv --help` lists the commands
 * without loading any of them (see `lazySchemaFlags`).
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import type { SchemaFlag } from './schema-options.ts';

export type { SchemaFlag };

/**
 * The flags the user gave (or that have a command default), as a partial settings object to lay
 * over `--config`: `{ input: { count: 40 }, sampling: { seed: 3 }, pairs: { seed: 3 } }`.
 */
export function flagSettings(command: Command, flags: readonly SchemaFlag[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const options = command.options;
  for (const flag of flags) {
    const option = options.find((o) => o.flags === flag.flags)!;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== 'cli' && !(source === 'default' && flag.default !== undefined)) continue;
    const given = command.getOptionValue(key) as unknown;
    const value = typeof given === 'boolean' && flag.sets !== undefined ? flag.sets : given;
    for (const path of flagPaths(flag)) setPath(out, path, value);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]!] = value;
}

/** Options still to add to a command, each once its schema has loaded. */
const pending = new WeakMap<Command, Array<() => Promise<void>>>();

/**
 * Add the schema flags to a command when it is about to run (or show its help): `loadSchemaFlags`
 * does it, from a hook in main.ts. `lazySchemaFlags(cmd, async () => (await import('...')).EvalSettingsSchema, FLAGS)`.
 */
export function lazySchemaFlags(command: Command, loadSchema: () => Promise<z.ZodType>, flags: readonly SchemaFlag[]): Command {
  const list = pending.get(command) ?? [];
  list.push(async () => {
    const { schemaOptions } = await import('./schema-options.ts');
    for (const option of schemaOptions(await loadSchema(), flags)) command.addOption(option);
  });
  pending.set(command, list);
  return command;
}

/** Add every flag `lazySchemaFlags` registered on `command` (once). */
export async function loadSchemaFlags(command: Command): Promise<void> {
  const list = pending.get(command) ?? [];
  pending.delete(command);
  for (const load of list) await load();
}

/** The fields a flag sets. */
function flagPaths(flag: SchemaFlag): readonly string[] {
  return typeof flag.field === 'string' ? [flag.field] : flag.field;
}
