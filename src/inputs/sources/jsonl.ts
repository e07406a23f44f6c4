/**
 * JSONL rows, streamed with readline: one line in memory at a time, so a file of any length
 * reads in flat memory. Blank lines are skipped; line numbers are 1-based like an editor's.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError, type RecordLocation } from '../location.ts';

export interface RawRow {
  value: unknown;
  location: RecordLocation;
}

/** `for await (const { value, location } of jsonlRows('in.jsonl')) ...` */
export async function* jsonlRows(file: string): AsyncGenerator<RawRow> {
  let n = 0;
  for await (const line of lines(file)) {
    n++;
    const text = n === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') continue;
    const location: RecordLocation = { file, unit: 'line', n };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InputError(`not valid JSON (${(err as Error).message}); each line must hold one JSON object: fix or remove the line`, location);
    }
    yield { value, location };
  }
}

/** Records (non-blank lines) in a JSONL file, streamed. */
export async function countJsonlRows(file: string): Promise<number> {
  let count = 0;
  for await (const line of lines(file)) if (line.trim() !== '') count++;
  return count;
}

async function* lines(file: string): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } catch (err) {
    throw openError(file, err);
  } finally {
    rl.close();
    stream.destroy();
  }
}

function openError(file: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`input file not found: ${file}; check the path`);
  if (code === 'EISDIR') return new InputError(`${file} is a folder; give a .jsonl, .json or .parquet file`);
  return err as Error;
}
