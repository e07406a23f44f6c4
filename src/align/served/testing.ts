/**
 * Test helpers of the served align loop: the shipped models copied into a test folder, and
 * `rlaifv serve` started in-process for the policy and the labeler, as vLLM would be.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpoint } from '../../model/index.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../../serve/index.ts';
import type { ServableBackend } from '../../serve/extensions.ts';
import { loadSettings, shippedModel } from '../../settings.ts';

/** The shipped models: their yes/no tokens are always among a server's top 20 logprobs, as a real labeler's are. */
export function shippedCheckpoints(dir: string): void {
  cpSync(shippedModel(loadSettings(), 'policy-base'), join(dir, 'policy'), { recursive: true });
  cpSync(shippedModel(loadSettings(), 'labeler'), join(dir, 'labeler'), { recursive: true });
}

export interface Servers {
  policy: RunningServer;
  labeler: RunningServer;
  close(): Promise<void>;
}

/**
 * `rlaifv serve` for the policy (adapter loading on unless `policy` says otherwise) and the labeler.
 * `wrap` may replace the policy's backend (to count or hold its requests).
 */
export async function servers(dir: string, o: { policy?: Partial<StartServerOptions>; wrap?: (b: ServableBackend) => ServableBackend } = {}): Promise<Servers> {
  const base = loadCheckpoint(join(dir, 'policy'));
  const policy = await startServer({ backend: o.wrap ? o.wrap(base) : base, name: 'policy', port: 0, allowLoraLoading: true, logRequests: false, ...o.policy });
  const labeler = await startServer({ backend: loadCheckpoint(join(dir, 'labeler')), name: 'labeler', port: 0, logRequests: false });
  return { policy, labeler, close: async () => { await policy.close(); await labeler.close(); } };
}

/** `backend` with `before` awaited ahead of each generate call (sampling, evaluation and the probes' one-token answers). */
export function beforeGenerate(backend: ServableBackend, before: (options: Parameters<ServableBackend['generate']>[1]) => Promise<void> | void): ServableBackend {
  return new Proxy(backend, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'generate') {
        return async (...args: Parameters<ServableBackend['generate']>) => {
          await before(args[1]);
          return target.generate(...args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
