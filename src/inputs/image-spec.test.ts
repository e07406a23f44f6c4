import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { ImageSpecError, imageSpecToSource } from './image-spec.ts';
import { greyJpeg, solid } from './testing.ts';

const { png } = solid(1, 2, 3);
const b64 = Buffer.from(png).toString('base64');

test('strings: relative and absolute paths, file:// and http(s) URLs', () => {
  assert.deepEqual(imageSpecToSource('img/a.png', '/data'), { kind: 'file', path: '/data/img/a.png' });
  assert.deepEqual(imageSpecToSource('/abs/b.jpg', '/data'), { kind: 'file', path: '/abs/b.jpg' });
  assert.deepEqual(imageSpecToSource(pathToFileURL('/x/c d.png').href, '/data'), { kind: 'file', path: '/x/c d.png' });
  assert.deepEqual(imageSpecToSource('https://h/x.png', '/data'), { kind: 'http', url: 'https://h/x.png' });
});

test('base64 text and data URLs become inline bytes', () => {
  for (const spec of [b64, `data:image/png;base64,${b64}`, Buffer.from(greyJpeg()).toString('base64')]) {
    const s = imageSpecToSource(spec, '/d');
    assert.equal(s.kind, 'inline');
  }
  const s = imageSpecToSource(b64, '/d');
  assert.ok(s.kind === 'inline' && Buffer.from(s.bytes).equals(Buffer.from(png)));
});

test('Hugging Face {bytes, path} structs in every byte encoding', () => {
  const asBufferJson = JSON.parse(JSON.stringify(Buffer.from(png)));
  assert.equal(asBufferJson.type, 'Buffer');
  for (const bytes of [png, b64, asBufferJson, [...png]]) {
    const s = imageSpecToSource({ bytes, path: 'ignored.png' }, '/d');
    assert.ok(s.kind === 'inline' && Buffer.from(s.bytes).equals(Buffer.from(png)), `bytes as ${typeof bytes}`);
  }
  // No bytes: the path is used, relative to the base folder.
  assert.deepEqual(imageSpecToSource({ bytes: null, path: 'p/q.png' }, '/d'), { kind: 'file', path: '/d/p/q.png' });
});

test('unusable specs name the sub-field and the fix', () => {
  const fieldOf = (spec: unknown) => {
    try {
      imageSpecToSource(spec, '/d');
    } catch (err) {
      assert.ok(err instanceof ImageSpecError);
      return `${err.field}|${err.message}`;
    }
    return 'no error';
  };
  assert.match(fieldOf(''), /^\|is an empty string/);
  assert.match(fieldOf(42), /^\|must be a path, URL, base64 string or \{bytes, path\} struct, got number 42/);
  assert.match(fieldOf({ bytes: null, path: null }), /has neither bytes nor a path/);
  assert.match(fieldOf({ bytes: { type: 'Buffer', data: [1, 999] } }), /^bytes\|byte 1 is number 999/);
  assert.match(fieldOf('data:text/plain,hello'), /data URL but not/);
});

test('a relative path gets the other base folders as fallbacks, in order, without duplicates', () => {
  assert.deepEqual(imageSpecToSource('./img/a.png', ['/data', '/root', '/data', '/cwd']), { kind: 'file', path: '/data/img/a.png', fallbacks: ['/root/img/a.png', '/cwd/img/a.png'] });
  assert.deepEqual(imageSpecToSource('/abs/a.png', ['/data', '/cwd']), { kind: 'file', path: '/abs/a.png' });
  assert.deepEqual(imageSpecToSource({ bytes: null, path: 'q.png' }, ['/d', '/e']), { kind: 'file', path: '/d/q.png', fallbacks: ['/e/q.png'] });
  assert.deepEqual(imageSpecToSource('a.png', ['/only']), { kind: 'file', path: '/only/a.png' });
});
