/**
 * Commander options built from a settings schema's fields (see schema-flags.ts): the help, the
 * default and the check of a value all come from the field's JSON Schema.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { z } from 'zod';

/** A flag that sets one field (or several) of a settings schema. */
export interface SchemaFlag {
  /** Commander's flag syntax: `--instructions <n>`, `--self-feedback`, `--no-reference-candidate`. */
  flags: string;
  /** Dotted path of the field it sets (`input.count`); a list sets each of them to the value. */
  field: string | readonly string[];
  /** Help text; default: the field's description. */
  help?: string;
  /** A default of this command's own, instead of the schema's (e.g. `ablate` runs 2 rounds, not 4). */
  default?: unknown;
  /** For a boolean flag: the value it sets when given (`--quiet` sets `logRequests` to false); default true, or false for `--no-x`. */
  sets?: unknown;
  /** A parser of its own (e.g. `name=weight` lists); the field's schema still checks the result. */
  parse?: (value: string) => unknown;
  /** The field's default is not meaningful here (another source decides it): say this instead. */
  defaultHelp?: string;
  required?: boolean;
}

/** The JSON Schema of one field: type, bounds, choices, default and description in one place. */
interface FieldInfo {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  description?: string;
}

/** The schema of the field at `path` in an object schema, through defaults, optionals and prefaults. */
function fieldSchema(schema: z.ZodType, path: string): z.ZodType {
  let at: z.ZodType = schema;
  for (const key of path.split('.')) {
    const object = unwrap(at) as z.ZodType & { shape?: Record<string, z.ZodType> };
    const next = object.shape?.[key];
    if (!next) throw new Error(`schema flags: no field '${path}' in the settings schema (at '${key}')`);
    at = next;
  }
  return at;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let at = schema as z.ZodType & { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } };
  while (at._zod.def.innerType ?? at._zod.def.in) at = (at._zod.def.innerType ?? at._zod.def.in) as typeof at;
  return at;
}

function fieldInfo(schema: z.ZodType): FieldInfo {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as FieldInfo & { anyOf?: FieldInfo[] };
  const { description } = schema;
  return { ...json, ...(description !== undefined && { description }) };
}

/** Commander options for `flags`, on `schema`'s fields: help and default from the schema, values checked by it. */
export function schemaOptions(schema: z.ZodType, flags: readonly SchemaFlag[]): Option[] {
  return flags.map((flag) => {
    const field = fieldSchema(schema, typeof flag.field === 'string' ? flag.field : flag.field[0]!);
    const info = fieldInfo(field);
    const option = new Option(flag.flags, helpText(flag, info));
    if (flag.required) option.makeOptionMandatory();
    if (option.required || option.optional) option.argParser(valueParser(option.long ?? flag.flags, field, info, flag.parse));
    if (flag.default !== undefined) option.default(flag.default);
    return option;
  });
}

/** `--n <n>` for a field described 'candidates per instruction' with default 10: 'candidates per instruction (default: 10)'. */
function helpText(flag: SchemaFlag, info: FieldInfo): string {
  const text = flag.help ?? info.description ?? '';
  // Commander shows a command default itself.
  const value = flag.default === undefined ? info.default : undefined;
  const choices = info.enum && !/\bone of\b|\|/.test(text) ? `; one of ${info.enum.join(', ')}` : '';
  const shown = flag.defaultHelp ?? (value === undefined || flag.sets !== undefined || typeof value === 'boolean' ? undefined : typeof value === 'string' ? value : JSON.stringify(value));
  return `${text}${choices}${shown === undefined ? '' : ` (default: ${shown})`}`;
}

/** Reads a flag's text as the field's type and checks it with the field's schema; errors name the flag. */
function valueParser(name: string, field: z.ZodType, info: FieldInfo, parse: ((value: string) => unknown) | undefined) {
  return (text: string): unknown => {
    const value = parse ? parse(text) : info.type === 'integer' || info.type === 'number' ? Number(text) : text;
    const r = field.safeParse(value);
    if (!r.success || (typeof value === 'number' && Number.isNaN(value))) throw new InvalidArgumentError(expected(name, info, text));
    // The value as given, not as parsed: a partial object must not gain the field's defaults, which would override --config's values.
    return value;
  };
}

/** `--limit must be an integer >= 1, got 'abc'`; `--split must be one of train, val, test, got 'x'`. */
function expected(name: string, info: FieldInfo, text: string): string {
  const got = `got '${text}'`;
  if (info.enum) return `${name} must be one of ${info.enum.join(', ')}, ${got}`;
  if (info.type === 'integer') {
    const min = info.exclusiveMinimum !== undefined ? info.exclusiveMinimum + 1 : info.minimum;
    const max = info.exclusiveMaximum !== undefined ? info.exclusiveMaximum - 1 : info.maximum;
    const bounds = [min !== undefined && `>= ${min}`, max !== undefined && max < Number.MAX_SAFE_INTEGER && `<= ${max}`].filter(Boolean).join(' and ');
    return `${name} must be an integer${bounds ? ` ${bounds}` : ''}, ${got}`;
  }
  if (info.type === 'number') {
    const low = info.exclusiveMinimum !== undefined ? `(${info.exclusiveMinimum}` : `[${info.minimum ?? '-Infinity'}`;
    const high = info.exclusiveMaximum !== undefined ? `${info.exclusiveMaximum})` : `${info.maximum ?? 'Infinity'}]`;
    return `${name} must be a number in ${low}, ${high}, ${got}`;
  }
  return `${name}: not a valid value, ${got}`;
}


