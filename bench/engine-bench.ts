/**
 * Data-engine orchestration against a local OpenAI-compatible server with a fixed latency and a
 * fixed number of slots: how busy the engine keeps the slots (target >= 95%), and the
 * orchestration CPU time per request. Plus peak RSS while streaming a 100,000-instruction file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { openHttpBackend, parseHttpSettings } from '../src/backend/http/index.ts';
import { encodePng } from '../src/image/codec.ts';
import { parseDataEngineConfig, runDataEngine } from '../src/pipeline/index.ts';
import type { Row } from './model-bench.ts';
import { startServerProcess } from './server-process.ts';

export async function engineBench(seconds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-bench-'));
  try {
    const slots = 8;
    const latencyMs = 40;
    // Long enough that the ramp-up and the drain at the end of a run (fixed costs) weigh little.
    const count = Math.max(800, Math.round(seconds * 160));
    let served = 0;
    // In flight = slots leaves each freed slot idle for a round trip (response out, next request
    // in); half as many again in flight keep a request waiting at the server, as a client of
    // a continuous-batching server (vLLM, SGLang) is meant to.
    const queued = slots + Math.max(1, Math.round(slots / 2));
    for (const [client, inFlight] of [['sdk', slots], ['direct', slots], ['sdk', queued], ['direct', queued]] as const) {
      const server = await startServerProcess(slots, latencyMs);
      const backend = await openHttpBackend(parseHttpSettings({ baseUrls: server.url, maxInFlightPerUrl: inFlight, client }));
      const config = parseDataEngineConfig({ input: { count }, sampling: { n: 4 }, batchSize: 16, inFlight: 4 });
      const cpu0 = process.cpuUsage();
      await runDataEngine(config, { policy: backend, labeler: backend, outDir: join(dir, `run-${client}-${inFlight}`) });
      const cpu = process.cpuUsage(cpu0);
      const stats = await server.stats();
      server.close();
      served = stats.served;
      const which = `${client === 'sdk' ? 'openai SDK client (default)' : "client 'direct'"}, ${inFlight} in flight`;
      rows.push({ name: `slots busy, ${which} (${slots} slots, ${latencyMs} ms, ${count} instructions)`, value: 100 * (stats.utilisation ?? 0), unit: '%', note: `${stats.served} requests, max ${stats.maxInService} in service, max ${stats.maxQueued} waiting; server in its own process` });
      rows.push({ name: `orchestration CPU per request, ${which}`, value: (cpu.user + cpu.system) / 1000 / stats.served, unit: 'ms', note: `engine + HTTP client; the slots allow ${(1000 * slots / latencyMs).toFixed(0)} req/s` });
    }

    rows.push(await twoServers(dir, slots, latencyMs, Math.max(200, seconds * 80)));

    // The same server driven by a client that does nothing but keep `slots` yes/no requests in
    // flight: the utilisation this machine allows at all (on a loaded machine, well under 100%).
    const ceiling = await startServerProcess(slots, latencyMs);
    await minimalClient(ceiling.url, slots, served);
    const top = await ceiling.stats();
    ceiling.close();
    rows.push({ name: 'slots busy, minimal client (same server)', value: 100 * (top.utilisation ?? 0), unit: '%', note: `${top.served} requests; the ceiling the machine allows, to read the engine's figure against` });

    // Memory in a process of its own, so that nothing this bench loaded before (the model
    // section's wasm heap, which never shrinks) is counted.
    rows.push(...await memoryProcess(dir, Math.max(4000, seconds * 800)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Policy and labeler on two servers, as in the paper's setup: the wall time of a run whose chunks
 * overlap (the defaults: the next chunk samples while one is labelled) against the same run taking
 * one stage at a time over all instructions (one chunk), which leaves one server idle throughout.
 */
async function twoServers(dir: string, slots: number, latencyMs: number, count: number): Promise<Row> {
  const seconds: Record<string, number> = {};
  for (const [name, chunks] of [['one chunk', { chunkSize: count, chunksInFlight: 1 }], ['overlapping', {}]] as const) {
    const policyServer = await startServerProcess(slots, latencyMs);
    const labelerServer = await startServerProcess(slots, latencyMs);
    const open = (url: string) => openHttpBackend(parseHttpSettings({ baseUrls: url, maxInFlightPerUrl: slots, client: 'direct' }));
    const config = parseDataEngineConfig({ input: { count }, sampling: { n: 4 }, batchSize: 16, inFlight: 4, ...chunks });
    const started = performance.now();
    await runDataEngine(config, { policy: await open(policyServer.url), labeler: await open(labelerServer.url), outDir: join(dir, `run-two-${name}`) });
    seconds[name] = (performance.now() - started) / 1000;
    policyServer.close();
    labelerServer.close();
  }
  return {
    name: `wall time, policy and labeler on two servers (${count} instructions), overlapping chunks vs. one chunk`, value: seconds['overlapping']! / seconds['one chunk']!, unit: 'x',
    note: `${seconds['overlapping']!.toFixed(1)} s vs. ${seconds['one chunk']!.toFixed(1)} s; chunks of 100, 2 in flight (the defaults)`,
  };
}

/** Run bench/memory-process.ts in a fresh node (with --expose-gc) and collect its rows. */
async function memoryProcess(dir: string, count: number): Promise<Row[]> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'memory-process.ts'), dir, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bench/memory-process.ts exited with ${code}`);
  return JSON.parse(out) as Row[];
}

/** `count` yes/no requests about one image over keep-alive connections, `concurrency` at a time, nothing else. */
async function minimalClient(baseUrl: string, concurrency: number, count: number): Promise<void> {
  const image = `data:image/png;base64,${Buffer.from(encodePng({ width: 48, height: 48, data: new Uint8Array(48 * 48 * 3).fill(120) })).toString('base64')}`;
  const body = JSON.stringify({
    model: 'fake-vlm', max_tokens: 1, temperature: 0, logprobs: true, top_logprobs: 20,
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: image } }, { type: 'text', text: 'Is there a cat? Please answer yes or no.' }] }],
  });
  const agent = new http.Agent({ keepAlive: true });
  const post = () => new Promise<void>((resolve, reject) => {
    const req = http.request(`${baseUrl}/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`minimal client: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  let sent = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < count) {
      sent++;
      await post();
    }
  }));
  agent.destroy();
}
