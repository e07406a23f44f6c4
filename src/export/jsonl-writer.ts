/**
 * An append-only JSONL writer for intermediate records (candidates, claims, verdicts) that
 * survives being killed and can pick up where it stopped.
 *
 * Records go to `<path>.partial`, one `write` per line; `close()` renames it to `<path>`, so
 * `<path>` only ever holds a finished file. A kill can cut at most the last line short; opening
 * with `resume: true` drops that fragment and appends after the complete lines (and reopens a
 * finished `<path>` for appending). Without `resume`, writing starts over and the old `<path>`
 * stays untouched until the new one replaces it at `close()`.
 *
 * ```ts
 * const w = await JsonlWriter.open<Candidate>('run/candidates.jsonl', { resume: true });
 * const done = new Set<string>();
 * for await (const c of w.existing()) done.add(c.id);
 * for (const c of todo) if (!done.has(c.id)) await w.write(c);
 * await w.close();
 * ```
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { streamJsonl } from '../util/jsonl.ts';

export interface JsonlWriterOptions {
  /** Keep the records of an earlier run (in `<path>.partial` or `<path>`) and append after them. */
  resume?: boolean;
}

export class JsonlWriter<T = unknown> {
  /** Complete records kept from an earlier run (0 unless resuming). */
  readonly resumed: number;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private written = 0;

  private constructor(readonly path: string, readonly partialPath: string, private readonly fh: FileHandle, resumed: number) {
    this.resumed = resumed;
  }

  /** Open for writing; see the module comment for what `resume` keeps. */
  static async open<T = unknown>(path: string, options: JsonlWriterOptions = {}): Promise<JsonlWriter<T>> {
    const partialPath = `${path}.partial`;
    await mkdir(dirname(path), { recursive: true });
    let resumed = 0;
    if (options.resume) {
      if (!(await exists(partialPath)) && (await exists(path))) await rename(path, partialPath);
      if (await exists(partialPath)) {
        await dropUnfinishedLine(partialPath);
        resumed = await countLines(partialPath);
      }
    }
    const fh = await open(partialPath, options.resume ? 'a' : 'w');
    return new JsonlWriter<T>(path, partialPath, fh, resumed);
  }

  /** Records written so far, resumed ones included. */
  get count(): number {
    return this.resumed + this.written;
  }

  /** The complete records already in the file (read them before writing new ones). */
  async *existing(): AsyncGenerator<T> {
    if (!(await exists(this.partialPath))) return;
    for await (const { value } of streamJsonl<T>(this.partialPath, 'the file was edited or corrupted: fix or remove the line, or start without resume')) yield value;
  }

  /** Append one record as one line. Calls may overlap; lines keep call order. */
  write(record: T): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`JsonlWriter(${this.path}) is closed; open a new writer to write more`));
    const line = JSON.stringify(record);
    if (line === undefined) return Promise.reject(new Error(`JsonlWriter(${this.path}): record ${this.count + 1} is not JSON-serialisable (${typeof record})`));
    const text = `${line}\n`;
    this.written++;
    this.chain = this.chain.then(async () => {
      await this.fh.write(text);
    });
    return this.chain;
  }

  /**
   * Append many records, several lines to a write (up to about 1 MiB each): the same bytes as
   * `write` per record, a fraction of the system calls. A kill can still cut only the last line
   * short. A record JSON cannot hold rejects, after the lines before it are written.
   */
  async writeMany(records: Iterable<T> | AsyncIterable<T>): Promise<void> {
    let chunk: string[] = [];
    let size = 0;
    const flush = () => {
      if (chunk.length === 0) return this.chain;
      const text = chunk.join('');
      chunk = [];
      size = 0;
      this.chain = this.chain.then(async () => {
        await this.fh.write(text);
      });
      return this.chain;
    };
    for await (const record of records) {
      if (this.closed) throw new Error(`JsonlWriter(${this.path}) is closed; open a new writer to write more`);
      const line = JSON.stringify(record);
      if (line === undefined) {
        await flush();
        throw new Error(`JsonlWriter(${this.path}): record ${this.count + 1} is not JSON-serialisable (${typeof record})`);
      }
      chunk.push(`${line}\n`);
      this.written++;
      size += line.length + 1;
      if (size >= 1 << 20) await flush();
    }
    await flush();
  }

  /** Flush, sync and move `<path>.partial` to `<path>`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.chain;
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
    await rename(this.partialPath, this.path);
  }

  /** Stop without finishing: `<path>.partial` stays for a later `resume`. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain.catch(() => {});
    await this.fh.close();
  }

  /** Stop and delete `<path>.partial` (for one-shot exports that failed half-way). */
  async discard(): Promise<void> {
    await this.abort();
    await rm(this.partialPath, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Cut the file after its last newline: a kill mid-write leaves at most one unfinished line. */
async function dropUnfinishedLine(path: string): Promise<void> {
  const fh = await open(path, 'r');
  let keep = 0;
  try {
    const { size } = await fh.stat();
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; end -= chunk.length) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) {
        keep = start + at + 1;
        break;
      }
    }
    if (keep === size) return;
  } finally {
    await fh.close();
  }
  await truncate(path, keep);
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') n++;
  return n;
}
