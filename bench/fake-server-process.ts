/**
 * The fake OpenAI-compatible server in a process of its own, so that the engine bench measures
 * the engine and not the server: prints its URL, answers "stats" on stdin with its slot stats.
 */
import { createInterface } from 'node:readline';
import { FakeServer } from '../src/backend/http/testing/fake-server.ts';

const [slots, latencyMs] = process.argv.slice(2).map(Number);
const server = await FakeServer.start({ slots: slots ?? 8, latencyMs: latencyMs ?? 40 });
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'stats') process.stdout.write(JSON.stringify(server.stats()) + '\n');
  if (line.trim() === 'quit') break;
}
await server.close();
