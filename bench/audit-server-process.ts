/**
 * The audit site in a process of its own, so that the audit bench can kill -9 it: serves RUN on
 * PORT (0 = any) without rate limits (the bench measures the server, not the limits), prints its
 * URL, and closes on "quit" on stdin.
 */
import { createInterface } from 'node:readline';
import { startAuditServer } from '../src/audit/server.ts';

const [dir, port] = process.argv.slice(2);
const server = await startAuditServer({
  dir: dir!, port: Number(port ?? 0), host: '127.0.0.1',
  limits: { answersPerPerson: Infinity, answersPerAddress: Infinity, invitesPerAddress: Infinity },
});
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'quit') break;
}
await server.close();
