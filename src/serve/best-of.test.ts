import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { MockBackend } from '../backend/mock.ts';
import { FakeServer } from '../backend/http/testing/fake-server.ts';
import type { ScoreRequest } from '../backend/types.ts';
import { ConfigError } from '../util/errors.ts';
import { createApp } from './app.ts';
import type { BestOfCompletion } from './best-of.ts';
import { checkBestOfSettings, openBestOf } from './best-of-open.ts';
import { startServer, type RunningServer } from './server.ts';
import { parseServeSettings } from './settings.ts';
import { userTurn } from './test-helpers.ts';

type Messages = OpenAI.Chat.ChatCompletionMessageParam[];
type Body = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/**
 * Crafted so the hand arithmetic is easy (β = 0.5, one token per word, no end-of-sequence):
 *   candidate 0 (seed 10) 'c d e f': T = 4, Σ log π = 4 x -1 = -4,   Σ log π_ref = 4 x -1.2 = -4.8, r = 0.5/4 x 0.8 = 0.1
 *   candidate 1 (seed 11) 'g':       T = 1, Σ log π = -3,            Σ log π_ref = -2,            r = 0.5/1 x -1 = -0.5
 *   candidate 2 (seed 12) 'a b':     T = 2, Σ log π = 2 x -1 = -2,   Σ log π_ref = 2 x -1.3 = -2.6, r = 0.5/2 x 0.6 = 0.15
 * so the order is 2, 0, 1; the unnormalised sum β Σ (0.4 for candidate 0, 0.3 for 2) would pick candidate 0.
 */
const TEXTS: Record<number, string> = { 10: 'c d e f', 11: 'g', 12: 'a b' };
const POLICY: Record<string, number> = { a: -1, b: -1, c: -1, d: -1, e: -1, f: -1, g: -3 };
const REFERENCE: Record<string, number> = { a: -1.3, b: -1.3, c: -1.2, d: -1.2, e: -1.2, f: -1.2, g: -2 };
const REWARDS = [0.1, -0.5, 0.15];

function scorer(table: Record<string, number>) {
  return (r: ScoreRequest) => {
    const tokens = r.response.split(' ');
    const tokenLogProbs = tokens.map((t) => table[t]!);
    return { tokens, tokenLogProbs, sum: tokenLogProbs.reduce((a, b) => a + b, 0) };
  };
}

const policy = new MockBackend('aligned-mock', { logProbs: scorer(POLICY) });
const reference = new MockBackend('reference-mock', { text: (_, seed) => TEXTS[seed] ?? 'a b', logProbs: scorer(REFERENCE) });
let server: RunningServer;
let client: OpenAI;

before(async () => {
  server = await startServer({ backend: policy, bestOfModels: { reference }, bestOf: 3, beta: 0.5, port: 0, logRequests: false, name: 'bon' });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
after(() => server.close());

const ask = (extra: Record<string, unknown> = {}) => client.chat.completions.create({
  model: 'bon', messages: userTurn('Describe.') as Messages, seed: 10, temperature: 0.9, max_tokens: 20, ...extra,
} as Body) as Promise<BestOfCompletion>;

test('the answer is the candidate of highest reward (β/T) Σ (log π - log π_ref), from one sampling call and one scoring call per model', async () => {
  const [generated, scoredByPolicy, scoredByReference] = [reference.calls.generate.length, policy.calls.logProbs.length, reference.calls.logProbs.length];
  const res = await ask();
  assert.deepEqual(res.choices.map((c) => [c.message.content, c.finish_reason]), [['a b', 'stop']]);
  assert.deepEqual(res.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 }, 'completion tokens are the returned answer\'s');
  assert.equal(reference.calls.generate.length, generated + 1, 'the reference samples when no sampler is given');
  assert.deepEqual(reference.calls.generate.at(-1)!.options, { n: 3, seed: 10, temperature: 0.9, topP: 1, maxTokens: 20 });
  assert.equal(policy.calls.logProbs.length, scoredByPolicy + 1);
  assert.equal(reference.calls.logProbs.length, scoredByReference + 1);
  assert.deepEqual(policy.calls.logProbs.at(-1)!.map((r) => r.response), ['c d e f', 'g', 'a b'], 'every candidate scored in one call');
  assert.deepEqual(reference.calls.logProbs.at(-1)!.map((r) => [r.prompt, r.response]), [['Describe.', 'c d e f'], ['Describe.', 'g'], ['Describe.', 'a b']]);
  assert.equal('rlaifv' in res, false, 'a plain chat completion unless asked');
});

test('n > 1 returns the n best candidates in reward order, and the extension field when asked carries every candidate\'s scores and the cost', async () => {
  const res = await ask({ n: 2, rlaifv: { candidates: true } });
  assert.deepEqual(res.choices.map((c) => [c.index, c.message.content]), [[0, 'a b'], [1, 'c d e f']]);
  assert.equal(res.usage.completion_tokens, 2 + 4);
  const x = res.rlaifv!;
  assert.deepEqual([x.bestOf, x.beta, x.models], [3, 0.5, { policy: 'aligned-mock', reference: 'reference-mock', sampler: 'reference-mock' }]);
  assert.deepEqual(x.picked, [2, 0]);
  x.reward.forEach((r, i) => assert.ok(Math.abs(r - REWARDS[x.picked[i]!]!) < 1e-12, `reward ${r} of choice ${i}`));
  assert.deepEqual(x.candidates.map((c) => [c.text, c.seed, c.tokens, c.finishReason]), [['c d e f', 10, 4, 'stop'], ['g', 11, 1, 'stop'], ['a b', 12, 2, 'stop']]);
  const expected: Array<[number, number, number]> = [[-4, -4.8, 0.1], [-3, -2, -0.5], [-2, -2.6, 0.15]];
  x.candidates.forEach((c, k) => {
    const got = [c.policyLogProb, c.referenceLogProb, c.reward];
    got.forEach((g, i) => assert.ok(Math.abs(g - expected[k]![i]!) < 1e-12, `candidate ${k}: ${got} vs ${expected[k]}`));
  });
  assert.deepEqual(x.cost.scoredTokens, { policy: 7, reference: 7 });
  assert.equal(x.cost.sampledTokens, 7);
  assert.ok(x.cost.samplingMs >= 0 && x.cost.scoringMs >= 0, JSON.stringify(x.cost));
  const all = await ask({ n: 3, rlaifv: { candidates: false } });
  assert.deepEqual(all.choices.map((c) => c.message.content), ['a b', 'c d e f', 'g']);
  assert.equal('rlaifv' in all, false);
});

test('a request\'s best_of sets the candidates (a prefix of the same seeds), within 1..maxN and at least n; bad values are 400s', async () => {
  const two = await ask({ best_of: 2, rlaifv: { candidates: true } });
  assert.deepEqual(two.rlaifv!.candidates.map((c) => c.text), ['c d e f', 'g']);
  assert.equal(two.choices[0]!.message.content, 'c d e f');
  const bad = async (extra: Record<string, unknown>, param: string, message: RegExp) => assert.rejects(ask(extra),
    (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === param && message.test(e.message), JSON.stringify(extra));
  await bad({ n: 4 }, 'n', /n = 4 is above best_of = 3/);
  await bad({ n: 2, best_of: 1 }, 'n', /n = 2 is above best_of = 1/);
  await bad({ best_of: 0 }, 'best_of', /best_of must be an integer >= 1/);
  await bad({ best_of: 2.5 }, 'best_of', /best_of must be an integer >= 1/);
  await bad({ best_of: 65 }, 'best_of', /above this server's limit of 64/);
  await bad({ rlaifv: { candidate: true } }, 'rlaifv', /rlaifv must be an object \{"candidates": true \| false\}/);
  await bad({ logprobs: true }, 'logprobs', /"rlaifv": \{"candidates": true\}/);
});

test('a model that cannot score is a 502 naming it, never an unranked answer', async () => {
  const broken = new MockBackend('broken-reference', { text: (_, seed) => `x ${seed}`, logProbs: () => { throw new Error('scoring server down'); } });
  const s = await startServer({ backend: policy, bestOfModels: { reference: broken }, bestOf: 2, port: 0, logRequests: false });
  try {
    const c = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(c.chat.completions.create({ messages: userTurn('Describe.') as Messages } as Body), (e: unknown) => e instanceof OpenAI.APIError && e.status === 502
      && e.code === 'scoring_failed' && /the reference model 'broken-reference' could not score the 2 candidates: scoring server down; no answer is returned unranked/.test(e.message));
  } finally {
    await s.close();
  }
  // Scores over different tokens cannot be subtracted.
  const other = new MockBackend('other-tokenizer', { text: () => 'a b', logProbs: (r) => ({ tokens: [r.response], tokenLogProbs: [-1], sum: -1 }) });
  const app = createApp({ backend: policy, bestOfModels: { reference: other }, bestOf: 2, maxBatch: 1 });
  const res = await app.handle({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: userTurn('Describe.') }) });
  assert.equal(res.status, 502);
  assert.match(JSON.parse(res.body).error.message, /policy model 'aligned-mock' scored 2 answer tokens of candidate 0 and the reference model 'other-tokenizer' 1/);
});

test('a reference server without response scoring fails at start-up, in one line naming its URL and what to run instead', async () => {
  const scores = await FakeServer.start({ scoring: 'response_logprobs', models: ['aligned'], ownedBy: 'rlaifv' });
  const cannot = await FakeServer.start({ scoring: 'none', models: ['base'] });
  try {
    await assert.rejects(openBestOf(scores.url, parseServeSettings({ bestOf: 4, reference: cannot.url })), (e: unknown) => {
      const m = (e as Error).message;
      return e instanceof ConfigError && !m.includes('\n') && m.startsWith(`--reference ${cannot.url}: the server at ${cannot.url} cannot score responses`)
        && /instead: .*rlaifv serve.*vLLM \(prompt_logprobs \+ POST \/tokenize\)/.test(m);
    });
  } finally {
    await scores.close();
    await cannot.close();
  }
});

test('best-of settings: a reference is required with bestOf and refused without it, bestOf at most maxN, no adapters', () => {
  assert.throws(() => checkBestOfSettings(parseServeSettings({ bestOf: 8 })), /--best-of 8 needs --reference DIR\|URL/);
  assert.throws(() => checkBestOfSettings(parseServeSettings({ reference: 'models/policy-base', samplerName: 'x' })), /--reference, --sampler-name are used only with --best-of N/);
  assert.throws(() => parseServeSettings({ bestOf: 0 }), /field 'bestOf'/);
  assert.throws(() => parseServeSettings({ bestOf: 100 }), /100 candidates is above maxN = 64/);
  assert.throws(() => createApp({ backend: policy, bestOf: 2 }), /bestOf needs the reference model/);
  assert.throws(() => createApp({ backend: policy, bestOfModels: { reference } }), /reference model was given without bestOf/);
  assert.throws(() => createApp({ backend: policy, bestOfModels: { reference }, bestOf: 2, allowLoraLoading: true }), /bestOf and allowLoraLoading do not go together/);
});

test('concurrent best-of requests share the sampler\'s and each scorer\'s calls (micro-batching)', async () => {
  const p = new MockBackend('p', { logProbs: scorer(POLICY) });
  const r = new MockBackend('r', { text: (_, seed) => TEXTS[seed % 3 + 10]!, logProbs: scorer(REFERENCE) });
  // A long window, so that a loaded machine still merges; 6 = both requests' candidates, so scoring starts as soon as both arrive.
  const app = createApp({ backend: p, bestOfModels: { reference: r }, bestOf: 3, maxBatch: 6, batchWindowMs: 1500 });
  const post = (seed: number) => app.handle({ method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: userTurn('Describe.'), seed }) });
  const answers = await Promise.all([post(10), post(13)]);
  assert.deepEqual(answers.map((a) => JSON.parse(a.body).choices[0].message.content), ['a b', 'a b']);
  assert.equal(r.calls.generate.length, 1, 'one sampling call for both requests');
  assert.deepEqual(r.calls.generate[0]!.batch.map((b) => b.seed).sort((a, b) => a! - b!), [10, 13], 'each request keeps its seed (in arrival order)');
  assert.deepEqual([p.calls.logProbs.length, p.calls.logProbs[0]!.length, r.calls.logProbs.length, r.calls.logProbs[0]!.length], [1, 6, 1, 6]);
});
