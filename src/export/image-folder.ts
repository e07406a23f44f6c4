/**
 * The `images/` folder beside a TRL or LLaMA-Factory dataset. Files are named by a hash of
 * their bytes, so the two pairs of one instruction share one file and a rerun rewrites nothing.
 * Each file is written atomically; rows reference them by path relative to the dataset folder.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { imageBytes, type PairRecord } from './pair-record.ts';

export class ImageFolder {
  private readonly known = new Set<string>();
  /** Files this writer created (not counting ones already there). */
  written = 0;

  /** `new ImageFolder('out/trl')` stores images in `out/trl/images/`. */
  constructor(readonly datasetDir: string, readonly folder = 'images') {}

  /** Store the pair's image; returns its path relative to the dataset folder (`images/ab12….png`). */
  async add(pair: PairRecord, position: number): Promise<string> {
    const { bytes, ext } = imageBytes(pair, position);
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.${ext}`;
    const relative = `${this.folder}/${name}`;
    if (this.known.has(name)) return relative;
    const full = join(this.datasetDir, this.folder, name);
    if (!(await isFile(full))) {
      await writeFileAtomic(full, bytes);
      this.written++;
    }
    this.known.add(name);
    return relative;
  }

  /** Distinct images referenced so far. */
  get count(): number {
    return this.known.size;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
