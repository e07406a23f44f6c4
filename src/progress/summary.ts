/**
 * The closing summary of a run: a plain-text table with aligned columns, readable in a terminal
 * and in CI logs alike (no box drawing, no colour).
 */
import { formatDuration, formatRate } from './format.ts';
import type { ProgressStats, ProgressStream } from './reporter.ts';

export type Cell = string | number | boolean | null | undefined;
/** Any object whose fields are cells: interfaces such as ProgressStats fit without an index signature. */
export type CellRow<T> = { readonly [K in keyof T]: Cell };

export interface Column {
  /** Field of the row objects. */
  key: string;
  /** Header text; default the key. */
  header?: string;
  /** Default: right when every filled cell is a number, left otherwise. */
  align?: 'left' | 'right';
  /** Digits after the point for non-integer numbers; default 3. */
  digits?: number;
  /** Custom text of a cell (e.g. `formatDuration`); wins over `digits`. */
  format?: (value: Cell) => string;
}

const GAP = '  ';

/**
 * Rows as an aligned table: a header, a dashed rule, one line per row; missing cells show '-'.
 *
 * ```ts
 * formatTable(['stage', { key: 'loss', digits: 2 }], [{ stage: 'dpo', loss: 0.6931 }])
 * // stage  loss
 * // -----  ----
 * // dpo    0.69
 * ```
 */
export function formatTable<Row extends CellRow<Row>>(columns: ReadonlyArray<string | Column>, rows: readonly Row[]): string {
  const cells = rows as ReadonlyArray<Readonly<Record<string, Cell>>>;
  const cols = columns.map((c) => (typeof c === 'string' ? { key: c } : c));
  const texts = cells.map((row) => cols.map((col) => cellText(row[col.key], col)));
  const headers = cols.map((col) => col.header ?? col.key);
  const widths = cols.map((_, j) => Math.max(headers[j]!.length, ...texts.map((r) => r[j]!.length)));
  const right = cols.map((col) => col.align === 'right'
    || (col.align === undefined && cells.some((r) => typeof r[col.key] === 'number')
      && cells.every((r) => r[col.key] === undefined || r[col.key] === null || typeof r[col.key] === 'number')));
  const line = (cells: string[]) => cells.map((text, j) => (right[j] ? text.padStart(widths[j]!) : text.padEnd(widths[j]!)))
    .join(GAP).trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...texts.map(line)].join('\n');
}

function cellText(value: Cell, col: Column): string {
  if (col.format) return col.format(value);
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') {
    return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : value.toFixed(col.digits ?? 3);
  }
  return String(value);
}

/**
 * A table collected row by row and printed at the end of a run.
 *
 * ```ts
 * const summary = new Summary('iteration 1', ['stage', 'items', 'cached', { key: 'time', format: (s) => formatDuration(Number(s)) }]);
 * summary.add({ stage: 'sample', items: 40, cached: 0, time: 12.5 });
 * summary.print(); // to stderr
 * ```
 */
export class Summary {
  private readonly rows: Array<Record<string, Cell>> = [];

  constructor(readonly title: string, private readonly columns: ReadonlyArray<string | Column>) {}

  add<Row extends CellRow<Row>>(row: Row): this {
    this.rows.push({ ...(row as Readonly<Record<string, Cell>>) });
    return this;
  }

  toString(): string {
    return `${this.title}\n${formatTable(this.columns, this.rows)}`;
  }

  print(stream: ProgressStream = process.stderr): void {
    stream.write(`${this}\n`);
  }
}

/** Columns for one row per stage. */
export const STAGE_COLUMNS: readonly Column[] = [
  { key: 'stage' },
  { key: 'done' },
  { key: 'cached' },
  { key: 'time', format: (v) => formatDuration(typeof v === 'number' ? v : Number.NaN) },
  { key: 'rate', align: 'right', format: (v) => (typeof v === 'number' ? formatRate(v) : '-') },
];

