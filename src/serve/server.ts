/**
 * `rlaifv serve`: the app over node:http. Binds 127.0.0.1 by default, so the model is reachable
 * from this machine only; pass host '0.0.0.0' (CLI: --host 0.0.0.0) to expose it to the network.
 */
import { listen, requestLine } from '../http/node.ts';
import { createApp, type AppOptions } from './app.ts';

export type StartServerOptions = AppOptions & {
  /** Where request lines go when `logRequests` is on; default stderr. */
  log?: (line: string) => void;
};

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`; OpenAI clients take `${url}/v1`. */
  url: string;
  port: number;
  name: string;
  close(): Promise<void>;
}

/**
 * Start serving; resolves once listening.
 * Example: `const s = await startServer({ backend, port: 0 });`
 * `new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'unused' })`; later `await s.close()`.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { log = (line: string) => process.stderr.write(`${line}\n`), ...appOptions } = options;
  const app = createApp(appOptions);
  const { host, port, logRequests, requestTimeoutMs, maxConnections } = app.settings;
  const server = await listen(app, {
    host,
    port,
    ...(logRequests && { log: (entry) => log(requestLine(entry)) }),
    // Times receiving a request only: candidates of a large n can take minutes to answer on CPU.
    requestTimeoutMs,
    maxConnections,
    // A request in flight when the server stops still gets its answer.
    closing: 'drain',
  });
  return {
    url: server.url,
    port: server.port,
    name: app.name,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}
