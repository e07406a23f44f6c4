/**
 * Where a record came from, so every message can point at it: a JSONL line (1-based, as editors
 * count), a JSON array index or a parquet row (both 0-based, as the file formats count).
 */
import { RlaifvError } from '../util/errors.ts';

export interface RecordLocation {
  file: string;
  unit: 'line' | 'index' | 'row';
  n: number;
}

/** `data.jsonl:12`, `data.json[3]`, `data.parquet row 17`. */
function describeLocation(loc: RecordLocation): string {
  if (loc.unit === 'line') return `${loc.file}:${loc.n}`;
  if (loc.unit === 'index') return `${loc.file}[${loc.n}]`;
  return `${loc.file} row ${loc.n}`;
}

/** A record that could not be read and why (`strict: false` yields these instead of throwing). */
export interface FailedRecord {
  ok: false;
  /** The record's id when it was readable. */
  id?: string;
  location: RecordLocation;
  reason: string;
}

/**
 * The input is unusable as given: malformed JSON, a record that fails validation, a file that
 * cannot be opened. The message names the place (file:line), the field, and what to do.
 */
export class InputError extends RlaifvError {
  readonly location: RecordLocation | undefined;
  readonly field: string | undefined;

  constructor(message: string, location?: RecordLocation, field?: string) {
    super(location ? `${describeLocation(location)}: ${message}` : message);
    this.name = 'InputError';
    this.location = location;
    this.field = field;
  }
}
