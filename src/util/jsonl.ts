/**
 * Reading JSONL files: one JSON value per line, blank lines skipped, every value with its 1-based
 * line number so that an error can name `file:line`. A line that is not JSON is an error naming the
 * file and line; `fix` says what the user should do about it.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FileError } from './errors.ts';

export interface JsonlRecord<T> {
  value: T;
  /** 1-based line number in the file. */
  line: number;
}

/** `${file}:${line}: not valid JSON (...); ${fix}`: thrown for a line that does not parse. */
function parseLine<T>(text: string, file: string, line: number, fix: string | undefined): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new FileError(`${file}:${line}: not valid JSON (${(err as Error).message})${fix ? `; ${fix}` : ''}`);
  }
}

/**
 * The records of a JSONL file, streamed (memory stays flat however long the file).
 * `for await (const { value, line } of streamJsonl<Row>('pairs.jsonl')) ...`
 */
export async function* streamJsonl<T = unknown>(file: string, fix?: string): AsyncGenerator<JsonlRecord<T>> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() !== '') yield { value: parseLine<T>(text, file, n, fix), line: n };
  }
}

/** The records of a small JSONL file, read at once: `readJsonl<Row>('verdicts.jsonl').map((r) => r.value)`. */
export function readJsonl<T = unknown>(file: string, fix?: string): Array<JsonlRecord<T>> {
  const out: Array<JsonlRecord<T>> = [];
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (text.trim() !== '') out.push({ value: parseLine<T>(text, file, i + 1, fix), line: i + 1 });
  });
  return out;
}
