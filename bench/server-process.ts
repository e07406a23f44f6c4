/**
 * Start bench/fake-server-process.ts (the fake OpenAI-compatible server in a process of its own,
 * so that a bench measures the engine and not the server); `stats()` asks it for its slot stats.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SlotStats } from '../src/backend/http/testing/fake-server.ts';

export async function startServerProcess(slots: number, latencyMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fake-server-process.ts'), String(slots), String(latencyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(((await lines.next()).value as string) ?? 'null');
  const { url } = await next();
  return {
    url: url as string,
    stats: async (): Promise<SlotStats> => { child.stdin!.write('stats\n'); return next(); },
    close: () => { child.stdin!.write('quit\n'); child.stdin!.end(); },
  };
}
