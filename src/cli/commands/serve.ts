/** `rlaifv serve`: an OpenAI-compatible server for a checkpoint (or a server), or for the best of N of its candidates. */
import type { Command } from 'commander';
import { loadSettingsFile } from '../../util/settings.ts';
import { intFlag } from '../options.ts';
import { flagSettings, lazySchemaFlags, type SchemaFlag } from '../schema-flags.ts';

const DISCOVERED = 'the one its GET /v1/models lists';

const FLAGS: SchemaFlag[] = [
  { flags: '--name <name>', field: 'name', help: 'model name served at /v1/models, which requests send as `model`', defaultHelp: 'the folder name, or the served name at a URL' },
  { flags: '--host <host>', field: 'host' },
  { flags: '--port <port>', field: 'port' },
  { flags: '--max-batch <n>', field: 'maxBatch' },
  { flags: '--allow-lora-loading', field: 'allowLoraLoading', help: 'answer POST /v1/load_lora_adapter and /v1/unload_lora_adapter (vLLM\'s runtime LoRA API; lora_path is a checkpoint folder); also on with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True' },
  { flags: '--lora-root <dir>', field: 'loraRoot' },
  { flags: '--quiet', field: 'logRequests', sets: false, help: 'do not log one line per request' },
  { flags: '--best-of <n>', field: 'bestOf', parse: intFlag('--best-of', 1), help: 'answer with the best of N candidates by the RLAIF-V reward (β/T) Σ (log π - log π_ref): --model is the aligned policy π, --reference its π_ref', defaultHelp: 'off' },
  { flags: '--reference <dir|url>', field: 'reference', help: 'with --best-of: the model --model was trained from, which scores every candidate and samples them unless --sampler is given (as rlaifv bon and the paper do)', defaultHelp: 'none' },
  { flags: '--sampler <dir|url>', field: 'sampler', help: 'with --best-of: where the candidates come from', defaultHelp: 'the reference' },
  { flags: '--beta <b>', field: 'beta' },
  { flags: '--model-name <name>', field: 'modelName', help: 'with --model URL: the model\'s name on that server (with --best-of, the policy\'s)', defaultHelp: DISCOVERED },
  { flags: '--reference-name <name>', field: 'referenceName', help: 'with a --reference URL: the reference\'s name on that server (e.g. the base model beside the policy\'s adapter)', defaultHelp: DISCOVERED },
  { flags: '--sampler-name <name>', field: 'samplerName', help: 'with a --sampler URL: the sampler\'s name on that server', defaultHelp: DISCOVERED },
];

export function register(program: Command): void {
  const command = program.command('serve')
    .description('serve a model over an OpenAI-compatible API (chat completions, logprobs, response scoring), or the best of N of its candidates (--best-of)')
    .requiredOption('--model <dir|url>', 'checkpoint folder, or an OpenAI-compatible server\'s base URL; with --best-of, the aligned policy')
    .option('--config <file>', 'JSON settings (`rlaifv defaults serve` prints them); flags override it');
  lazySchemaFlags(command, async () => (await import('../../serve/settings.ts')).ServeSettingsSchema, FLAGS).action(async (o: { model: string; config?: string }, cmd: Command) => {
    const { ServeSettingsSchema } = await import('../../serve/settings.ts');
    const settings = loadSettingsFile(ServeSettingsSchema, o.config, flagSettings(cmd, FLAGS));
    const { checkBestOfSettings, openBestOf } = await import('../../serve/best-of-open.ts');
    checkBestOfSettings(settings);
    const { loadSettings } = await import('../../settings.ts');
    // As in vLLM, the environment variable alone turns the adapter routes on (a best-of server has none: its policy is fixed).
    if (loadSettings().runtimeLoraUpdating && settings.bestOf === null) settings.allowLoraLoading = true;
    const { isUrl, openModel } = await import('../../model/open.ts');
    const { startServer } = await import('../../serve/index.ts');
    const { basename, resolve } = await import('node:path');
    const log = (line: string) => process.stderr.write(line + '\n');
    // Plain: it serves every route (chat, yes/no logprobs, response scoring), so it needs every capability.
    const opened = settings.bestOf !== null
      ? await openBestOf(o.model, settings)
      : await openModel(o.model, { role: 'model', needs: ['generate', 'yesNo', 'logProbs'], ...(settings.modelName !== null && { modelName: settings.modelName }) }).then((m) => ({ ...m, policy: m.backend, bestOfModels: undefined }));
    for (const line of opened.capabilities ?? []) log(line);
    const name = settings.name ?? (isUrl(o.model) ? opened.policy.name : basename(resolve(o.model)));
    let server;
    try {
      server = await startServer({ ...settings, backend: opened.policy, bestOfModels: opened.bestOfModels, name, log });
    } catch (err) {
      await opened.close();
      throw err;
    }
    const what = settings.bestOf === null ? name : `${name}, the best of ${settings.bestOf} candidates from ${settings.sampler ?? settings.reference} by the reward over ${settings.reference}`;
    process.stderr.write(`serving ${what} at ${server.url}/v1 (Ctrl-C to stop)\n`);
    if (settings.allowLoraLoading) {
      process.stderr.write(`adapter loading is on: POST ${server.url}/v1/load_lora_adapter {"lora_name","lora_path"} serves a checkpoint folder${settings.loraRoot ? ` under ${settings.loraRoot}` : ''} as model lora_name\n`);
    }
    await new Promise<void>((done) => {
      const stop = () => { void server.close().then(() => opened.close()).then(done); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}
