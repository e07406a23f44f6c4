/** `rlaifv serve`: an OpenAI-compatible server for an embedded checkpoint. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const FLAGS: SchemaFlag[] = [
  { flags: '--name <name>', field: 'name', help: 'model name served at /v1/models, which requests send as `model`', defaultHelp: 'the folder name' },
  { flags: '--host <host>', field: 'host' },
  { flags: '--port <port>', field: 'port' },
  { flags: '--max-batch <n>', field: 'maxBatch' },
  { flags: '--allow-lora-loading', field: 'allowLoraLoading', help: 'answer POST /v1/load_lora_adapter and /v1/unload_lora_adapter (vLLM\'s runtime LoRA API; lora_path is a checkpoint folder); also on with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True' },
  { flags: '--lora-root <dir>', field: 'loraRoot' },
  { flags: '--quiet', field: 'logRequests', sets: false, help: 'do not log one line per request' },
];

export function register(program: Command): void {
  const command = program.command('serve')
    .description('serve a checkpoint over an OpenAI-compatible API (chat completions, logprobs, response scoring)')
    .requiredOption('--model <dir>', 'checkpoint folder')
    .option('--config <file>', 'JSON settings (`rlaifv defaults serve` prints them); flags override it');
  lazySchemaFlags(command, async () => (await import('../../serve/settings.ts')).ServeSettingsSchema, FLAGS).action(async (o: { model: string; config?: string }, cmd: Command) => {
    const { ServeSettingsSchema } = await import('../../serve/settings.ts');
    const settings = loadSettingsFile(ServeSettingsSchema, o.config, flagSettings(cmd, FLAGS));
    const { loadSettings } = await import('../../settings.ts');
    // As in vLLM, the environment variable alone turns the adapter routes on.
    if (loadSettings().runtimeLoraUpdating) settings.allowLoraLoading = true;
    const { openModel } = await import('../../model/open.ts');
    const { startServer } = await import('../../serve/index.ts');
    const { basename, resolve } = await import('node:path');
    // It serves every route (chat, yes/no logprobs, response scoring), so it needs every capability.
    const model = await openModel(o.model, { role: 'model', needs: ['generate', 'yesNo', 'logProbs'] });
    const server = await startServer({
      ...settings, backend: model.backend, name: settings.name ?? basename(resolve(o.model)), log: (line: string) => process.stderr.write(line + '\n'),
    });
    process.stderr.write(`serving ${server.name} at ${server.url}/v1 (Ctrl-C to stop)\n`);
    if (settings.allowLoraLoading) {
      process.stderr.write(`adapter loading is on: POST ${server.url}/v1/load_lora_adapter {"lora_name","lora_path"} serves a checkpoint folder${settings.loraRoot ? ` under ${settings.loraRoot}` : ''} as model lora_name\n`);
    }
    await new Promise<void>((done) => {
      const stop = () => { void server.close().then(done); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}
