/**
 * Writing a stream of records (rows iterated from SQLite) to an output stream in constant
 * memory: each record is rendered and encoded at once into a fixed-size byte chunk, and a full
 * chunk is written, waiting for 'drain' when the stream's buffer is full (backpressure). Records
 * are never joined into one large string: large strings live in V8's old generation until a full
 * collection, which let a 100,000-article export grow to hundreds of MB. JSON is a streamed
 * array, one record per line.
 */
import type { Writable } from 'node:stream';
import { csvHeader, csvRow, type StreamFormat } from './output-format.ts';

/**
 * Bytes gathered before one write: large enough that a 100,000-row export makes a few thousand
 * write calls rather than 100,000, small enough to stay far below any memory budget.
 */
const WRITE_CHUNK_BYTES = 64 * 1024;

/** UTF-8 bytes one UTF-16 code unit can take at most: a string fits in `length * 3` bytes. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

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
  const sink = new ChunkedSink(out);
  let written = 0;
  try {
    if (format === 'csv') await sink.append(csvHeader(options.fields));
    if (format === 'json') await sink.append('[');
    for (const record of records) {
      if (format === 'ndjson') await sink.append(`${JSON.stringify(record)}\n`);
      else if (format === 'json') await sink.append(`${written === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`);
      else await sink.append(csvRow(record, options.fields));
      written += 1;
      options.onRecord?.(written);
    }
    if (format === 'json') await sink.append(written === 0 ? ']\n' : '\n]\n');
    await sink.flush();
  } finally {
    sink.detach();
  }
  return written;
}

/** Text encoded into fixed-size chunks and written with backpressure. */
class ChunkedSink {
  private chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  private used = 0;
  private failure: Error | null = null;
  private readonly onError = (error: Error) => {
    this.failure = (error as NodeJS.ErrnoException).code === 'EPIPE' ? new OutputClosedError('output closed') : error;
  };

  constructor(private readonly out: Writable) {
    out.on('error', this.onError);
  }

  /** Add text; resolves at once unless a full chunk had to wait for the stream to drain. */
  append(text: string): Promise<void> | void {
    const worstCase = text.length * MAX_UTF8_BYTES_PER_UNIT;
    if (this.used + worstCase <= WRITE_CHUNK_BYTES) {
      this.used += this.chunk.write(text, this.used);
      return;
    }
    return this.appendSlow(text, worstCase);
  }

  private async appendSlow(text: string, worstCase: number): Promise<void> {
    await this.flush();
    if (worstCase > WRITE_CHUNK_BYTES) await this.write(Buffer.from(text));
    else this.used += this.chunk.write(text, this.used);
  }

  async flush(): Promise<void> {
    if (this.used === 0) return this.check();
    const full = this.chunk.subarray(0, this.used);
    // The stream keeps the chunk until it is written: the next text goes to a fresh one.
    this.chunk = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
    this.used = 0;
    await this.write(full);
  }

  detach(): void {
    this.out.off('error', this.onError);
  }

  private async write(bytes: Buffer): Promise<void> {
    this.check();
    if (!this.out.write(bytes)) await this.drained();
    this.check();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('error', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
      this.out.on('close', done);
    });
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.out.destroyed && !this.out.writableFinished) throw new OutputClosedError('output closed');
  }
}
