import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeServer } from '../backend/http/testing/fake-server.ts';
import { CapabilityError } from '../backend/http/index.ts';
import { initEngine } from '../tensor/tf.ts';
import { RlaifvError } from '../util/errors.ts';
import { createModel, loadCheckpoint, saveCheckpoint, Tokenizer } from './index.ts';
import { checkpointId, isUrl, openCheckpoint, openModel } from './open.ts';
import { weightsFingerprint } from './weights.ts';

const tok = Tokenizer.fromTexts(['There is a red circle .', 'Describe the image .', 'Yes No yes no']);
const tiny = { dModel: 16, nLayers: 1, nHeads: 2, maxText: 24 };
const root = mkdtempSync(join(tmpdir(), 'rlaifv-open-'));
const servers: FakeServer[] = [];

before(async () => {
  await initEngine();
  await saveCheckpoint(createModel('t', tok, tiny, 1), join(root, 'policy'));
});
after(async () => {
  for (const s of servers) await s.close();
  rmSync(root, { recursive: true, force: true });
});

async function server(options: Parameters<typeof FakeServer.start>[0] = {}): Promise<FakeServer> {
  const s = await FakeServer.start(options);
  servers.push(s);
  return s;
}

test("generate's and align's identities of one checkpoint are one: its weights' fingerprint, whoever opens it", async () => {
  const dir = join(root, 'policy');
  const generate = await openModel(dir, { role: 'policy', needs: ['generate'] }); // how `rlaifv generate` opens --policy
  const align = await openCheckpoint(dir, 'policy-base'); // how `rlaifv align` opens its starting policy
  const loaded = loadCheckpoint(dir);
  try {
    assert.equal(generate.id, align.id);
    assert.equal(generate.id, await weightsFingerprint(loaded));
    assert.match(generate.id, /^[0-9a-f]{64}$/);
    assert.equal(await checkpointId(align.backend), align.id, 'a trained model in memory is identified as its checkpoint is');
    assert.equal(generate.backend.name, 'policy', 'named after its folder');
    assert.equal(align.backend.name, 'policy-base', 'or as its opener names it; the name is not the identity');
  } finally {
    await generate.close();
    await align.close();
    loaded.dispose();
  }
});

test('the identity follows the weights: a copy elsewhere keeps it, a folder retrained in place changes it', async () => {
  const dir = join(root, 'retrained');
  cpSync(join(root, 'policy'), dir, { recursive: true });
  const id = async () => {
    const m = await openModel(dir, { role: 'model', needs: ['generate', 'yesNo'] });
    await m.close();
    return m.id;
  };
  const original = await id();
  const elsewhere = await openModel(join(root, 'policy'), { role: 'model', needs: ['logProbs'] });
  await elsewhere.close();
  assert.equal(original, elsewhere.id);
  await saveCheckpoint(createModel('t', tok, tiny, 2), dir);
  assert.notEqual(await id(), original);
});

test('a spec that is neither a folder nor a URL fails with one line naming the flag and the fix', async () => {
  await assert.rejects(openModel(join(root, 'nope'), { role: 'labeler', needs: ['yesNo'] }), (err: Error) => {
    assert.ok(err instanceof RlaifvError);
    assert.equal(err.message, `--labeler ${join(root, 'nope')}: no such checkpoint folder (or give an http:// URL of an OpenAI-compatible server)`);
    return true;
  });
  assert.ok(isUrl('http://gpu1:8000/v1') && isUrl('HTTPS://h/v1,https://g/v1') && !isUrl('models/policy-base'));
});

test("a server's identity is its served model's name, the one named or the one it lists", async () => {
  const s = await server({ models: ['a', 'b'] });
  const named = await openModel(s.url, { role: 'policy', needs: ['generate'], modelName: 'b' });
  await named.close();
  assert.equal(named.id, 'b');
  const single = await server({ models: ['llava'] });
  const discovered = await openModel(single.url, { role: 'policy', needs: ['generate'] });
  await discovered.close();
  assert.equal(discovered.id, 'llava');
});

test('a server is probed for the capabilities the caller needs, and only those', async () => {
  const noLogprobs = await server({ logprobs: false, ownedBy: 'ollama' });
  const sampler = await openModel(noLogprobs.url, { role: 'policy', needs: ['generate'] });
  await sampler.close();
  await assert.rejects(openModel(noLogprobs.url, { role: 'labeler', needs: ['yesNo'] }), (err: Error) => {
    assert.ok(err instanceof CapabilityError);
    assert.equal(err.capability, 'logprobs');
    assert.match(err.message, /missing capability 'logprobs'.*\n {2}fix: Ollama: update to a version with OpenAI-route logprobs/s);
    return true;
  });
  const noScoring = await server({ scoring: 'none' });
  await assert.rejects(openModel(noScoring.url, { role: 'model', needs: ['generate', 'yesNo', 'logProbs'] }), (err: Error) => err instanceof CapabilityError && err.capability === 'scoring');
});

test('comma-separated URLs are replicas of one model: each is probed', async () => {
  const [a, b] = [await server(), await server()];
  const m = await openModel(`${a.url},${b.url}`, { role: 'model', needs: ['generate', 'yesNo'] });
  await m.close();
  assert.equal(m.id, 'fake-vlm');
  for (const s of [a, b]) assert.ok(s.requests.some((r) => r.path === '/v1/chat/completions'), 'every replica was probed');
});
