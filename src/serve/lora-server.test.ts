/**
 * The real-model path of `rlaifv align` on this machine: `rlaifv serve` over a socket plays vLLM,
 * a checkpoint trained by DPO from the base is hot-loaded through `loadLoraAdapter` (the client
 * align uses), and answers under its name exactly as the same checkpoint served on its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { YES_NO_SUFFIX } from '../backend/types.ts';
import { craftedPairs, tinyPolicy } from '../dpo/testing.ts';
import { trainDpo } from '../dpo/trainer.ts';
import { loadLoraAdapter } from '../dpo/lora-loading.ts';
import { loadCheckpoint, saveCheckpoint, type EmbeddedModel } from '../model/index.ts';
import { openCheckpoint } from '../model/open.ts';
import { initEngine } from '../tensor/tf.ts';
import { startServer, type RunningServer } from './server.ts';
import { scoringBody, userTurn } from './test-helpers.ts';

let root: string;
let baseDir: string;
let trainedDir: string;
let base: EmbeddedModel;
let server: RunningServer;
const closed: string[] = [];

before(async () => {
  await initEngine();
  root = mkdtempSync(join(tmpdir(), 'rlaifv-lora-server-'));
  baseDir = join(root, 'base');
  await saveCheckpoint(tinyPolicy(1), baseDir);
  // One DPO round from the base, as `rlaifv dpo` (the align loop's `rlaifv` trainer) writes it.
  const policy = loadCheckpoint(baseDir);
  const result = await trainDpo({
    policy, pairs: craftedPairs(4), outDir: join(root, 'round-1'),
    settings: { epochs: 2, batchSize: 2, lr: 3e-3, checkpointsPerEpoch: 1, warmupFraction: 0 },
  });
  trainedDir = result.best.dir;
  policy.dispose();
  base = loadCheckpoint(baseDir, 'policy');
  server = await startServer({
    backend: base, port: 0, allowLoraLoading: true, loraRoot: root, log: () => {},
    loadAdapter: async (dir, name) => {
      const opened = await openCheckpoint(dir, name);
      return { backend: opened.backend, close: async () => { closed.push(name); await opened.close(); } };
    },
  });
});

after(async () => {
  await server.close();
  base.dispose();
  rmSync(root, { recursive: true, force: true });
});

const post = (s: RunningServer, path: string, body: unknown) =>
  fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** What a data-engine round asks a policy: samples, a yes/no judgement and a response's log-probs. */
async function answers(s: RunningServer, model: string) {
  const chat = async (body: object) => {
    const res = await post(s, '/v1/chat/completions', { model, ...body });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { model: string; choices: Array<{ message: { content: string }; logprobs: unknown }>; response_logprobs?: unknown };
  };
  const sampled = await chat({ messages: userTurn('Describe the image.'), n: 3, seed: 5, max_tokens: 12, temperature: 1 });
  const judged = await chat({ messages: userTurn(`Is there a red circle?${YES_NO_SUFFIX}`), max_tokens: 1, logprobs: true, top_logprobs: 5 });
  const scored = await chat(scoringBody('Describe the image.', 'There is a red circle.'));
  return {
    model: sampled.model,
    samples: sampled.choices.map((c) => c.message.content),
    yesNo: judged.choices[0]!.logprobs,
    score: scored.response_logprobs,
  };
}

test('loadLoraAdapter -> the trained checkpoint answers under its name as when served alone; the base is unchanged; reload, unload', async () => {
  const baseBefore = await answers(server, 'policy');
  assert.equal(await loadLoraAdapter({ baseUrl: `${server.url}/v1`, engine: 'vllm', loraName: 'rlaifv-round-1', loraPath: trainedDir }), 'rlaifv-round-1');

  const alone = loadCheckpoint(trainedDir, 'rlaifv-round-1');
  const direct = await startServer({ backend: alone, port: 0, log: () => {} });
  try {
    const viaAdapter = await answers(server, 'rlaifv-round-1');
    assert.deepEqual(viaAdapter, await answers(direct, 'rlaifv-round-1'));
    assert.notDeepEqual(viaAdapter.score, baseBefore.score, 'the trained checkpoint scores differently from the base');
  } finally {
    await direct.close();
    alone.dispose();
  }
  assert.deepEqual(await answers(server, 'policy'), baseBefore);

  const list = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ id: string; root: string; parent: string | null }> };
  assert.deepEqual(list.data.map((m) => [m.id, m.root, m.parent]), [['policy', 'policy', null], ['rlaifv-round-1', trainedDir, 'policy']]);

  // A rerun of the round: the first load is refused as vLLM refuses it, and loadLoraAdapter unloads and loads again.
  const refused = await post(server, '/v1/load_lora_adapter', { lora_name: 'rlaifv-round-1', lora_path: trainedDir });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /has already been loaded/);
  assert.equal(await loadLoraAdapter({ baseUrl: server.url, engine: 'vllm', loraName: 'rlaifv-round-1', loraPath: trainedDir }), 'rlaifv-round-1');
  assert.deepEqual(closed, ['rlaifv-round-1'], 'the unload disposed the first copy');

  // The official client, as the HTTP backend of align talks to it.
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const res = await client.chat.completions.create({
    model: 'rlaifv-round-1', messages: userTurn('Describe the image.') as OpenAI.Chat.ChatCompletionMessageParam[], n: 3, seed: 5, max_tokens: 12, temperature: 1,
  });
  assert.equal(res.model, 'rlaifv-round-1');
  assert.deepEqual(res.choices.map((c) => c.message.content), (await answers(server, 'rlaifv-round-1')).samples);
  assert.deepEqual((await client.models.list()).data.map((m) => m.id), ['policy', 'rlaifv-round-1']);

  const unloaded = await post(server, '/v1/unload_lora_adapter', { lora_name: 'rlaifv-round-1' });
  assert.deepEqual([unloaded.status, await unloaded.text()], [200, "Success: LoRA adapter 'rlaifv-round-1' removed successfully."]);
  assert.deepEqual(closed, ['rlaifv-round-1', 'rlaifv-round-1']);
  await assert.rejects(
    client.chat.completions.create({ model: 'rlaifv-round-1', messages: userTurn('x') as OpenAI.Chat.ChatCompletionMessageParam[] }),
    (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found' && /this server serves 'policy'/.test(e.message),
  );
});

test('a path outside --lora-root is a 400 naming the root, and nothing is loaded', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'rlaifv-outside-'));
  try {
    await saveCheckpoint(tinyPolicy(2), outside);
    await assert.rejects(
      loadLoraAdapter({ baseUrl: server.url, engine: 'vllm', loraName: 'escape', loraPath: outside }),
      new RegExp(`failed with HTTP 400: .*is outside the adapter root ${root}`),
    );
    const list = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(list.data.map((m) => m.id), ['policy']);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('adapter loading off: loadLoraAdapter fails naming VLLM_ALLOW_RUNTIME_LORA_UPDATING=True', async (t) => {
  const off = await startServer({ backend: base, port: 0, log: () => {} });
  t.after(() => off.close());
  await assert.rejects(
    loadLoraAdapter({ baseUrl: `${off.url}/v1`, engine: 'vllm', loraName: 'r', loraPath: trainedDir }),
    /failed with HTTP 404: .*start vLLM with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/,
  );
});

test('the CLI: adapter loading beyond loopback without --lora-root is refused at start with one line, the environment variable as the flag', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, ['bin/rlaifv.js', 'serve', '--model', baseDir, '--port', '0', ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env },
  });
  const refusal = /^rlaifv: serve: adapter loading \(--allow-lora-loading or VLLM_ALLOW_RUNTIME_LORA_UPDATING\) on host 0\.0\.0\.0 would let any client .* give --lora-root DIR .*\n$/;
  for (const [args, env] of [[['--host', '0.0.0.0', '--allow-lora-loading'], {}], [['--host', '0.0.0.0'], { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' }]] as const) {
    const r = cli([...args], env);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, refusal);
  }
});
