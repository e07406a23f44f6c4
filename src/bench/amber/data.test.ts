import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../util/temp-dir.ts';
import { gzipSync } from 'node:zlib';
import { FileError } from '../../util/errors.ts';
import {
  AMBER_DATA_DIR, readAmberData, readAnnotations, readMetricSeeds, readQueries, readRelation, readSafeWords, type AmberAnnotation,
} from './data.ts';
import { amberVocabulary } from './generative.ts';

const data = readAmberData();

test('the vendored data: 15,220 annotations and queries, 340 association keys, 418 words, 9 safe words', () => {
  assert.equal(data.annotations.length, 15220);
  assert.equal(data.annotations.filter((a) => a.type === 'generative').length, 1004);
  assert.deepEqual(data.annotations[0], {
    id: 1, type: 'generative', truth: ['sky', 'forest', 'grass', 'person', 'lake', 'mountain', 'road'], hallu: ['cloud', 'sun', 'bird', 'dog', 'flower'],
  });
  assert.deepEqual(data.annotations[1004], { id: 1005, type: 'discriminative-attribute-state', truth: 'yes' });
  assert.equal(data.relation.size, 340);
  assert.equal(amberVocabulary(data.relation).size, 418);
  assert.deepEqual(data.safeWords, ['orange', 'snack', 'line', 'camera', 'light', 'shoe', 'sign', 'range', 'individual']);
  assert.equal(data.seeds.chair_num, 0.001);
  assert.equal(data.seeds.chair_score, 0);
  assert.equal(data.queries.length, 15220);
  assert.deepEqual(data.queries[0], { id: 1, image: 'AMBER_1.jpg', query: 'Describe this image.', type: 'generative' });
  assert.deepEqual(data.queries[8632], { id: 8633, image: 'AMBER_1.jpg', query: 'Is there a cloud in this image?', type: 'discriminative-hallucination' });
  // query_discriminative.json's version of id 13193 (query_all.json asks about a computer).
  assert.equal(data.queries[13192]!.query, 'Is there a chair in this image?');
  assert.equal(readFileSync(join(AMBER_DATA_DIR, 'COMMIT'), 'utf8').trim(), '534babf6bbfcce2e735c26289dedfb21cef3c939');
});

function tmp(name: string, text: string | Buffer): string {
  const file = join(tempDir('amber-'), name);
  writeFileSync(file, text);
  return file;
}

const expectFileError = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (err: unknown) => err instanceof FileError && pattern.test(err.message));

test('annotations: unreadable, not gzip, not JSON, not a list', () => {
  expectFileError(() => readAnnotations('/nonexistent/annotations.json'), /annotations\.json: cannot read/);
  expectFileError(() => readAnnotations(tmp('a.json.gz', 'plain text')), /a\.json\.gz: not a valid gzip file/);
  expectFileError(() => readAnnotations(tmp('a.json', '[{')), /a\.json: not valid JSON/);
  expectFileError(() => readAnnotations(tmp('a.json', '{}')), /expected a JSON list of annotation records/);
});

test('annotations: reads gzip; bad records name the record and field', () => {
  const good = [{ id: 1, type: 'generative', truth: ['dog'], hallu: [] }, { id: 2, type: 'relation', truth: 'no' }];
  assert.deepEqual(readAnnotations(tmp('a.json.gz', gzipSync(JSON.stringify(good)))), good);
  const bad = (records: unknown[]) => () => readAnnotations(tmp('a.json', JSON.stringify(records)));
  expectFileError(bad([{ id: 2, type: 'relation', truth: 'no' }]), /record 1: id is 2, expected 1/);
  expectFileError(bad([{ id: 1, type: 'generative', truth: 'dog', hallu: [] }]), /record 1 \(id 1\): generative field truth must be a list of words/);
  expectFileError(bad([{ id: 1, type: 'generative', truth: [], hallu: [3] }]), /record 1 \(id 1\): generative field hallu/);
  expectFileError(bad([{ id: 1, type: 'discriminative-colour', truth: 'no' }]), /record 1 \(id 1\): type "discriminative-colour" is not one of/);
  expectFileError(bad([{ id: 1, type: 'relation', truth: 'Yes' }]), /record 1 \(id 1\): discriminative field truth must be "yes" or "no", got "Yes"/);
  expectFileError(bad(['x']), /record 1: expected an object/);
});

test('relation: an entry that is not a list of words', () => {
  expectFileError(() => readRelation(tmp('relation.json', '{"dog": "cat"}')), /relation\.json: entry "dog" must be a list of words/);
  expectFileError(() => readRelation(tmp('relation.json', '[]')), /expected a JSON object/);
});

test('a truth or hallu word without an association entry is reported against both files', () => {
  const dir = tempDir('amber-');
  for (const f of ['safe_words.txt', 'metrics.txt', 'query_generative.json.gz', 'query_discriminative.json.gz']) writeFileSync(join(dir, f), readFileSync(join(AMBER_DATA_DIR, f)));
  writeFileSync(join(dir, 'annotations.json.gz'), readFileSync(join(AMBER_DATA_DIR, 'annotations.json.gz')));
  const relation = JSON.parse(readFileSync(join(AMBER_DATA_DIR, 'relation.json'), 'utf8')) as Record<string, string[]>;
  delete relation.forest;
  writeFileSync(join(dir, 'relation.json'), JSON.stringify(relation));
  expectFileError(() => readAmberData(dir), /annotations\.json\.gz: record 1: truth word "forest" is not a key of .*relation\.json/);
});

test('safe words: one a line; a trailing newline adds no empty word', () => {
  assert.deepEqual(readSafeWords(tmp('s.txt', 'a\nb')), ['a', 'b']);
  assert.deepEqual(readSafeWords(tmp('s.txt', 'a\nb\n')), ['a', 'b']);
});

test('metrics seeds: a value that is not a number names the line; a missing counter is named', () => {
  const full = readFileSync(join(AMBER_DATA_DIR, 'metrics.txt'), 'utf8');
  expectFileError(() => readMetricSeeds(tmp('m.txt', full.replace('chair_num=0.001', 'chair_num=abc'))), /m\.txt:1: counter chair_num has value "abc", expected a number/);
  expectFileError(() => readMetricSeeds(tmp('m.txt', full.replace('ha_qa_ans_no_num=0.001', ''))), /no seed for counter\(s\) ha_qa_ans_no_num/);
  // Lines without exactly one `=` are skipped, as upstream does.
  assert.equal(readMetricSeeds(tmp('m.txt', `# comment\n${full}`)).qa_no_num, 0.001);
});

test('queries: unknown id, asked twice, missing id, bad record', () => {
  const annotations: AmberAnnotation[] = [{ id: 1, type: 'generative', truth: [], hallu: [] }, { id: 2, type: 'relation', truth: 'no' }];
  const q = (records: unknown) => tmp('q.json', JSON.stringify(records));
  const one = { id: 1, image: 'AMBER_1.jpg', query: 'Describe this image.' };
  const two = { id: 2, image: 'AMBER_1.jpg', query: 'Is there direct contact between the dog and cat?' };
  assert.deepEqual(readQueries([q([two]), q([one])], annotations).map((x) => [x.id, x.type]), [[1, 'generative'], [2, 'relation']]);
  expectFileError(() => readQueries([q([one, two, { ...one, id: 3 }])], annotations), /q\.json: record 3: id 3 has no annotation \(ids run 1-2\)/);
  expectFileError(() => readQueries([q([one, two, one])], annotations), /record 3: id 1 is asked twice/);
  expectFileError(() => readQueries([q([one])], annotations), /no query for annotation id 2/);
  expectFileError(() => readQueries([q([{ id: '1', image: 'x', query: 'y' }])], annotations), /record 1: expected \{"id": number/);
});
