import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError } from '../../util/errors.ts';
import { MMHAL_TEMPLATE_FILE, MMHAL_QUESTION_TYPES, readMmhalTemplate } from './template.ts';

test('the vendored template: 96 questions, 12 per type, 8 per topic, the file\'s types agree with i % 8', () => {
  const items = readMmhalTemplate();
  assert.equal(items.length, 96);
  assert.deepEqual(items.map((it) => it.index), [...Array(96).keys()]);
  // parseMmhalTemplate rejects any record whose question_type is not MMHAL_QUESTION_TYPES[i % 8],
  // so reading the file at all shows they agree; the raw field is compared here as well.
  const raw = JSON.parse(readFileSync(MMHAL_TEMPLATE_FILE, 'utf8')) as Array<{ question_type: string }>;
  raw.forEach((r, i) => assert.equal(r.question_type, MMHAL_QUESTION_TYPES[i % 8]));
  for (const t of MMHAL_QUESTION_TYPES) assert.equal(items.filter((it) => it.questionType === t).length, 12);
  const topics = new Map<string, number>();
  for (const it of items) topics.set(it.questionTopic, (topics.get(it.questionTopic) ?? 0) + 1);
  assert.equal(topics.size, 12);
  assert.ok([...topics.values()].every((n) => n === 8));
  assert.equal(new Set(items.map((it) => it.imageId)).size, 96);
  assert.deepEqual(items[0], {
    index: 0, questionType: 'attribute', questionTopic: 'outdoor', imageId: 'df62a56fdc1bb12b',
    imageSrc: 'https://c4.staticflickr.com/8/7211/7206072054_c53d53b97d_o.jpg', imageContent: ['Fire hydrant'],
    question: 'What color is the fire hydrant cap in the picture?', gtAnswer: 'The color of the fire hydrant cap in the image is yellow.',
  });
});

function withFile(t: { after: (f: () => void) => void }, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-mmhal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'template.json');
  writeFileSync(file, content);
  return file;
}

const official = () => JSON.parse(readFileSync(MMHAL_TEMPLATE_FILE, 'utf8')) as Array<Record<string, unknown>>;

function rejects(t: Parameters<typeof withFile>[0], records: unknown, message: RegExp) {
  const file = withFile(t, typeof records === 'string' ? records : JSON.stringify(records));
  assert.throws(() => readMmhalTemplate(file), (err: unknown) => err instanceof FileError && err.message.startsWith(file) && message.test(err.message));
}

test('bad template: a record without its question names the record and field', (t) => {
  const recs = official();
  delete recs[7]!.question;
  rejects(t, recs, /record 7: field 'question': /);
});

test('bad template: an empty image id, an unknown type, labels that are not a list, a missing answer', (t) => {
  let recs = official();
  recs[3]!.image_id = ' ';
  rejects(t, recs, /record 3: field 'image_id': must not be empty/);
  recs = official();
  recs[12]!.question_type = 'colour';
  rejects(t, recs, /record 12: field 'question_type': /);
  recs = official();
  recs[40]!.image_content = 'Dog';
  rejects(t, recs, /record 40: field 'image_content': /);
  recs = official();
  delete recs[95]!.gt_answer;
  rejects(t, recs, /record 95: field 'gt_answer': /);
  recs = official();
  (recs as unknown[])[2] = 'not a record';
  rejects(t, recs, /record 2: Invalid input: expected object/);
});

test('bad template: two records swapped is a type mismatch naming the record', (t) => {
  const recs = official();
  [recs[0], recs[1]] = [recs[1]!, recs[0]!];
  rejects(t, recs, /record 0: question_type 'adversarial' but position 0 \(i % 8 = 0\) is 'attribute'; the records must stay in the official order/);
});

test('bad template: wrong count, not an array, not JSON, missing file', (t) => {
  rejects(t, official().slice(0, 95), /MMHal-Bench has 96 records, the file has 95/);
  rejects(t, { records: [] }, /expected a JSON array of MMHal-Bench records, got object/);
  rejects(t, '[{"question_type": ', /not valid JSON/);
  assert.throws(() => readMmhalTemplate('/nonexistent/mmhal.json'), /\/nonexistent\/mmhal.json: cannot read the MMHal-Bench template \(ENOENT\)/);
});
