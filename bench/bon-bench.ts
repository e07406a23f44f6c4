/**
 * What the RLAIF-V reward adds to best-of-N: sampling N candidates from the shipped policy-base,
 * then scoring each under policy-aligned and policy-base. Scoring reads a candidate in one forward
 * pass where sampling takes one per token, so its throughput is reported as a multiple of
 * generation's, measured on the same candidates in the same process.
 */
import type { Candidate } from '../src/backend/types.ts';
import { loadCheckpoint, type EmbeddedModel } from '../src/model/index.ts';
import { loadSettings, shippedModel } from '../src/settings.ts';
import { initEngine } from '../src/tensor/tf.ts';
import { Rng } from '../src/util/rng.ts';
import { createWorld, describeInstruction, renderScene } from '../src/world/index.ts';
import type { Row } from './model-bench.ts';

export async function bonBench(seconds: number): Promise<Row[]> {
  await initEngine();
  const settings = loadSettings();
  const reference = loadCheckpoint(shippedModel(settings, 'policy-base'));
  const policy = loadCheckpoint(shippedModel(settings, 'policy-aligned'));
  const world = createWorld({ worldSeed: 0 });
  const rng = new Rng(5);
  const requests = Array.from({ length: 8 }, (_, i) => ({ image: renderScene(world.scene('test', i)), prompt: describeInstruction(rng) }));

  const sampled: Array<{ request: (typeof requests)[number]; candidate: Candidate }> = [];
  let generated = 0;
  await reference.generate(requests.slice(0, 1), { n: 8, seed: 1, temperature: 0.7, topP: 1, maxTokens: 128 });
  const t0 = performance.now();
  for (let round = 0; performance.now() - t0 < seconds * 1000; round++) {
    const out = await reference.generate(requests, { n: 8, seed: round * 100, temperature: 0.7, topP: 1, maxTokens: 128 });
    out.forEach((cands, k) => cands.forEach((candidate) => {
      generated += candidate.tokens + 1;
      sampled.push({ request: requests[k]!, candidate });
    }));
  }
  const generateSecs = (performance.now() - t0) / 1000;

  const items = sampled.map(({ request, candidate }) => ({ ...request, response: candidate.text }));
  const scoreRate = async (model: EmbeddedModel) => {
    // The first call compiles the kernels for the batch shapes: not part of the rate.
    await model.logProbs(items.slice(0, 64));
    let tokens = 0;
    const t = performance.now();
    do tokens += (await model.logProbs(items)).reduce((sum, s) => sum + s.tokenLogProbs.length, 0);
    while (performance.now() - t < (seconds * 1000) / 2);
    return tokens / ((performance.now() - t) / 1000);
  };
  const [underPolicy, underReference] = [await scoreRate(policy), await scoreRate(reference)];
  const generation = generated / generateSecs;
  // One answer of best-of-N: N candidates sampled, then each scored twice (policy and reference).
  const scoringShare = (1 / underPolicy + 1 / underReference) / (1 / generation + 1 / underPolicy + 1 / underReference);
  policy.dispose();
  reference.dispose();
  return [
    { name: 'policy-base: sampling candidates (8 prompts x 8)', value: generation, unit: 'tokens/s' },
    { name: 'policy-aligned: scoring the candidates', value: underPolicy, unit: 'tokens/s', note: `${(underPolicy / generation).toFixed(1)}x generation` },
    { name: 'policy-base: scoring the candidates', value: underReference, unit: 'tokens/s', note: `${(underReference / generation).toFixed(1)}x generation` },
    { name: 'best-of-N: scoring\'s share of the model time', value: 100 * scoringShare, unit: '%', note: `${sampled.length} candidates, ${generated} tokens` },
  ];
}
