/**
 * Writing a stream of records (rows iterated from SQLite) to an output stream in constant
 * memory: records are rendered one at a time into a buffer that is written whenever it fills,
 * waiting for 'drain' when the stream's buffer is full (backpressure). JSON is a streamed
 * array, one record per line.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvHeader, csvRow, type StreamFormat } from './output-format.ts';

/**
 * Bytes gathered before one write: large enough that a 100,000-row export makes a few thousand
 * write calls rather than 100,000, small enough to stay far below any memory budget.
 */
const WRITE_CHUNK_CHARS = 256 * 1024;

export interface WriteRecordsOptions {
  /** Columns for csv (and the order of fields everywhere). */
  fields: readonly string[];
  /** Called after every record with the number written so far (progress). */
  onRecord?: (written: number) => void;
}

/** The output went away (a closed pipe: `ingest export | head`): stop quietly, it is not a failure. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

export async function writeRecords(
  records: Iterable<Record<string, unknown>>,
  format: StreamFormat,
  out: Writable,
  options: WriteRecordsOptions,
): Promise<number> {
  let failure: Error | null = null;
  const onError = (error: Error) => {
    failure = (error as NodeJS.ErrnoException).code === 'EPIPE' ? new OutputClosedError('output closed') : error;
  };
  out.on('error', onError);
  let buffer = '';
  const flush = async () => {
    if (failure) throw failure;
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'error')]);
    if (failure) throw failure;
  };
  let written = 0;
  try {
    if (format === 'csv') buffer += csvHeader(options.fields);
    if (format === 'json') buffer += '[';
    for (const record of records) {
      if (format === 'ndjson') buffer += `${JSON.stringify(record)}\n`;
      else if (format === 'json') buffer += `${written === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`;
      else buffer += csvRow(record, options.fields);
      written += 1;
      options.onRecord?.(written);
      if (buffer.length >= WRITE_CHUNK_CHARS) await flush();
    }
    if (format === 'json') buffer += written === 0 ? ']\n' : '\n]\n';
    await flush();
  } finally {
    out.off('error', onError);
  }
  return written;
}
