/**
 * Reading a response body within limits: a byte cap on what the server sends and on what it
 * decompresses to (so a 200 MB body or a gzip bomb costs at most `maxBytes` of memory), an idle
 * timeout between chunks and a deadline for the whole body (so a server trickling a byte a second
 * is cut off). On any failure the body stream is destroyed, which closes the connection.
 *
 * Steps: pull raw chunks under the raw cap and the clocks (`rawChunks`); if the body is encoded,
 * stream it through node:zlib decoders (backpressure keeps them from inflating ahead of us); count
 * decoded bytes and stop as soon as they pass the cap.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { FetchError, PermanentFetchError, RetryableFetchError, toFetchError } from './fetch-errors.ts';

export interface ReadBodyOptions {
  /** Cap on the body's bytes, both as sent and after decompression (MAX_BODY_BYTES). */
  maxBytes: number;
  /** The Content-Encoding header ("gzip", "br", "deflate", "x-gzip", "identity", a list, or null). */
  contentEncoding: string | null;
  /** Longest wait for the next chunk, in ms. @defaultValue no idle limit (only `deadline`) */
  idleTimeoutMs?: number;
  /** Epoch ms by which the whole body must have arrived. @defaultValue no deadline */
  deadline?: number;
}

/**
 * Output/input ratio above which a body that overflows `maxBytes` once decoded is called a
 * decompression bomb rather than merely too large. Real HTML compresses 5–20× (brotli on very
 * repetitive markup up to ~50×); bombs are 1000× and more.
 */
export const BOMB_COMPRESSION_RATIO = 100;

/** Content codings we decode; "identity" (or no header) means none. */
const DECODERS: Readonly<Record<string, (firstBytes: Uint8Array) => zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress>> = {
  // finishFlush: SYNC_FLUSH decodes a truncated stream as far as it goes (as browsers do)
  // instead of failing with "unexpected end of file".
  gzip: () => zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  'x-gzip': () => zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  // RFC 9110 "deflate" is zlib-wrapped, but many servers send raw deflate: tell by the header.
  deflate: (firstBytes) =>
    hasZlibHeader(firstBytes)
      ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH }),
  br: () => zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
};

/**
 * Reads the whole body into memory within the limits.
 *
 * @throws PermanentFetchError 'too-large' (raw or decoded bytes over maxBytes),
 *   'decompression-bomb' (decoded over maxBytes at more than BOMB_COMPRESSION_RATIO),
 *   'bad-encoding' (unknown Content-Encoding or corrupt compressed data);
 *   RetryableFetchError 'timeout' (idle or deadline); whatever the stream fails with, as a
 *   FetchError (toFetchError), e.g. 'connection-reset'.
 */
export async function readBody(
  body: AsyncIterable<Uint8Array> | Readable,
  options: ReadBodyOptions,
): Promise<Uint8Array> {
  let codings: string[];
  try {
    codings = parseContentEncoding(options.contentEncoding);
  } catch (error) {
    destroyBody(body);
    throw error;
  }
  const raw = rawChunks(body, options);
  try {
    if (codings.length === 0) return await collect(raw, options.maxBytes, null);
    return await decodeAndCollect(raw, codings, options.maxBytes, () => destroyBody(body));
  } catch (error) {
    destroyBody(body);
    raw.return(undefined).catch(() => undefined); // not awaited, for the same reason as above
    throw asFetchError(error);
  }
}

/** "gzip, br" → the decoders to apply, in order of decoding (the reverse of the header). */
export function parseContentEncoding(header: string | null): string[] {
  if (header === null) return [];
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  for (const coding of codings) {
    if (!(coding in DECODERS)) {
      throw new PermanentFetchError('bad-encoding', `unsupported Content-Encoding ${JSON.stringify(coding)}`);
    }
  }
  return codings.reverse();
}

/** Streams raw chunks through the decoders and collects the decoded bytes under the cap. */
async function decodeAndCollect(
  raw: AsyncGenerator<Uint8Array, void>,
  codings: string[],
  maxBytes: number,
  abort: () => void,
): Promise<Uint8Array> {
  // Peek at the first bytes: raw and zlib-wrapped deflate differ in their first two.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await raw.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  if (headBytes === 0) return new Uint8Array(0);
  const firstBytes = Buffer.concat(head);
  async function* replay(): AsyncGenerator<Uint8Array, void> {
    yield firstBytes;
    yield* raw;
  }
  const decoders = codings.map((coding, index) => DECODERS[coding]!(index === 0 ? firstBytes : new Uint8Array(0)));
  // Compressed bytes the first decoder has actually consumed (not what the pipeline buffered
  // ahead): the honest denominator of the compression ratio.
  const consumed = () => decoders[0]?.bytesWritten ?? 0;
  let result: Uint8Array = new Uint8Array(0);
  await pipeline(replay(), ...(decoders as [zlib.Gunzip]), async (decoded: AsyncIterable<Uint8Array>) => {
    try {
      result = await collect(decoded, maxBytes, consumed);
    } catch (error) {
      // Destroy the body before pipeline tears down the source: a source waiting on a slow
      // server for its next chunk would otherwise hold the teardown until that chunk comes.
      abort();
      throw error;
    }
  });
  return result;
}

/**
 * Concatenates chunks, throwing as soon as their total passes maxBytes. `compressedBytes` is
 * given for decoded output, to tell a bomb from a merely large page.
 */
async function collect(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  compressedBytes: (() => number) | null,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) throw overflowError(total, maxBytes, compressedBytes?.() ?? null);
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

function overflowError(total: number, maxBytes: number, rawBytes: number | null): PermanentFetchError {
  if (rawBytes !== null && rawBytes > 0 && total / rawBytes > BOMB_COMPRESSION_RATIO) {
    return new PermanentFetchError(
      'decompression-bomb',
      `body inflates past ${maxBytes} bytes from ${rawBytes} compressed bytes (stopped at ${total})`,
    );
  }
  const what = rawBytes === null ? 'body' : 'decompressed body';
  return new PermanentFetchError('too-large', `${what} larger than ${maxBytes} bytes`);
}

/**
 * The body's chunks as sent, under the raw cap, the idle timeout and the deadline. The timers
 * run while waiting for each chunk, so neither a silent nor a trickling server holds us longer.
 */
async function* rawChunks(
  body: AsyncIterable<Uint8Array> | Readable,
  options: ReadBodyOptions,
): AsyncGenerator<Uint8Array, void> {
  const iterator = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  let total = 0;
  try {
    for (;;) {
      const next = await nextWithin(iterator, waitLimit(options));
      if (next.done) return;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      total += chunk.byteLength;
      if (total > options.maxBytes) {
        throw new PermanentFetchError('too-large', `body larger than ${options.maxBytes} bytes`);
      }
      if (chunk.byteLength > 0) yield chunk;
    }
  } finally {
    // A Readable is destroyed by readBody on failure; any other iterable is asked to stop. Not
    // awaited: an iterable stuck in next() would hold its return() until that next() settles.
    if (typeof (body as Partial<Readable>).destroy !== 'function') {
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}

/** How long to wait for the next chunk: the nearer of idle timeout and deadline; null if none. */
function waitLimit(options: ReadBodyOptions): { ms: number; what: string } | null {
  const untilDeadline = options.deadline === undefined ? Infinity : options.deadline - Date.now();
  const idle = options.idleTimeoutMs ?? Infinity;
  if (untilDeadline === Infinity && idle === Infinity) return null;
  return untilDeadline <= idle
    ? { ms: Math.max(0, untilDeadline), what: 'body not complete by the deadline' }
    : { ms: idle, what: `no body data for ${idle} ms` };
}

async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  limit: { ms: number; what: string } | null,
): Promise<IteratorResult<T>> {
  const next = iterator.next();
  if (limit === null) return next;
  next.catch(() => undefined); // if the timer wins, the stream's later rejection is expected
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RetryableFetchError('timeout', limit.what)), limit.ms);
  });
  try {
    return await Promise.race([next, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function destroyBody(body: AsyncIterable<Uint8Array> | Readable): void {
  const readable = body as Partial<Readable>;
  if (typeof readable.destroy === 'function' && readable.destroyed !== true) readable.destroy();
}

/** zlib/brotli failures are corrupt data; everything else is the transport's error. */
function asFetchError(error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
    return new PermanentFetchError('bad-encoding', `corrupt compressed body: ${(error as Error).message}`, { cause: error });
  }
  return toFetchError(error);
}

/** RFC 1950: CM = 8 (deflate), window ≤ 32 KiB, and the 16-bit header is a multiple of 31. */
function hasZlibHeader(bytes: Uint8Array): boolean {
  const cmf = bytes[0];
  const flg = bytes[1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}
