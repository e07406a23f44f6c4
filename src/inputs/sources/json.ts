/**
 * A JSON file holding one array of records. JSON arrays cannot be read a record at a time
 * without a streaming parser, so the file is read whole: use JSONL for large inputs.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../location.ts';
import type { RawRow } from './jsonl.ts';

/** `for await (const { value, location } of jsonRows('in.json')) ...`; location is the array index. */
export async function* jsonRows(file: string): AsyncGenerator<RawRow> {
  const records = await readArray(file);
  for (let i = 0; i < records.length; i++) yield { value: records[i], location: { file, unit: 'index', n: i } };
}

export async function countJsonRows(file: string): Promise<number> {
  return (await readArray(file)).length;
}

async function readArray(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`input file not found: ${file}; check the path`);
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message}); fix the file, or use JSONL (one record per line) to get line numbers in errors`);
  }
  if (!Array.isArray(value)) {
    throw new InputError(`${file}: expected a JSON array of records at the top level, got ${value === null ? 'null' : typeof value}; wrap the records in [...] or use JSONL`);
  }
  return value;
}
