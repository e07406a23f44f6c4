/**
 * People's feedback in DIR/feedback.sqlite trains the next round: rerunning `generate` on the folder
 * scores with the people's majority verdicts (a tie keeps the labeler's), turns a correction into
 * pairs and the people's judgements of kept pairs into kept, reversed and dropped pairs, marks every
 * exported pair with its origin in every format, and the embedded DPO trainer trains on the result.
 * Everything comes from the run store: no model is called again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { fixtureModels } from '../src/audit/fixture.ts';
import { readTrlDataset } from '../src/dpo/read-trl.ts';
import { referenceLogProbs } from '../src/dpo/reference.ts';
import { dpoStep } from '../src/dpo/step.ts';
import { tinyPolicy } from '../src/dpo/testing.ts';
import { changedSpans } from '../src/feedback/spans.ts';
import { FeedbackStore } from '../src/feedback/store.ts';
import { AdamW } from '../src/model/index.ts';
import { parseDataEngineConfig } from '../src/pipeline/config.ts';
import { runDataEngine } from '../src/pipeline/run.ts';
import { CountingBackend } from '../src/pipeline/testing.ts';
import { initEngine } from '../src/tensor/tf.ts';
import { tempDir } from '../src/util/temp-dir.ts';

type Line = Record<string, any>;
const lines = (dir: string, file: string): Line[] => readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const text = (turns: Array<{ content: Array<{ text: string }> }>) => turns[0]!.content[0]!.text;

// Length balancing off: the ratio is chosen over the whole run, so a verdict changed on one
// instruction could otherwise drop or keep another instruction's judged pairs.
const config = () => parseDataEngineConfig({
  input: { count: 3 }, sampling: { n: 4, seed: 11 }, batchSize: 4, pairs: { lengthBalance: false },
  export: { formats: ['parquet', 'trl', 'llama-factory'] },
}, 'feedback training test');

test('a rerun of generate trains on the people\'s majority verdicts, corrections and pair judgements, in every format', async () => {
  const dir = tempDir('rlaifv-fb-train-');
  await runDataEngine(config(), { ...fixtureModels(), outDir: dir });
  const before = { verdicts: lines(dir, 'verdicts.jsonl'), candidates: lines(dir, 'candidates.jsonl'), decisions: lines(dir, 'decisions.jsonl') };
  const kept = before.decisions.filter((d) => d.outcome === 'kept');
  const instructions = [...new Set(before.candidates.map((c) => c.instructionId as string))];

  // Verdicts on one instruction's accepted questions; pair judgements on the others' kept pairs.
  const verdictOn = instructions.find((id) => new Set(before.verdicts.filter((v) => v.instructionId === id && v.accepted).map((v) => v.question)).size >= 3)!;
  assert.ok(verdictOn, 'an instruction with three accepted questions');
  const [tied, agreed, broken] = [...new Set(before.verdicts.filter((v) => v.instructionId === verdictOn && v.accepted).map((v) => v.question as string))];
  const judged = kept.filter((d) => d.instructionId !== verdictOn);
  assert.ok(judged.length >= 4, `four kept pairs to judge, got ${judged.length}`);
  const [agreePair, disagreePair, tiePair, tiedVotesPair] = judged as [Line, Line, Line, Line];
  const corrected = before.candidates.find((c) => c.instructionId === verdictOn)!;

  const store = FeedbackStore.open(dir);
  const [ann, bob, cid] = ['Ann', 'Bob', 'Cid'].map((name) => store.invite(name, 'annotator').person.id) as [string, string, string];
  const verdict = (who: string, question: string, answer: 'yes' | 'no') => store.record(who, { kind: 'verdict', instructionId: verdictOn, question, answer });
  verdict(ann, tied!, 'no'); verdict(bob, tied!, 'yes'); // two people disagree: the labeler's yes stands
  verdict(ann, agreed!, 'no'); verdict(bob, agreed!, 'no'); // two people agree: no
  verdict(ann, broken!, 'no'); verdict(bob, broken!, 'yes'); verdict(cid, broken!, 'no'); // a third breaks the tie: no
  const fix = (who: string, to: string) => store.record(who, { kind: 'correction', instructionId: verdictOn, candidateId: corrected.id, original: corrected.text, text: to });
  const fixed = [`${corrected.text} Nothing else.`, 'There is nothing at all.'];
  fix(ann, fixed[0]!); fix(cid, fixed[0]!); fix(bob, fixed[1]!);
  const judge = (who: string, d: Line, judgement: 'agree' | 'disagree' | 'tie') => store.record(who, { kind: 'pair', instructionId: d.instructionId, chosen: d.chosen, rejected: d.rejected, judgement });
  judge(ann, agreePair, 'agree'); judge(bob, agreePair, 'agree');
  judge(ann, disagreePair, 'disagree'); judge(bob, disagreePair, 'disagree'); judge(cid, disagreePair, 'agree');
  judge(ann, tiePair, 'tie'); judge(bob, tiePair, 'tie');
  judge(ann, tiedVotesPair, 'agree'); judge(bob, tiedVotesPair, 'disagree'); // no majority: stays the AI's
  store.close();

  const models = fixtureModels();
  const policy = new CountingBackend(models.policy);
  const labeler = new CountingBackend(models.labeler);
  const { summary } = await runDataEngine(config(), { policy, labeler, outDir: dir });
  assert.equal(policy.counts.calls + labeler.counts.calls, 0, 'everything came from the run store');
  assert.deepEqual(summary.run.stages.filter((s) => s.stage === 'generate' || s.stage === 'label').map((s) => s.items - s.cached), [0, 0], 'the model stages answered from the store');
  assert.ok(summary.run.stages.every((s) => s.calls === 0), 'no stage called a model (divide and convert are rules here)');

  // Majority verdicts applied, the tie left to the labeler; only the claims people overturned changed.
  const overturned = (v: Line) => v.instructionId === verdictOn && (v.question === agreed || v.question === broken);
  const after = lines(dir, 'verdicts.jsonl');
  assert.equal(after.length, before.verdicts.length);
  after.forEach((v, i) => {
    const was = before.verdicts[i]!;
    if (overturned(v)) assert.deepEqual(v, { ...was, accepted: false, human: 'no' });
    else assert.deepEqual(v, was, `${v.candidateId} #${v.claimIndex} unchanged (the tied question too)`);
  });
  assert.equal(summary.humanVerdicts, before.verdicts.filter(overturned).length);
  assert.equal(summary.people.source, 'feedback.sqlite');
  assert.equal(summary.people.verdicts, 2);

  // Scores recomputed: each candidate loses one point per overturned claim, nothing else changes.
  const candidates = lines(dir, 'candidates.jsonl');
  candidates.forEach((c, i) => {
    const was = before.candidates[i]!;
    const lost = before.verdicts.filter((v) => v.candidateId === c.id && overturned(v)).length;
    assert.deepEqual(c, { ...was, score: was.score === null ? null : was.score - lost, accepted: was.accepted === null ? null : was.accepted - lost }, c.id);
  });

  // Pair judgements: agree kept, disagree reversed, tie dropped, a tie between judgements left to the AI.
  const decisions = lines(dir, 'decisions.jsonl');
  const decision = (d: Line) => decisions.find((x) => x.a === d.a && x.b === d.b && x.instructionId === d.instructionId)!;
  assert.equal(decision(agreePair).origin, 'ai+human-agree');
  assert.deepEqual(decision(disagreePair).people, { judgement: 'disagree', votes: 3, agreeing: 2, who: [ann, bob].sort() });
  assert.equal(decision(disagreePair).origin, 'human-judgement');
  assert.equal(decision(tiePair).outcome, 'human-tie');
  assert.equal(decision(tiedVotesPair).origin, 'ai');
  assert.equal(summary.people.tiesDropped, 1);
  assert.equal(summary.people.pairJudgements, 3);
  assert.equal(summary.people.pairJudgementsUnmatched, 0);

  // Every format: the same pairs with their origins.
  const textOf = new Map(candidates.map((c) => [c.id as string, c.text as string]));
  const aiKept = decisions.filter((d) => d.outcome === 'kept');
  const expected = new Map<string, string>(); // `${chosen}\u0000${rejected}` -> origin
  for (const d of aiKept) {
    const [c, r] = d.origin === 'human-judgement' ? [d.rejected, d.chosen] : [d.chosen, d.rejected];
    expected.set(`${textOf.get(c)}\u0000${textOf.get(r)}`, d.origin);
  }
  for (const t of fixed) expected.set(`${t}\u0000${corrected.text}`, 'human-correction');
  assert.deepEqual(summary.pairOrigins, {
    ai: aiKept.filter((d) => d.origin === 'ai').length, 'ai+human-agree': 1, 'human-judgement': 1, 'human-correction': 2,
  });
  assert.equal(summary.pairs, expected.size);
  assert.equal(summary.pairFilters.afterPeople, summary.pairFilters.afterLengthBalance - 1);

  const trl = lines(dir, 'pairs.trl.jsonl');
  assert.deepEqual(new Map(trl.map((r) => [`${text(r.chosen)}\u0000${text(r.rejected)}`, r.origin])), expected, 'TRL');
  const lf = lines(dir, 'llama-factory/rlaifv_dpo.jsonl');
  assert.deepEqual(new Map(lf.map((r) => [`${r.chosen.content}\u0000${r.rejected.content}`, r.origin])), expected, 'LLaMA-Factory');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const rows = (await con.runAndReadAll(`SELECT idx, chosen, rejected, origin, origin_split FROM read_parquet('${join(dir, 'pairs.parquet')}')`)).getRowObjectsJson();
    assert.deepEqual(new Map(rows.map((r) => [`${r['chosen']}\u0000${r['rejected']}`, r['origin']])), expected, 'parquet');
    const fixRows = rows.filter((r) => r['origin'] === 'human-correction').map((r) => ({ idx: r['idx'], split: JSON.parse(String(r['origin_split'])) }));
    assert.deepEqual(fixRows.map((r) => [r.idx, r.split.origin, r.split.people.who]), [
      [`${verdictOn}.${corrected.index}c1-${corrected.index}`, 'human-correction', [ann, cid]],
      [`${verdictOn}.${corrected.index}c2-${corrected.index}`, 'human-correction', [bob]],
    ]);
    assert.deepEqual(fixRows[0]!.split.people.spans, changedSpans(corrected.text, fixed[0]!), 'the correction\'s changed spans are kept');
    assert.ok(fixRows[0]!.split.people.spans.length > 0);
  } finally {
    con.closeSync();
  }

  // The embedded trainer reads the exported pairs (corrected texts included) and takes a DPO step on them.
  await initEngine();
  const dataset = await readTrlDataset(join(dir, 'pairs.trl.jsonl'));
  assert.ok(dataset.pairs.some((p) => p.chosen === fixed[1]), 'a corrected text is a chosen answer');
  const trainee = tinyPolicy(3);
  const refs = await referenceLogProbs(trainee, dataset.pairs, { batchSize: 16 });
  const step = dpoStep(trainee, new AdamW(trainee.net.params), 1e-3, dataset.pairs, refs, { beta: 0.1, sftWeight: 0, logProbs: 'sum' });
  assert.ok(Number.isFinite(step.loss) && Math.abs(step.loss - Math.LN2) < 1e-4, `policy = reference gives loss ln 2, got ${step.loss}`);
  assert.ok(step.gradNorm > 0, 'the step has a gradient');
});
