import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solidPng } from '../../image/testing.ts';
import { FileError } from '../../util/errors.ts';
import { imageFileName, readMmhalImage, resolveMmhalImages } from './images.ts';
import { readMmhalTemplate } from './template.ts';

const items = readMmhalTemplate().slice(0, 3);

function tempDir(t: { after: (f: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlaifv-mmhal-img-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('imageFileName is the last segment of the image URL', () => {
  assert.equal(imageFileName(items[0]!), '7206072054_c53d53b97d_o.jpg');
  assert.equal(imageFileName({ imageSrc: 'https://x.org/a/b.jpg?size=large' }), 'b.jpg');
});

test('resolveMmhalImages: by URL file name in the folder, in images/, or by image id', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'images'));
  writeFileSync(join(dir, imageFileName(items[0]!)), '');
  writeFileSync(join(dir, 'images', imageFileName(items[1]!)), '');
  writeFileSync(join(dir, `${items[2]!.imageId}.png`), '');
  assert.deepEqual(resolveMmhalImages(items, dir), [
    join(dir, imageFileName(items[0]!)), join(dir, 'images', imageFileName(items[1]!)), join(dir, `${items[2]!.imageId}.png`),
  ]);
});

test('resolveMmhalImages: a missing image names the file, the question and where else it looked', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, imageFileName(items[0]!)), '');
  assert.throws(() => resolveMmhalImages(items, dir), (err: unknown) => err instanceof FileError && err.message ===
    `${join(dir, imageFileName(items[1]!))}: missing image of MMHal-Bench question 1 (image id ${items[1]!.imageId}); also looked for ${join('images', imageFileName(items[1]!))} and ${items[1]!.imageId}{.jpg,.jpeg,.png} in ${dir}; download the benchmark's images into that folder`);
});

test('resolveMmhalImages: a folder that does not exist', () => {
  assert.throws(() => resolveMmhalImages(items, '/nonexistent/mmhal'), /\/nonexistent\/mmhal: no such folder; download MMHal-Bench's images/);
});

test('readMmhalImage: an unreadable or non-image file names the path', async (t) => {
  const dir = tempDir(t);
  const bad = join(dir, 'x.jpg');
  writeFileSync(bad, 'not an image');
  await assert.rejects(readMmhalImage(bad), (err: unknown) => err instanceof Error && err.message.startsWith(`${bad}: not a`));
  await assert.rejects(readMmhalImage(join(dir, 'none.jpg')), /none\.jpg: cannot read the image \(ENOENT\)/);
});

test('readMmhalImage decodes a found image', async (t) => {
  const file = join(tempDir(t), 'a.png');
  writeFileSync(file, await solidPng(3, 2, [10, 20, 30]));
  const img = await readMmhalImage(file);
  assert.equal(img.width, 3);
  assert.equal(img.height, 2);
});
