import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedModel } from '../model/index.ts';
import { runDataEngine } from './run.ts';
import { readJsonl, tinyConfig, tinyModels } from './testing.ts';
import { atomicClaims } from '../world/index.ts';

let models: { policy: EmbeddedModel; labeler: EmbeddedModel };
let root: string;
before(async () => {
  models = await tinyModels();
  root = mkdtempSync(join(tmpdir(), 'rlaifv-ablation-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('ablation without deconfounding: candidate j is sampled under mixed[j % length]', async () => {
  const mixed = [{ temperature: 0.4, topP: 1 }, { temperature: 1.3, topP: 0.9 }];
  const outDir = join(root, 'mixed');
  await runDataEngine(tinyConfig({ sampling: { mixed } }), { ...models, outDir });
  const candidates = readJsonl<{ index: number; settings: { temperature: number; topP: number } }>(join(outDir, 'candidates.jsonl'));
  assert.ok(candidates.length > 0);
  for (const c of candidates) {
    assert.equal(c.settings.temperature, mixed[c.index % 2]!.temperature);
    assert.equal(c.settings.topP, mixed[c.index % 2]!.topP);
  }
});

/** Run the engine with a divide method; each candidate's claims beside what `split` gives its text. */
async function claimsByMethod(method: 'whole' | 'atomic', split: (text: string) => string[]) {
  const outDir = join(root, method);
  await runDataEngine(tinyConfig({ divide: { method } }), { ...models, outDir });
  const candidates = readJsonl<{ id: string; text: string }>(join(outDir, 'candidates.jsonl'));
  const claims = readJsonl<{ candidateId: string; claims: string[] }>(join(outDir, 'claims.jsonl'));
  const byId = new Map(claims.map((c) => [c.candidateId, c.claims]));
  assert.ok(candidates.length > 0);
  return candidates.map((c) => ({ got: byId.get(c.id) ?? [], want: split(c.text) }));
}

test('ablation without divide-and-conquer: each non-empty answer is one claim', async () => {
  for (const { got, want } of await claimsByMethod('whole', (t) => (t.trim() ? [t.trim()] : []))) assert.deepEqual(got, want);
});

test("divide.method 'atomic': every candidate's claims are the world's atomic claims of its text", async () => {
  for (const { got, want } of await claimsByMethod('atomic', atomicClaims)) assert.deepEqual(got, want);
});
