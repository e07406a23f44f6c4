import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanAnswer, cocoVal2014FileName, readObjhalQuestions } from './questions.ts';

function tmp(t: { after: (f: () => void) => void }): (body: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-objq-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return (body) => {
    const f = join(dir, 'q.jsonl');
    writeFileSync(f, body);
    return f;
  };
}

test('question file: image id (integer or digits), question, base64 image, org_idx, line', async (t) => {
  const f = tmp(t)([
    JSON.stringify({ image_id: 42, question: 'Describe.', image: '/9j/4AAQ', org_idx: 3 }),
    '',
    JSON.stringify({ image_id: '7', question: 'What is this photo about?' }),
  ].join('\n'));
  assert.deepEqual(await readObjhalQuestions(f), [
    { imageId: 42, question: 'Describe.', imageBase64: '/9j/4AAQ', orgIdx: 3, line: 1 },
    { imageId: 7, question: 'What is this photo about?', line: 3 },
  ]);
  assert.equal(cocoVal2014FileName(42), 'COCO_val2014_000000000042.jpg');
});

test('bad question files name the file and line', async (t) => {
  const w = tmp(t);
  const cases: Array<[string, RegExp]> = [
    ['{"image_id": 1, "question": "q"}\n{"image_id": 1.5, "question": "q"}', /q\.jsonl:2: image_id is 1\.5, expected a COCO image id/],
    ['{"question": "q"}', /q\.jsonl:1: image_id is undefined, expected/],
    ['{"image_id": 1, "question": "  "}', /q\.jsonl:1: question is "  ", expected the instruction text/],
    ['{"image_id": 1, "question": "q", "image": 5}', /q\.jsonl:1: image is not a base64 string/],
    ['{"image_id": 1, "question": "q", "org_idx": "a"}', /q\.jsonl:1: org_idx is "a", expected an integer/],
    ['[1]', /q\.jsonl:1: not a JSON object/],
    ['{"image_id": 1,', /q\.jsonl:1: not valid JSON .*obj_halbench_300_with_image\.jsonl/],
    ['\n\n', /q\.jsonl: no questions/],
  ];
  for (const [body, want] of cases) await assert.rejects(readObjhalQuestions(w(body)), (e: Error) => e.name === 'FileError' && want.test(e.message), want.source);
  await assert.rejects(readObjhalQuestions(join(tmpdir(), 'no-such-rlaifv.jsonl')), { name: 'FileError', message: /cannot read/ });
});

test('answers: every "Assistant:" removed, then trimmed', () => {
  assert.equal(cleanAnswer(' Assistant: A dog. Assistant: '), 'A dog.');
});
