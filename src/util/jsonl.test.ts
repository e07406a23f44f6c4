import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl, streamJsonl } from './jsonl.ts';

test('JSONL: values with their line numbers, blank lines skipped, both ways of reading agree', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-jsonl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.jsonl');
  writeFileSync(file, '{"a":1}\n\n  \r\n[2]\n"x"');
  const want = [{ value: { a: 1 }, line: 1 }, { value: [2], line: 4 }, { value: 'x', line: 5 }];
  assert.deepEqual(readJsonl(file), want);
  const streamed = [];
  for await (const r of streamJsonl(file)) streamed.push(r);
  assert.deepEqual(streamed, want);
});

test('JSONL: a line that is not JSON names the file and line, and the fix when given', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-jsonl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'b.jsonl');
  writeFileSync(file, '{"a":1}\n{"a":\n');
  assert.throws(() => readJsonl(file, 'delete it'), (e: Error) => e.message.startsWith(`${file}:2: not valid JSON (`) && e.message.endsWith('; delete it'));
  await assert.rejects(async () => { for await (const _ of streamJsonl(file)) { /* read to the end */ } }, (e: Error) => e.message.startsWith(`${file}:2: not valid JSON (`) && !e.message.includes(';'));
});
