import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNONYMS_FILE, parseSynonyms, readSynonyms } from './vocabulary.ts';

test('vendored synonym list: 80 classes, 407 distinct entries, first word canonical', () => {
  const v = readSynonyms();
  assert.equal(v.classes.length, 80);
  assert.equal(v.words.size, 407); // 416 entries on 80 lines, 9 of them repeats (guy, child, gentleman, ...)
  assert.equal(v.classes[0], 'person');
  assert.equal(v.classOf.get('puppy'), 'dog');
  assert.equal(v.classOf.get('televison'), 'tv'); // upstream's misspelling, kept
  assert.equal(v.classOf.get('iPhone'), 'cell phone'); // case-sensitive: 'iphone' is no entry
  assert.equal(v.classOf.get('iphone'), undefined);
});

test('double words: multi-word entries, the official extras, and overrides', () => {
  const v = readSynonyms(DEFAULT_SYNONYMS_FILE);
  // 28 multi-word entries + home plate, train track + 12 animals x (baby, adult) + 2 passenger + toilet seat + wine glas
  // (bow tie is an entry already): 28 + 2 + 24 + 2 + 2 = 58
  assert.equal(v.doubleWords.size, 58);
  assert.equal(v.doubleWords.get('dining table'), 'dining table');
  assert.equal(v.doubleWords.get('bow tie'), 'tie'); // entry of the tie line, then overridden
  assert.equal(v.doubleWords.get('toilet seat'), 'toilet');
  assert.equal(v.doubleWords.get('baby elephant'), 'elephant');
  assert.equal(v.doubleWords.get('adult cub'), 'cub'); // cub is no entry: maps to a word that then matches nothing
  assert.equal(v.doubleWords.get('passenger jet'), 'jet');
  assert.equal(v.doubleWords.get('wine glas'), 'wine glass');
  assert.equal(v.doubleWords.get('stove top oven'), 'stove top oven'); // present, but only pairs are ever looked up
});

test('parseSynonyms: entries trimmed, a word on two lines keeps the later class', () => {
  const v = parseSynonyms('dog,  puppy , hound\ncat, hound\n', 'f.txt');
  assert.deepEqual(v.classes, ['dog', 'cat']);
  assert.equal(v.classOf.get('puppy'), 'dog');
  assert.equal(v.classOf.get('hound'), 'cat');
  assert.equal(v.words.size, 4);
});

test('bad synonym lists name the file and line', (t) => {
  assert.throws(() => parseSynonyms('dog, puppy\ncat, , kitten\n', 'syn.txt'), { name: 'FileError', message: /^syn\.txt:2: entry 2 is empty;/ });
  assert.throws(() => parseSynonyms('dog, puppy\n\ncat\n', 'syn.txt'), { message: /^syn\.txt:2: entry 1 is empty;/ });
  assert.throws(() => parseSynonyms('dog,puppy\n', 'syn.txt'), { message: /^syn\.txt:1: entry 1 is "dog,puppy" \(entries are separated by ", "\)/ });
  assert.throws(() => parseSynonyms('', 'syn.txt'), { message: /^syn\.txt: empty synonym list;/ });
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-syn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => readSynonyms(join(dir, 'missing.txt')), { name: 'FileError', message: /missing\.txt: cannot read the synonym list/ });
  writeFileSync(join(dir, 'crlf.txt'), 'dog, puppy\r\ncat\r\n');
  assert.equal(readSynonyms(join(dir, 'crlf.txt')).classOf.get('puppy'), 'dog');
});
