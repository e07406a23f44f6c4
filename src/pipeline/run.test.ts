import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockBackend } from '../backend/mock.ts';
import { ScriptedChat } from './divide/testing.ts';
import { encodePng } from '../image/codec.ts';
import { readPreferencePairs } from '../inputs/index.ts';
import type { EmbeddedModel } from '../model/index.ts';
import { instructionSeed } from './sample/stage.ts';
import { runDataEngine } from './run.ts';
import { chunkFreeSnapshot, CountingBackend, outputSnapshot, readJsonl, tinyConfig, tinyModels } from './testing.ts';

let models: { policy: EmbeddedModel; labeler: EmbeddedModel };
let root: string;
before(async () => {
  models = await tinyModels();
  root = mkdtempSync(join(tmpdir(), 'rlaifv-engine-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const SUMMARY_KEYS = [
  'instructions', 'skippedInstructions', 'repeatedInstructions', 'candidates', 'claims', 'questions', 'conversionMismatches', 'scored', 'unscored', 'pairs',
  'pairFilters', 'pairOrigins', 'people', 'lengthBalance', 'labelerYesRate', 'humanVerdicts', 'generatedTokens', 'meanCandidateTokens', 'claimAccuracy', 'claimsWithTruth',
  'pairPrecision', 'pairsTiedOnHallucinations', 'pairPrecisionDecisive', 'pairTruthAgreement', 'models', 'config', 'run',
];

test('a run on the world writes every stage output with the documented shape', async () => {
  const config = tinyConfig();
  const outDir = join(root, 'shape');
  const result = await runDataEngine(config, { ...models, outDir, keepPairs: true });
  const s = result.summary;

  const candidates = readJsonl(join(outDir, 'candidates.jsonl'));
  assert.equal(candidates.length, 4 * 3);
  const ids = [...new Set(candidates.map((c) => c['instructionId'] as string))];
  assert.deepEqual(ids, ['w0-train-0', 'w0-train-1', 'w0-train-2', 'w0-train-3']);
  candidates.forEach((c, i) => {
    const j = i % 3;
    assert.equal(c['id'], `${c['instructionId']}#${j}`);
    assert.equal(c['seed'], instructionSeed(5, c['instructionId'] as string) + j, 'deconfounded: candidate j has seed + j');
    assert.equal(c['model'], 'tiny-policy');
    assert.deepEqual(c['settings'], { temperature: 0.7, topP: 1, maxTokens: 16 });
    assert.ok((c['tokens'] as number) <= 16);
    assert.equal(typeof c['prompt'], 'string');
  });

  const claims = readJsonl(join(outDir, 'claims.jsonl'));
  assert.equal(claims.length, 12);
  for (const c of claims) assert.equal((c['questions'] as string[]).length, (c['claims'] as string[]).length);
  const verdicts = readJsonl(join(outDir, 'verdicts.jsonl'));
  assert.equal(verdicts.length, claims.reduce((n, c) => n + (c['claims'] as string[]).length, 0));
  for (const v of verdicts) {
    assert.equal(v['accepted'], (v['yes'] as number) > (v['no'] as number));
    assert.ok('truth' in v, 'world verdicts carry the exact truth');
  }
  const official = readJsonl(join(outDir, 'labeler.official.jsonl'));
  assert.equal(official.length, verdicts.length);
  // Exactly the official autocheck record (src/export/official-labeler.test.ts checks it field by field).
  assert.deepEqual(Object.keys(official[0]!), ['question_id', 'ds_question_id', 'raw_question', 'answer', 'scores', 'metainfos', 'model_path']);
  assert.deepEqual(Object.keys(official[0]!['scores'] as object), ['yes', 'Yes', 'no', 'No']);
  official.forEach((o, k) => {
    const v = verdicts[k]!;
    const meta = o['metainfos'] as { ds_question_id: string; image_path: string; metainfos: Record<string, unknown> };
    assert.deepEqual([o['question_id'], o['ds_question_id'], o['raw_question'], o['model_path']], [v['candidateId'], v['instructionId'], `${v['question']} Please answer yes or no.`, 'tiny-labeler']);
    assert.deepEqual([meta.ds_question_id, meta.image_path, meta.metainfos['origin_question'], meta.metainfos['origin_fact'], meta.metainfos['origin_changed_fact']],
      [v['instructionId'], `${v['instructionId']}.png`, candidates.find((c) => c['id'] === v['candidateId'])!['prompt'], v['claim'], v['question']]);
  });

  const decisions = readJsonl(join(outDir, 'decisions.jsonl'));
  assert.equal(decisions.length, s.pairFilters.scoredPairs);
  assert.equal(decisions.filter((d) => d['outcome'] === 'kept').length, s.pairs);
  assert.ok(decisions.every((d) => (d['outcome'] === 'kept') === (d['origin'] === 'ai')), 'without feedback every kept pair is the AI\'s');
  assert.deepEqual(s.pairOrigins, { ai: s.pairs, 'ai+human-agree': 0, 'human-judgement': 0, 'human-correction': 0 });
  assert.deepEqual(s.people, { source: null, verdicts: 0, corrections: 0, correctionsUnmatched: 0, pairJudgements: 0, pairJudgementsUnmatched: 0, tiesDropped: 0 });

  assert.deepEqual(Object.keys(s), SUMMARY_KEYS);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'))), SUMMARY_KEYS);
  assert.equal(s.instructions, 4);
  assert.equal(s.candidates, 12);
  assert.equal(s.claims, verdicts.length);
  assert.equal(s.questions, verdicts.length);
  assert.equal(s.labelerYesRate, verdicts.filter((v) => v['accepted']).length / verdicts.length);
  const f = s.pairFilters;
  assert.ok(f.scoredPairs >= f.afterScoreDiff && f.afterScoreDiff >= f.afterSampling && f.afterSampling >= f.afterIdenticalText
    && f.afterIdenticalText >= f.afterLengthBalance && f.afterLengthBalance === f.afterPeople && f.afterPeople === s.pairs);
  assert.ok(s.pairs > 0, 'the tiny models give at least one pair with these seeds');
  assert.equal(typeof s.pairPrecision, 'number', 'world instructions have a pair precision');
  assert.equal(s.generatedTokens, candidates.reduce((n, c) => n + (c['tokens'] as number), 0));
  assert.deepEqual(Object.keys(s.run.requests), ['generate', 'divide', 'convert', 'label']);
  assert.equal(s.run.requests['generate'], 2, '4 instructions in batches of 2');

  // The datasets hold the kept pairs: parquet (read back by our importer) and TRL with its images.
  assert.equal(result.pairs.length, s.pairs);
  const imported = [];
  for await (const p of readPreferencePairs(join(outDir, 'pairs.parquet'))) imported.push(p);
  assert.deepEqual(imported.map((p) => p.ok && [p.instruction.id, p.chosen, p.rejected]), result.pairs.map((p) => [p.id, p.chosen, p.rejected]));
  const first = imported[0]!;
  assert.ok(first.ok);
  assert.deepEqual(await first.instruction.image.load(), result.pairs[0]!.image);
  assert.equal(first.meta.generator, 'tiny-policy');
  assert.equal(first.meta.labeler, 'tiny-labeler');
  const trl = readJsonl<{ images: string[]; prompt: unknown[] }>(join(outDir, 'pairs.trl.jsonl'));
  assert.equal(trl.length, s.pairs);
  for (const row of trl) assert.ok(existsSync(join(outDir, row.images[0]!)));
  for (const p of result.pairs) assert.ok(p.chosenScore > p.rejectedScore);
});

test('running a finished run again rebuilds identical outputs from the store without calling a model', async () => {
  const config = tinyConfig({ input: { count: 3 } });
  const outDir = join(root, 'replay');
  await runDataEngine(config, { ...models, outDir });
  const before = outputSnapshot(outDir);
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  const again = await runDataEngine(config, { policy, labeler, outDir });
  assert.deepEqual(policy.counts, { generate: 0, yesNo: 0, logProbs: 0, calls: 0 });
  assert.deepEqual(labeler.counts, { generate: 0, yesNo: 0, logProbs: 0, calls: 0 });
  assert.deepEqual(again.summary.run.requests, { generate: 0, divide: 0, convert: 0, label: 0 });
  assert.deepEqual(outputSnapshot(outDir), before);

  // Another sampling setting is another computation: the store does not answer it.
  const other = new CountingBackend(models.policy);
  await runDataEngine(tinyConfig({ input: { count: 3 }, sampling: { temperature: 1 } }), { policy: other, labeler, outDir: join(root, 'replay') });
  assert.equal(other.counts.generate, 3);
});

test('self-feedback: the policy labels its own candidates and no labeler is needed', async () => {
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  const r = await runDataEngine(tinyConfig({ input: { count: 2 }, label: { selfFeedback: true } }), { policy, labeler, outDir: join(root, 'self') });
  assert.equal(labeler.counts.calls, 0);
  assert.ok(policy.counts.yesNo > 0);
  assert.equal(r.summary.models.labeler, 'tiny-policy');
  assert.equal(r.summary.models.selfFeedback, true);
  await assert.rejects(runDataEngine(tinyConfig(), { policy, outDir: join(root, 'no-labeler') }), /no labeler given; pass deps\.labeler, or set label\.selfFeedback/);
  const samplerOnly = { name: 'sampler-only', generate: policy.generate.bind(policy) };
  await assert.rejects(runDataEngine(tinyConfig({ label: { selfFeedback: true } }), { policy: samplerOnly, outDir: join(root, 'no-judge') }),
    /with label\.selfFeedback the policy labels its own candidates, but 'sampler-only' cannot answer yes\/no questions/);
});

test('LLM divide and convert: claims from the facts list, and a question-count mismatch leaves the answer unpaired', async () => {
  const policy = new MockBackend('mock-policy', { text: (_r, seed) => `Answer ${seed}.` });
  const labeler = new MockBackend('mock-labeler', { yesNo: (q) => (q.question.includes('circle') ? { yes: 0.9, no: 0.1 } : { yes: 0.2, no: 0.8 }) });
  const config = tinyConfig({ input: { count: 2 }, sampling: { n: 2 }, divide: { method: 'llm' }, questions: { method: 'llm' } });
  const bad = `Answer ${instructionSeed(5, 'w0-train-1') + 1}.`; // the second candidate of the second instruction
  const chat = new ScriptedChat((prompt) => {
    if (prompt.includes('### Question-answer pair:')) {
      return `### Facts:\n- There is a circle.\n- The answer is ${/Answer: (.*)$/.exec(prompt)![1]}`;
    }
    assert.ok(prompt.includes('### Declarative sentences:'));
    // The convert model drops a question for one answer: a count mismatch.
    return prompt.includes(bad) ? '### Modified sentences:\n- Is there a circle?' : '### Modified sentences:\n- Is there a circle?\n- Is the answer given?';
  }, 'scripted-llm');
  const outDir = join(root, 'llm');
  const r = await runDataEngine(config, { policy, labeler, chat, outDir });
  const claims = readJsonl(join(outDir, 'claims.jsonl'));
  assert.equal(claims.length, 4);
  assert.ok(claims.every((c) => typeof c['divideRaw'] === 'string' && typeof c['convertRaw'] === 'string'));
  const mismatched = claims.filter((c) => c['conversion'] === 'count-mismatch');
  assert.deepEqual(mismatched.map((c) => c['candidateId']), ['w0-train-1#1']);
  assert.deepEqual(claims[0]!['claims'], ['There is a circle.', `The answer is Answer ${instructionSeed(5, 'w0-train-0')}.`]);
  assert.equal(r.summary.conversionMismatches, mismatched.length);
  assert.equal(r.summary.unscored.verdictMismatch, mismatched.length);
  assert.equal(r.summary.models.llm, 'scripted-llm');
  const candidates = readJsonl(join(outDir, 'candidates.jsonl'));
  for (const m of mismatched) {
    const c = candidates.find((x) => x['id'] === m['candidateId'])!;
    assert.equal(c['score'], null);
    assert.equal(c['unscored'], 'verdict-mismatch');
  }
  // Every divide and convert prompt was sent once; the replay sends none.
  const sent = chat.calls.length;
  assert.equal(sent, 8, 'one divide and one convert call per candidate');
  await runDataEngine(config, { policy, labeler, chat, outDir });
  assert.equal(chat.calls.length, sent);
  await assert.rejects(runDataEngine(config, { policy, labeler, outDir: join(root, 'llm-missing') }), /divide\.method is 'llm' but no text LLM was given/);
});

test('instructions from a file: read, skipped when unreadable, exported as LLaMA-Factory too; no world metrics', async () => {
  const dir = join(root, 'file-input');
  const outDir = join(dir, 'out');
  mkdirSync(dir, { recursive: true });
  const png = (v: number) => encodePng({ width: 4, height: 4, data: new Uint8Array(48).fill(v) });
  writeFileSync(join(dir, 'a.png'), png(10));
  writeFileSync(join(dir, 'b.png'), png(200));
  writeFileSync(join(dir, 'in.jsonl'), [
    { id: 'q1', image: 'a.png', question: 'What is here?' },
    { id: 'q2', image: 'missing.png', question: 'And here?' },
    { id: 'q3', image: 'b.png', question: 'Describe it.' },
    { id: 'q4', image: './a.png', question: 'What is here?' },
  ].map((r) => JSON.stringify(r)).join('\n'));
  const policy = new MockBackend('mock-policy', { text: (r, seed) => (seed % 2 === 0 ? 'There is a circle.' : 'There is a circle. There is a star.') });
  const labeler = new MockBackend('mock-labeler', { yesNo: (q) => (q.question.includes('star') ? { yes: 0.1, no: 0.9 } : { yes: 0.9, no: 0.1 }) });
  const lines: string[] = [];
  const r = await runDataEngine(tinyConfig({ input: { source: join(dir, 'in.jsonl') }, sampling: { n: 2 }, pairs: { lengthBalance: false }, export: { formats: ['parquet', 'trl', 'llama-factory'] } }), {
    policy, labeler, outDir, keepPairs: true, progress: { write: (t: string) => { lines.push(t); return true; } },
  });
  assert.equal(r.summary.instructions, 2);
  assert.equal(r.summary.skippedInstructions, 1);
  assert.equal(r.summary.repeatedInstructions, 1, 'q4 asks what q1 asks about the same image');
  assert.ok(lines.some((l) => /skipped instruction q2 .*missing\.png/.test(l)), lines.join(''));
  assert.ok(lines.some((l) => /skipped instruction q4 .*in\.jsonl:4\): repeats the instruction at .*in\.jsonl:1/.test(l)), lines.join(''));
  // image_path is the image's path as the input gives it, as in the published dataset (not the pair id).
  const imported = [];
  for await (const p of readPreferencePairs(join(outDir, 'pairs.parquet'))) imported.push(p);
  assert.deepEqual(imported.map((p) => p.ok && [p.instruction.id, p.meta.imagePath]), [['q1.0-1', 'a.png'], ['q3.1-0', 'b.png']]);
  const official = readJsonl<{ metainfos: { image_path: string } }>(join(outDir, 'labeler.official.jsonl'));
  assert.deepEqual([...new Set(official.map((o) => o.metainfos.image_path))], ['a.png', 'b.png']);
  assert.ok(lines.some((l) => /^\[generate\] {2}2\/2/.test(l)), 'a progress line per stage');
  assert.ok(lines.some((l) => l.startsWith('data engine: 2 instructions')), 'the closing summary table');
  assert.equal(r.summary.claimAccuracy, null);
  assert.equal(r.summary.pairPrecision, null);
  assert.equal(r.summary.pairs, 2);
  assert.deepEqual(r.pairs.map((p) => p.chosen), ['There is a circle.', 'There is a circle.']);
  assert.ok(existsSync(join(outDir, 'llama-factory', 'rlaifv_dpo.jsonl')));
  assert.ok(existsSync(join(outDir, 'llama-factory', 'dataset_info.json')));
});

test('a run cut into overlapping chunks writes the same bytes as a run taken whole, and leaves no spill behind', async () => {
  const overrides = { input: { count: 5 }, export: { formats: ['parquet', 'trl', 'llama-factory'] } };
  const whole = await runDataEngine(tinyConfig(overrides), { ...models, outDir: join(root, 'whole'), keepPairs: true });
  const lines: string[] = [];
  // Two chunks in flight: the next chunk samples while the one before it is labelled.
  let labelling = 0;
  let sampledWhileLabelling = false;
  const labeler = Object.assign(Object.create(models.labeler) as EmbeddedModel, {
    yesNo: async (q: Parameters<EmbeddedModel['yesNo']>[0]) => {
      labelling++;
      try {
        return await models.labeler.yesNo(q);
      } finally {
        labelling--;
      }
    },
  });
  const policy = Object.assign(Object.create(models.policy) as EmbeddedModel, {
    generate: (...args: Parameters<EmbeddedModel['generate']>) => {
      if (labelling > 0) sampledWhileLabelling = true;
      return models.policy.generate(...args);
    },
  });
  const chunked = await runDataEngine(tinyConfig({ ...overrides, chunkSize: 2, chunksInFlight: 2 }), {
    policy, labeler, outDir: join(root, 'chunked'), keepPairs: true, progress: { write: (t: string) => { lines.push(t); return true; } },
  });
  assert.ok(sampledWhileLabelling, 'a chunk was sampled while the one before it was being labelled');
  assert.ok(whole.summary.pairs > 0, 'pairs form, so the pair spill and the run-wide filters are exercised');
  assert.deepEqual(chunkFreeSnapshot(join(root, 'chunked')), chunkFreeSnapshot(join(root, 'whole')));
  assert.deepEqual(chunked.pairs, whole.pairs);
  assert.equal(existsSync(join(root, 'chunked', '.spill')), false);
  // Chunks overlap, so one progress line covers the run instead of per-stage bars; the stage table merges the chunks.
  assert.ok(lines.some((l) => /^\[instructions\] {2}5\/5/.test(l)), lines.join(''));
  assert.ok(!lines.some((l) => l.startsWith('[generate]')), lines.join(''));
  assert.deepEqual(chunked.summary.run.stages.map((s) => [s.stage, s.items]), whole.summary.run.stages.map((s) => [s.stage, s.items]));
});

test('a chunk that fails stops the run with its error, after the chunks in flight settle, and leaves no spill', async () => {
  const outDir = join(root, 'chunk-fails');
  let calls = 0;
  const labeler = Object.assign(Object.create(models.labeler) as EmbeddedModel, {
    yesNo: async (q: Parameters<EmbeddedModel['yesNo']>[0]) => {
      if (++calls === 2) throw new Error('labeler server went away');
      return models.labeler.yesNo(q);
    },
  });
  await assert.rejects(
    runDataEngine(tinyConfig({ input: { count: 6 }, chunkSize: 2 }), { policy: models.policy, labeler, outDir }),
    /labeler server went away/,
  );
  assert.equal(existsSync(join(outDir, '.spill')), false);
  assert.equal(existsSync(join(outDir, 'candidates.jsonl')), false, 'no output of a failed run is put in place');
});

test("two claims asked as one question: by default the answer is unscored as officially ('duplicate-questions'), with 'keep' it is scored", async () => {
  // Candidate 0 of each instruction says the same thing twice; the rules turn both sentences into one question.
  const policy = new MockBackend('mock-policy', {
    text: (_r, seed) => (seed % 3 === 0 ? 'I can see a red circle. There is a red circle.' : seed % 3 === 1 ? 'There is a red circle.' : 'There is a blue star.'),
  });
  const labeler = new MockBackend('mock-labeler', { yesNo: (q) => (q.question.includes('star') ? { yes: 0.1, no: 0.9 } : { yes: 0.9, no: 0.1 }) });
  const run = async (name: string, over: object) => {
    const outDir = join(root, name);
    const r = await runDataEngine(tinyConfig({ input: { count: 2 }, sampling: { n: 3, seed: 0 }, pairs: { lengthBalance: false, maxPairsPerInstruction: 10 }, ...over }), { policy, labeler, outDir });
    return { r, candidates: readJsonl(join(outDir, 'candidates.jsonl')), decisions: readJsonl(join(outDir, 'decisions.jsonl')) };
  };
  const drop = await run('dup-drop', {});
  const twice = drop.candidates.filter((c) => c['text'] === 'I can see a red circle. There is a red circle.');
  assert.ok(twice.length >= 1, 'some candidate repeats its claim');
  for (const c of twice) assert.deepEqual([c['score'], c['unscored'], c['claims'], c['accepted']], [null, 'duplicate-questions', 2, 2]);
  assert.equal(drop.r.summary.unscored.duplicateQuestions, twice.length);
  assert.equal(drop.r.summary.scored, drop.candidates.length - twice.length);
  const ids = new Set(twice.map((c) => c['id']));
  assert.ok(drop.decisions.every((d) => !ids.has(d['a']) && !ids.has(d['b'])), 'an unscored answer is in no pair');

  const keep = await run('dup-keep', { pairs: { duplicateQuestions: 'keep', lengthBalance: false, maxPairsPerInstruction: 10 } });
  for (const c of keep.candidates.filter((x) => ids.has(x['id']))) assert.deepEqual([c['score'], c['unscored']], [0, null]);
  assert.equal(keep.r.summary.unscored.duplicateQuestions, 0);
  assert.ok(keep.decisions.length > drop.decisions.length);
});
