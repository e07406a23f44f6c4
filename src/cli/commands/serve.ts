/** `rlaifv serve`: an OpenAI-compatible server for an embedded checkpoint. */
import type { Command } from 'commander';
import { intFlag } from '../options.ts';

export function register(program: Command): void {
  program.command('serve')
    .description('serve a checkpoint over an OpenAI-compatible API (chat completions, logprobs, response scoring)')
    .requiredOption('--model <dir>', 'checkpoint folder')
    .option('--name <name>', 'served model name (default: the folder name)')
    .option('--host <host>', 'interface to bind (0.0.0.0 exposes the server to the network)', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 = any free port)', intFlag('--port'), 8000)
    .option('--max-batch <n>', 'concurrent requests merged into one model call', intFlag('--max-batch', 1), 32)
    .option('--quiet', 'do not log one line per request')
    .action(async (o) => {
      const { openModel } = await import('../../model/open.ts');
      const { startServer } = await import('../../serve/index.ts');
      const { basename, resolve } = await import('node:path');
      // It serves every route (chat, yes/no logprobs, response scoring), so it needs every capability.
      const model = await openModel(o.model, { role: 'model', needs: ['generate', 'yesNo', 'logProbs'] });
      const server = await startServer({
        backend: model.backend, name: o.name ?? basename(resolve(o.model)), host: o.host, port: o.port, maxBatch: o.maxBatch,
        logRequests: !o.quiet, log: (line: string) => process.stderr.write(line + '\n'),
      });
      process.stderr.write(`serving ${server.name} at ${server.url}/v1 (Ctrl-C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => { void server.close().then(done); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
