import { extname } from 'node:path';
import type { FileMetaData } from 'hyparquet';
import { InputError } from '../errors.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { rowToPrediction, unreadable } from './row-to-prediction.js';

/** Reads Parquet files with the reference-layout columns, one row group at a time. */
export const parquetReader: InputReader = {
  name: 'parquet',
  detect(path, head, isDirectory) {
    if (isDirectory) return false;
    return extname(path).toLowerCase() === '.parquet' || (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1');
  },
  read: readParquet,
};

async function* readParquet(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  // Loaded here, not at start: the decoders are a quarter of a megabyte that only a Parquet input needs.
  const [{ asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects }, { compressors }] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
  ]);
  const buffer = await asyncBufferFromFile(file).catch((error: unknown) => {
    throw unreadable(file, error);
  });
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new InputError({ file, problem: `not a readable Parquet file (${(error as Error).message})` });
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, compressors });
    } catch (error) {
      throw new InputError({
        file,
        line: rowStart + 1,
        problem: `cannot decode rows ${rowStart + 1}-${rowEnd} (${(error as Error).message})`,
      });
    }
    for (let i = 0; i < rows.length; i++) {
      // Line = 1-based row number in the file.
      yield rowToPrediction(plainRow(rows[i]), { file, line: rowStart + i + 1, datasetOverride: options.dataset });
    }
    rowStart = rowEnd;
  }
}

/** INT64 arrives as BigInt and timestamps as Date: turn them into what the reference layout expects. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    // Beyond 2^53 a number would silently change the value (an id, say): keep those as text.
    if (typeof value === 'bigint') out[key] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    else if (value instanceof Date) out[key] = value.toISOString();
    else out[key] = value;
  }
  return out;
}
