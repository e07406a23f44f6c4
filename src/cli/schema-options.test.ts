import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { z } from 'zod';
import { flagSettings, lazySchemaFlags, loadSchemaFlags, type SchemaFlag } from './schema-flags.ts';
import { schemaOptions } from './schema-options.ts';

/** Add the schema flags to a command now. */
function withSchemaFlags(command: Command, schema: z.ZodType, flags: readonly SchemaFlag[]): Command {
  for (const option of schemaOptions(schema, flags)) command.addOption(option);
  return command;
}

const Schema = z.strictObject({
  sampling: z.strictObject({
    n: z.number().int().positive().default(10).describe('candidates per instruction'),
    seed: z.number().int().min(0).default(0).describe('sampling seed'),
    topP: z.number().gt(0).max(1).default(1).describe('nucleus mass'),
  }).prefault({}),
  pairs: z.strictObject({ seed: z.number().int().default(0) }).prefault({}),
  method: z.enum(['rules', 'llm']).default('rules').describe('how claims are made'),
  logRequests: z.boolean().default(true).describe('log each request'),
  includeReference: z.boolean().default(true),
  mix: z.strictObject({ a: z.number().min(0).default(1), b: z.number().min(0).default(2) }).prefault({}),
  rounds: z.number().int().min(1).default(4).describe('rounds'),
});

const FLAGS: SchemaFlag[] = [
  { flags: '--n <n>', field: 'sampling.n' },
  { flags: '--top-p <p>', field: 'sampling.topP' },
  { flags: '--seed <s>', field: ['sampling.seed', 'pairs.seed'], help: 'both seeds' },
  { flags: '--method <m>', field: 'method' },
  { flags: '--quiet', field: 'logRequests', sets: false, help: 'no request log' },
  { flags: '--no-reference', field: 'includeReference', help: 'keep the start out' },
  { flags: '--mix <w>', field: 'mix', parse: (v) => Object.fromEntries(v.split(',').map((p) => [p.split('=')[0]!, Number(p.split('=')[1])])) },
  { flags: '--rounds <k>', field: 'rounds', default: 2 },
];

/** The settings the flags in `argv` give, and the command (for its help). */
function parse(argv: string[]): { settings: Record<string, unknown>; command: Command } {
  const program = new Command('t').exitOverride();
  let settings: Record<string, unknown> = {};
  const command = withSchemaFlags(program.command('run'), Schema, FLAGS).exitOverride().configureOutput({ writeErr: () => {} })
    .action((_o: unknown, cmd: Command) => { settings = flagSettings(cmd, FLAGS); });
  program.parse(['node', 't', 'run', ...argv]);
  return { settings, command };
}

test('only the flags given (and a command default) become settings, at their fields', () => {
  assert.deepEqual(parse([]).settings, { rounds: 2 });
  assert.deepEqual(parse(['--n', '4', '--seed', '3', '--method', 'llm', '--rounds', '1']).settings, {
    sampling: { n: 4, seed: 3 }, pairs: { seed: 3 }, method: 'llm', rounds: 1,
  });
  assert.deepEqual(parse(['--quiet', '--no-reference']).settings, { logRequests: false, includeReference: false, rounds: 2 });
  assert.deepEqual(parse(['--mix', 'a=3']).settings, { mix: { a: 3 }, rounds: 2 }, 'a partial object stays partial: the others keep --config\'s values');
});

test('values are checked by the field\'s schema, and the error names the flag and the bounds', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--n', 'abc'], /--n must be an integer >= 1, got 'abc'/],
    [['--n', '0'], /--n must be an integer >= 1, got '0'/],
    [['--n', '1.5'], /--n must be an integer >= 1, got '1.5'/],
    [['--top-p', '0'], /--top-p must be a number in \(0, 1\], got '0'/],
    [['--method', 'magic'], /--method must be one of rules, llm, got 'magic'/],
    [['--mix', 'a=-1'], /--mix/],
  ];
  for (const [argv, want] of cases) assert.throws(() => parse(argv), (e: Error) => want.test(e.message), argv.join(' '));
});

test('help comes from the schema: the description, the choices and the default', () => {
  const help = parse([]).command.helpInformation().replace(/\s+/g, ' ');
  assert.match(help, /--n <n> candidates per instruction \(default: 10\)/);
  assert.match(help, /--method <m> how claims are made; one of rules, llm \(default: rules\)/);
  assert.match(help, /--seed <s> both seeds \(default: 0\)/);
  assert.match(help, /--rounds <k> rounds \(default: 2\)/, 'a command default is shown instead of the schema\'s');
  assert.match(help, /--quiet no request log -/);
});

test('a flag for a field the schema lacks is a programming error, caught when the command is built', () => {
  assert.throws(() => withSchemaFlags(new Command('x'), Schema, [{ flags: '--x <n>', field: 'sampling.nope' }]), /no field 'sampling\.nope'/);
});

test('lazily registered flags appear when the command is about to run, once', async () => {
  const command = new Command('x');
  let loads = 0;
  lazySchemaFlags(command, async () => { loads++; return Schema; }, FLAGS.slice(0, 2));
  assert.equal(command.options.length, 0, 'nothing loads while commands are registered');
  await loadSchemaFlags(command);
  await loadSchemaFlags(command);
  assert.deepEqual([loads, command.options.map((o) => o.long)], [1, ['--n', '--top-p']]);
});
