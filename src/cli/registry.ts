/**
 * The commands, in `--help` order. A command module exports `register(program)`, which declares
 * its flags and imports its implementation lazily inside the action.
 */
import type { Command } from 'commander';
import * as pretrain from './commands/pretrain.ts';
import * as evaluate from './commands/eval.ts';
import * as bench from './commands/bench.ts';
import * as bon from './commands/bon.ts';
import * as serve from './commands/serve.ts';
import * as world from './commands/world.ts';
import * as demo from './commands/demo.ts';
import * as generate from './commands/generate.ts';
import * as align from './commands/align.ts';
import * as ablate from './commands/ablate.ts';
import * as dpo from './commands/dpo.ts';
import * as defaults from './commands/defaults.ts';
import * as audit from './commands/audit.ts';

export interface CommandSpec {
  register(program: Command): void;
}

export const COMMANDS: CommandSpec[] = [demo, generate, align, ablate, dpo, pretrain, evaluate, bench, bon, serve, audit, world, defaults];
