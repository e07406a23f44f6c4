/**
 * Atomic file writes: write a temp file beside the target, then rename it over the target.
 * A rename within one folder is atomic, so a kill leaves either the old file or the new one,
 * never half of one (a stray `*.tmp-*` file at worst).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the target's folder: `out/data.parquet.tmp-1234-9f8e7d6c`. */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** `await writeFileAtomic('out/dataset_info.json', text)`; creates the folder if needed. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Run `write(tmpPath)` then move the result into place; on failure the temp file is removed
 * and the target left as it was. `await withAtomicTarget('a.parquet', (tmp) => writeTo(tmp))`.
 */
export async function withAtomicTarget<T>(target: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    const result = await write(tmp);
    const fh = await open(tmp, 'r+');
    try { await fh.sync(); } finally { await fh.close(); }
    await rename(tmp, target);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
