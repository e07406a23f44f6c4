/** `rlaifv defaults <what>`: print a configuration with every default filled in, to copy into a --config file. */
import type { Command } from 'commander';

const WHAT = ['generate', 'align', 'dpo', 'eval', 'serve', 'pretrain-policy', 'pretrain-labeler'] as const;

export function register(program: Command): void {
  program.command('defaults')
    .description(`print the full default settings of a command as JSON (one of ${WHAT.join(', ')})`)
    .argument('<what>', WHAT.join(' | '))
    .action(async (what: string) => {
      const { UserError } = await import('../errors.ts');
      const value = await (async () => {
        switch (what) {
          case 'generate': return (await import('../../pipeline/index.ts')).parseDataEngineConfig({});
          case 'align': return (await import('../../align/settings.ts')).parseAlignSettings({});
          case 'dpo': return (await import('../../dpo/index.ts')).parseDpoSettings({});
          case 'eval': return (await import('../../eval/settings.ts')).EvalSettingsSchema.parse({});
          case 'serve': return (await import('../../serve/index.ts')).parseServeSettings({});
          case 'pretrain-policy': return (await import('../../pretrain/settings.ts')).RECIPES.policy;
          case 'pretrain-labeler': return (await import('../../pretrain/settings.ts')).RECIPES.labeler;
          default: throw new UserError(`'${what}' must be one of ${WHAT.join(', ')}`);
        }
      })();
      process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    });
}
