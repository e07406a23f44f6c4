import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHttpBackend, parseHttpSettings } from '../src/backend/http/index.ts';
import { startServer, type RunningServer } from '../src/serve/index.ts';
import { runDataEngine } from '../src/pipeline/run.ts';
import { CountingBackend, readJsonl, tinyConfig, tinyModels } from '../src/pipeline/testing.ts';

const root = mkdtempSync(join(tmpdir(), 'rlaifv-engine-http-'));
const servers: RunningServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
  rmSync(root, { recursive: true, force: true });
});

let models: Awaited<ReturnType<typeof tinyModels>>;
before(async () => {
  models = await tinyModels();
});

test('the same run in-process and through rlaifv serve + the HTTP backend gives identical candidates, verdicts and pairs', async () => {
  // The wrappers hide the embedded model's top-k first-token extension, so the server answers yes/no
  // from yesNo() itself: with a random tiny model, "yes" and "no" are rarely among the top 20 tokens.
  const served = { policy: new CountingBackend(models.policy), labeler: new CountingBackend(models.labeler) };
  for (const backend of [served.policy, served.labeler]) {
    servers.push(await startServer({ backend, host: '127.0.0.1', port: 0, logRequests: false }));
  }
  const [policyUrl, labelerUrl] = servers.map((s) => `${s.url}/v1`);
  const policy = await openHttpBackend(parseHttpSettings({ baseUrls: policyUrl, maxRetries: 0 }), { generate: true });
  const labeler = await openHttpBackend(parseHttpSettings({ baseUrls: labelerUrl, maxRetries: 0 }), { yesNo: true });
  assert.equal(policy.name, 'tiny-policy');
  assert.equal(labeler.name, 'tiny-labeler');

  const config = tinyConfig({ input: { count: 5 } });
  const local = await runDataEngine(config, { ...models, outDir: join(root, 'local'), keepPairs: true });
  const before = { ...served.policy.counts };
  const remote = await runDataEngine(config, { policy, labeler, outDir: join(root, 'remote'), keepPairs: true });
  assert.equal(served.policy.counts.generate - before.generate, 5, 'every instruction was sampled by the server (n = 3 each)');

  const texts = (dir: string) => readJsonl(join(root, dir, 'candidates.jsonl')).map((c) => [c['id'], c['seed'], c['text']]);
  assert.deepEqual(texts('remote'), texts('local'));
  const verdicts = (dir: string) => readJsonl(join(root, dir, 'verdicts.jsonl')).map((v) => [v['candidateId'], v['question'], v['accepted']]);
  assert.deepEqual(verdicts('remote'), verdicts('local'));
  assert.deepEqual(readJsonl(join(root, 'remote', 'decisions.jsonl')), readJsonl(join(root, 'local', 'decisions.jsonl')));
  assert.deepEqual(remote.pairs.map((p) => [p.id, p.chosen, p.rejected]), local.pairs.map((p) => [p.id, p.chosen, p.rejected]));
  assert.ok(local.pairs.length > 0);
});
