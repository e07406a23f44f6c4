/** `rlaifv defaults <what>`: print a configuration with every default filled in, to copy into a --config file. */
import type { Command } from 'commander';

/** Each command's settings with every default, loaded only when asked for. */
const DEFAULTS: Record<string, () => Promise<unknown>> = {
  generate: async () => (await import('../../pipeline/config.ts')).parseDataEngineConfig({}),
  align: async () => (await import('../../align/settings.ts')).parseAlignSettings({}),
  dpo: async () => (await import('../../dpo/settings.ts')).parseDpoSettings({}),
  eval: async () => (await import('../../eval/settings.ts')).EvalSettingsSchema.parse({}),
  serve: async () => (await import('../../serve/settings.ts')).parseServeSettings({}),
  'pretrain-policy': async () => (await import('../../pretrain/settings.ts')).RECIPES.policy,
  'pretrain-labeler': async () => (await import('../../pretrain/settings.ts')).RECIPES.labeler,
};

export function register(program: Command): void {
  const names = Object.keys(DEFAULTS);
  program.command('defaults')
    .description(`print the full default settings of a command as JSON (one of ${names.join(', ')})`)
    .argument('<what>', names.join(' | '))
    .action(async (what: string) => {
      const { pick } = await import('../../util/registry.ts');
      process.stdout.write(JSON.stringify(await pick('rlaifv defaults <what>', DEFAULTS, what)(), null, 2) + '\n');
    });
}
