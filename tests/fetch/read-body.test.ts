import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PermanentFetchError, RetryableFetchError } from '../../src/fetch/fetch-errors.ts';
import { BOMB_COMPRESSION_RATIO, parseContentEncoding, readBody } from '../../src/fetch/read-body.ts';

const HTML = Buffer.from(`<!doctype html><title>t</title><p>${'Lorem ipsum dolor sit amet. '.repeat(200)}</p>`);

function chunked(bytes: Uint8Array, size = 1000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts);
}

/** An endless body of `chunk`, counting what was pulled; stops if destroyed. */
function endless(chunk: Buffer): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      pulled += chunk.byteLength;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

/** One gzip member that inflates to 10 MB of zeros (about 10 kB); members concatenate. */
const BOMB_MEMBER = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });

async function failure(promise: Promise<unknown>): Promise<PermanentFetchError | RetryableFetchError> {
  try {
    await promise;
  } catch (error) {
    return error as PermanentFetchError;
  }
  throw new Error('expected a failure');
}

describe('readBody', () => {
  it('reads an unencoded body', async () => {
    const bytes = await readBody(chunked(HTML), { maxBytes: 1e6, contentEncoding: null });
    expect(Buffer.from(bytes).equals(HTML)).toBe(true);
  });

  it('reads an async iterable of Uint8Arrays', async () => {
    async function* parts() {
      yield new Uint8Array([104, 105]);
      yield new Uint8Array([33]);
    }
    const bytes = await readBody(parts(), { maxBytes: 10, contentEncoding: 'identity' });
    expect(Buffer.from(bytes).toString()).toBe('hi!');
  });

  it('reads an empty body, also when it claims an encoding', async () => {
    expect((await readBody(Readable.from([]), { maxBytes: 10, contentEncoding: null })).byteLength).toBe(0);
    expect((await readBody(Readable.from([]), { maxBytes: 10, contentEncoding: 'gzip' })).byteLength).toBe(0);
  });

  it.each([
    ['gzip', zlib.gzipSync(HTML)],
    ['x-gzip', zlib.gzipSync(HTML)],
    ['deflate', zlib.deflateSync(HTML)],
    ['deflate', zlib.deflateRawSync(HTML)], // raw deflate, as many servers send it
    ['br', zlib.brotliCompressSync(HTML)],
    ['GZIP ', zlib.gzipSync(HTML)],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(HTML))],
  ])('decodes Content-Encoding %j', async (encoding, compressed) => {
    const bytes = await readBody(chunked(compressed, 7), { maxBytes: 1e6, contentEncoding: encoding });
    expect(Buffer.from(bytes).equals(HTML)).toBe(true);
  });

  it('decodes a truncated gzip body as far as it goes', async () => {
    const compressed = zlib.gzipSync(HTML);
    const bytes = await readBody(chunked(compressed.subarray(0, compressed.byteLength - 12)), {
      maxBytes: 1e6,
      contentEncoding: 'gzip',
    });
    expect(bytes.byteLength).toBeGreaterThan(0);
    expect(HTML.subarray(0, bytes.byteLength).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses an unknown encoding before reading, destroying the body', async () => {
    const body = chunked(HTML);
    const error = await failure(readBody(body, { maxBytes: 1e6, contentEncoding: 'compress' }));
    expect(error).toBeInstanceOf(PermanentFetchError);
    expect(error.reason).toBe('bad-encoding');
    expect(body.destroyed).toBe(true);
  });

  it('refuses corrupt compressed data as bad-encoding', async () => {
    const error = await failure(
      readBody(chunked(Buffer.from('this is not gzip at all, not even close')), { maxBytes: 1e6, contentEncoding: 'gzip' }),
    );
    expect(error).toBeInstanceOf(PermanentFetchError);
    expect(error.reason).toBe('bad-encoding');
  });

  it('stops a body larger than maxBytes while streaming, without reading it all', async () => {
    const { stream, pulled } = endless(Buffer.alloc(64 * 1024, 0x61));
    const error = await failure(readBody(stream, { maxBytes: 1024 * 1024, contentEncoding: null }));
    expect(error).toBeInstanceOf(PermanentFetchError);
    expect(error.reason).toBe('too-large');
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(4 * 1024 * 1024);
  });

  it('accepts a body of exactly maxBytes', async () => {
    const bytes = await readBody(chunked(HTML), { maxBytes: HTML.byteLength, contentEncoding: null });
    expect(bytes.byteLength).toBe(HTML.byteLength);
  });

  it('enforces maxBytes on compressed bytes as sent', async () => {
    const noisy = zlib.gzipSync(Buffer.from(Array.from({ length: 50_000 }, () => Math.random().toString(36)).join('')));
    const error = await failure(readBody(chunked(noisy), { maxBytes: 10_000, contentEncoding: 'gzip' }));
    expect(error.reason).toBe('too-large');
  });

  it('enforces maxBytes after decompression: a modestly compressed page is too-large', async () => {
    const page = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `<p>${i} ${(i * 7919) % 10007}</p>`).join(''));
    const compressed = zlib.gzipSync(page);
    expect(page.byteLength / compressed.byteLength).toBeLessThan(BOMB_COMPRESSION_RATIO);
    const error = await failure(readBody(chunked(compressed), { maxBytes: 100_000, contentEncoding: 'gzip' }));
    expect(error).toBeInstanceOf(PermanentFetchError);
    expect(error.reason).toBe('too-large');
  });

  it('stops a gzip bomb early: a few kB read, about maxBytes inflated', async () => {
    const { stream, pulled } = endless(BOMB_MEMBER); // endless gzip members: inflates without bound
    const before = process.memoryUsage().rss;
    const error = await failure(readBody(stream, { maxBytes: 5 * 1024 * 1024, contentEncoding: 'gzip' }));
    expect(error).toBeInstanceOf(PermanentFetchError);
    expect(error.reason).toBe('decompression-bomb');
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(200 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it.each([
    ['deflate', zlib.deflateSync(Buffer.alloc(20 * 1024 * 1024))],
    ['br', zlib.brotliCompressSync(Buffer.alloc(20 * 1024 * 1024))],
  ])('stops a %s bomb', async (encoding, bomb) => {
    const error = await failure(readBody(chunked(bomb), { maxBytes: 1024 * 1024, contentEncoding: encoding }));
    expect(error.reason).toBe('decompression-bomb');
  });

  it('cuts off a trickling body at the deadline', async () => {
    const body = new PassThrough();
    const timer = setInterval(() => body.write('x'), 50);
    try {
      const started = Date.now();
      const error = await failure(
        readBody(body, { maxBytes: 1e6, contentEncoding: null, deadline: Date.now() + 300 }),
      );
      expect(error).toBeInstanceOf(RetryableFetchError);
      expect(error.reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(body.destroyed).toBe(true);
    } finally {
      clearInterval(timer);
    }
  });

  it('cuts off a trickling compressed body at the deadline', async () => {
    const body = new PassThrough();
    const compressed = zlib.gzipSync(HTML);
    let offset = 0;
    const timer = setInterval(() => body.write(compressed.subarray(offset, ++offset)), 30);
    try {
      const error = await failure(
        readBody(body, { maxBytes: 1e6, contentEncoding: 'gzip', deadline: Date.now() + 300 }),
      );
      expect(error.reason).toBe('timeout');
      expect(body.destroyed).toBe(true);
    } finally {
      clearInterval(timer);
    }
  });

  it('cuts off a silent body after the idle timeout', async () => {
    const body = new PassThrough();
    body.write('<html>');
    const error = await failure(readBody(body, { maxBytes: 1e6, contentEncoding: null, idleTimeoutMs: 100 }));
    expect(error).toBeInstanceOf(RetryableFetchError);
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('no body data');
    expect(body.destroyed).toBe(true);
  });

  it('times out a stalled async iterable (not a stream) too', async () => {
    let stopped = false;
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined), // never settles
        return: async () => {
          stopped = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const error = await failure(readBody(stalled, { maxBytes: 1e6, contentEncoding: null, idleTimeoutMs: 50 }));
    expect(error.reason).toBe('timeout');
    expect(stopped).toBe(true);
  });

  it('fails at once when the deadline has already passed', async () => {
    const body = new PassThrough();
    const error = await failure(readBody(body, { maxBytes: 1e6, contentEncoding: null, deadline: Date.now() - 1 }));
    expect(error.reason).toBe('timeout');
  });

  it('maps a stream error to a retryable connection failure', async () => {
    const body = new PassThrough();
    body.write('<html>');
    setTimeout(() => body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 20);
    const error = await failure(readBody(body, { maxBytes: 1e6, contentEncoding: null }));
    expect(error).toBeInstanceOf(RetryableFetchError);
    expect(error.reason).toBe('connection-reset');
  });
});

describe('parseContentEncoding', () => {
  it('lists decoders in decoding order, ignoring identity', () => {
    expect(parseContentEncoding(null)).toEqual([]);
    expect(parseContentEncoding('identity')).toEqual([]);
    expect(parseContentEncoding('gzip')).toEqual(['gzip']);
    expect(parseContentEncoding('deflate, BR')).toEqual(['br', 'deflate']);
  });

  it('refuses codings it cannot decode', () => {
    expect(() => parseContentEncoding('zstd')).toThrow(PermanentFetchError);
  });
});
