/**
 * Parquet rows via hyparquet, one row group at a time, so memory is bounded by the largest
 * row group rather than the file. Row numbers are 0-based positions in the file.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { InputError } from '../location.ts';
import type { RawRow } from './jsonl.ts';

/** `for await (const { value, location } of parquetRows('train-0.parquet')) ...` */
export async function* parquetRows(file: string): AsyncGenerator<RawRow> {
  const { buffer, metadata } = await open(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      // utf8: false keeps unannotated BYTE_ARRAY columns (image.bytes) as bytes; annotated
      // string columns still come back as strings.
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, utf8: false });
    } catch (err) {
      throw new InputError(`${file}: cannot decode rows ${rowStart}-${rowEnd - 1} (${(err as Error).message}); if the codec is unsupported, rewrite the file with snappy or no compression`);
    }
    for (let i = 0; i < rows.length; i++) yield { value: rows[i], location: { file, unit: 'row', n: rowStart + i } };
    rowStart = rowEnd;
  }
}

/** Rows in the file, from the footer alone. */
export async function countParquetRows(file: string): Promise<number> {
  return Number((await open(file)).metadata.num_rows);
}

async function open(file: string): Promise<{ buffer: AsyncBuffer; metadata: FileMetaData }> {
  let buffer: AsyncBuffer;
  try {
    buffer = await asyncBufferFromFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`input file not found: ${file}; check the path`);
    throw err;
  }
  try {
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (err) {
    throw new InputError(`${file}: not a readable parquet file (${(err as Error).message})`);
  }
}
