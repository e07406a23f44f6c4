import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initEngine } from '../tensor/tf.ts';
import { writeTrlDataset } from '../export/trl.ts';
import { readTrlDataset } from './read-trl.ts';
import { matchReferenceFile, readReferenceFile, referenceLogProbs, writeReferenceFile } from './reference.ts';
import { craftedPairs, tinyPolicy } from './testing.ts';

before(async () => { await initEngine(); });

const meta = { generator: 'g', labeler: 'l' };

test('ref_logps.jsonl: written once per pair with its id, read back exactly, checked against the dataset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-ref-'));
  try {
    const pairs = craftedPairs(3).map((p, i) => ({ ...p, id: `ins-${i}.0-1` }));
    const ref = await referenceLogProbs(tinyPolicy(2), pairs, { batchSize: 4 });
    const file = join(dir, 'ref_logps.jsonl');
    writeReferenceFile(file, pairs, ref, 'llava-test');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(lines[0]), ['format', 'model', 'pairs', 'count']);
    assert.deepEqual([lines[0].model, lines[0].count], ['llava-test', 3]);
    assert.deepEqual(lines[1], { id: 'ins-0.0-1', ref_chosen_logps: ref[0]!.chosen, ref_rejected_logps: ref[0]!.rejected, chosen_tokens: ref[0]!.chosenTokens, rejected_tokens: ref[0]!.rejectedTokens });
    const back = readReferenceFile(file);
    assert.deepEqual(matchReferenceFile(back, pairs, 'd.jsonl'), ref, 'doubles survive JSON exactly');
    // A dataset without ids is matched by count and texts.
    assert.deepEqual(matchReferenceFile(back, pairs.map(({ id: _, ...p }) => p), 'd.jsonl'), ref);

    assert.throws(() => matchReferenceFile(back, pairs.slice(0, 2), 'd.jsonl'), /ref_logps\.jsonl: has reference log-probs for 3 pairs, the dataset d\.jsonl has 2/);
    assert.throws(() => matchReferenceFile(back, [pairs[1]!, pairs[0]!, pairs[2]!], 'd.jsonl'), /ref_logps\.jsonl:2: row 0 is for pair 'ins-0\.0-1', the dataset d\.jsonl has pair 'ins-1\.0-1' there/);
    const edited = pairs.map((p, i) => ({ ...p, chosen: i === 2 ? 'Another answer.' : p.chosen }));
    assert.throws(() => matchReferenceFile(back, edited, 'd.jsonl'), /ref_logps\.jsonl:1: was computed for other pairs than those of d\.jsonl/);

    const text = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [text[0], text[1], text[2]!.replace(/"ref_rejected_logps":[^,]+/, '"ref_rejected_logps":"x"'), text[3]].join('\n'));
    assert.throws(() => readReferenceFile(file), /ref_logps\.jsonl:3: field 'ref_rejected_logps' must be a finite number, got "x"/);
    writeFileSync(file, text.slice(0, 3).join('\n'));
    assert.throws(() => readReferenceFile(file), /has 2 rows, its header says 3/);
    assert.throws(() => readReferenceFile(join(dir, 'none.jsonl')), /none\.jsonl: cannot read the reference log-probs \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a TRL dataset's ref_*_logps columns read back with the pairs; rows with and without them do not mix", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-ref-trl-'));
  try {
    const pairs = craftedPairs(3);
    const records = pairs.map((p, i) => ({ id: `p${i}`, image: p.image, question: p.prompt, chosen: p.chosen, rejected: p.rejected, meta, reference: { chosen: -3.25 * (i + 1), rejected: -7.5 * (i + 1) } }));
    await writeTrlDataset(join(dir, 'with'), records);
    const withRef = await readTrlDataset(join(dir, 'with'));
    assert.deepEqual(withRef.reference, records.map((r) => r.reference));
    assert.deepEqual(withRef.pairs.map((p) => [p.prompt, p.chosen, p.rejected]), pairs.map((p) => [p.prompt, p.chosen, p.rejected]));
    await writeTrlDataset(join(dir, 'without'), records.map(({ reference: _, ...r }) => r));
    assert.equal((await readTrlDataset(join(dir, 'without'))).reference, undefined);

    const file = join(dir, 'with', 'train.jsonl');
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    delete rows[1].ref_chosen_logps;
    delete rows[1].ref_rejected_logps;
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await assert.rejects(readTrlDataset(file), /train\.jsonl:2: lacks the reference columns ref_chosen_logps\/ref_rejected_logps that the first row has/);
    rows[1] = { ...rows[0], id: 'named', ref_chosen_logps: null };
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await assert.rejects(readTrlDataset(file), /train\.jsonl:2: field 'ref_chosen_logps' must be a finite number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
