/**
 * The feedback site under load: `ANNOTATORS` simulated people, each signed in through an invite
 * link, answering as fast as the server acknowledges (claim verdicts, ratings, comments) against
 * one server in a child process.
 * 1. For `seconds`: answers per second and latency (p50, p95) of an acknowledged answer.
 * 2. For `seconds` again, with the server killed (SIGKILL) halfway and restarted on the same port:
 *    every answer acknowledged before, during or after is looked up in the store; `lost` counts
 *    those missing (an acknowledged answer must survive kill -9).
 * `npm run bench -- audit --seconds 60`; `AUDIT_BENCH_SECONDS` overrides the duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditRun } from '../src/audit/data.ts';
import { fixtureModels } from '../src/audit/fixture.ts';
import { FeedbackStore } from '../src/feedback/store.ts';
import type { FeedbackEvent } from '../src/feedback/types.ts';
import { parseDataEngineConfig } from '../src/pipeline/config.ts';
import { runDataEngine } from '../src/pipeline/run.ts';
import type { Row } from './model-bench.ts';

const ANNOTATORS = 50;

interface ServerProcess { url: string; child: ChildProcess }

async function startServer(dir: string, port: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'audit-server-process.ts'), dir, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('the audit server process exited before printing its URL');
  return { url: (JSON.parse(first.value as string) as { url: string }).url, child };
}

function stopServer(s: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.stdin!.end('quit\n');
  });
}

/** Every event an annotator may send, from the run's own ids. */
function eventsOf(run: AuditRun): FeedbackEvent[] {
  const out: FeedbackEvent[] = [];
  for (const id of run.ids()) {
    const ins = run.instruction(id);
    for (const c of ins.candidates) {
      out.push({ kind: 'rating', instructionId: id, candidateId: c.id, rating: 1 + (c.index % 5) as 1 });
      out.push({ kind: 'comment', instructionId: id, candidateId: c.id, text: `candidate ${c.index} looks fine` });
      for (const cl of c.claims) out.push({ kind: 'verdict', instructionId: id, question: cl.question, answer: cl.yes > cl.no ? 'no' : 'yes' });
    }
  }
  return out;
}

interface Annotator { cookie: string; csrf: string; personId: string }

async function signIn(url: string, token: string): Promise<Annotator> {
  const res = await fetch(`${url}/invite/${token}`, { redirect: 'manual' });
  if (res.status !== 303) throw new Error(`invite: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const me = (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as { csrf: string; person: { id: string } };
  return { cookie, csrf: me.csrf, personId: me.person.id };
}

interface Acknowledged { seq: number; personId: string; event: FeedbackEvent }

/** Annotators answering until `until` (ms, performance.now()); failures (a server down) are retried after a pause. */
async function answer(url: string, people: Annotator[], events: FeedbackEvent[], until: number, acked: Acknowledged[], latencies: number[]): Promise<number> {
  let failures = 0;
  await Promise.all(people.map(async (p, k) => {
    let i = k * 7919;
    while (performance.now() < until) {
      const event = events[i++ % events.length]!;
      const started = performance.now();
      try {
        const res = await fetch(`${url}/api/feedback`, {
          method: 'POST', body: JSON.stringify(event),
          headers: { origin: url, 'content-type': 'application/json', cookie: p.cookie, 'x-csrf-token': p.csrf },
        });
        const body = (await res.json()) as { seq?: number };
        if (res.status !== 200 || body.seq === undefined) throw new Error(`HTTP ${res.status} ${JSON.stringify(body)}`);
        latencies.push(performance.now() - started);
        acked.push({ seq: body.seq, personId: p.personId, event });
      } catch {
        failures++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }));
  return failures;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/** Whether every acknowledged answer is in the store as sent, by whom it was sent. */
function missing(dir: string, acked: readonly Acknowledged[]): number {
  const store = FeedbackStore.openIfExists(dir)!;
  try {
    const bySeq = new Map(store.events().map((e) => [e.seq, e]));
    return acked.filter((a) => {
      const e = bySeq.get(a.seq);
      if (!e || e.personId !== a.personId || e.kind !== a.event.kind) return true;
      const { seq: _s, personId: _p, at: _a, spans: _x, ...stored } = e;
      return JSON.stringify(stored) !== JSON.stringify(a.event);
    }).length;
  } finally {
    store.close();
  }
}

export async function auditBench(seconds: number): Promise<Row[]> {
  const s = Number(process.env.AUDIT_BENCH_SECONDS ?? seconds);
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-audit-bench-'));
  try {
    const config = parseDataEngineConfig({ input: { count: 20 }, sampling: { n: 4, seed: 11 }, batchSize: 4 }, 'audit bench');
    await runDataEngine(config, { ...fixtureModels(), outDir: dir });
    const run = await AuditRun.open(dir);
    const events = eventsOf(run);
    const store = FeedbackStore.open(dir);
    store.invite('bench admin', 'admin');
    const tokens = Array.from({ length: ANNOTATORS }, (_, i) => store.invite(`annotator ${i + 1}`, 'annotator').token);
    store.close();

    let server = await startServer(dir, 0);
    const port = Number(new URL(server.url).port);
    const people = await Promise.all(tokens.map((t) => signIn(server.url, t)));

    // 1. Throughput and latency.
    const acked: Acknowledged[] = [];
    const latencies: number[] = [];
    const t0 = performance.now();
    await answer(server.url, people, events, t0 + s * 1000, acked, latencies);
    const elapsed = (performance.now() - t0) / 1000;

    // 2. kill -9 halfway, restart, and look every acknowledged answer up.
    const acked2: Acknowledged[] = [];
    const t1 = performance.now();
    const answering = answer(server.url, people, events, t1 + s * 1000, acked2, []);
    await new Promise((r) => setTimeout(r, (s * 1000) / 2));
    const killedAt = performance.now();
    await new Promise<void>((resolve) => { server.child.once('exit', () => resolve()); server.child.kill('SIGKILL'); });
    server = await startServer(dir, port);
    const downMs = performance.now() - killedAt;
    const failures = await answering;
    await stopServer(server);
    const lost = missing(dir, [...acked, ...acked2]);

    return [
      { name: 'audit answers/s', value: acked.length / elapsed, unit: 'answers/s', note: `${ANNOTATORS} annotators, ${acked.length} answers in ${elapsed.toFixed(0)} s, no rate limits` },
      { name: 'audit latency p50', value: quantile(latencies, 0.5), unit: 'ms' },
      { name: 'audit latency p95', value: quantile(latencies, 0.95), unit: 'ms' },
      { name: 'audit kill -9: acknowledged', value: acked2.length, unit: 'answers', note: `server down ${downMs.toFixed(0)} ms, ${failures} requests failed meanwhile and were not acknowledged` },
      { name: 'audit kill -9: lost', value: lost, unit: `of ${acked.length + acked2.length}`, note: 'acknowledged answers missing from the store (both phases)' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
