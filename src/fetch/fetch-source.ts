/**
 * Fetching a source (feed, sitemap, section page): a conditional GET whose body is handed over
 * as a stream of text, so a 50 MB sitemap flows into the parser as it arrives instead of being
 * read whole. Accepts XML and feeds (the page fetch refuses anything but HTML), decodes HTTP
 * Content-Encoding, and also un-gzips a body that is itself a gzip file (sitemap.xml.gz served
 * as application/gzip, application/x-gzip or application/octet-stream). Redirects are followed
 * by hand and re-validated, as for pages. Limits: SOURCE_MAX_BYTES before and after
 * decompression, a whole-request deadline.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { BOMB_COMPRESSION_RATIO, parseContentEncoding } from './read-body.ts';
import { PermanentFetchError, RetryableFetchError, toFetchError } from './fetch-errors.ts';
import { header, REDIRECT_STATUSES, statusError } from './http-status.ts';

export interface FetchSourceOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  /** Limit for connecting, for the response headers, and between two chunks of the body. */
  timeoutMs: number;
  /**
   * Limit for the whole body, which a large sitemap read at the pace of its enqueueing may
   * need. @defaultValue timeoutMs
   */
  bodyDeadlineMs?: number;
  maxBytes: number;
  maxRedirects: number;
  etag?: string | null;
  lastModified?: string | null;
  /** Called as each request is handed to the connection (the politeness start time). */
  onRequestSent?: () => Promise<void>;
}

export interface SourceBody {
  kind: 'body';
  finalUrl: string;
  status: number;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  /** The decoded text, chunk by chunk, as it arrives (UTF-8, as the sitemaps protocol requires). */
  text: AsyncIterable<string>;
  /** Bytes received so far (as sent, before decompression). */
  bytesReceived(): number;
  /** sha256 of the decoded bytes, once `text` has been read to the end. */
  contentHash(): string;
  /** Stop reading and close the connection. */
  cancel(): void;
}

export interface SourceNotModified {
  kind: 'not-modified';
  finalUrl: string;
  status: 304;
  etag: string | null;
  lastModified: string | null;
}

export type FetchSourceResult = SourceBody | SourceNotModified;

/** What sources are asked for: feeds and XML first, HTML (section pages) too. */
const ACCEPT_HEADER =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';

/** The two bytes every gzip file starts with (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export async function fetchSource(url: string, options: FetchSourceOptions): Promise<FetchSourceResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const bodyDeadline = started + (options.bodyDeadlineMs ?? options.timeoutMs);
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    visited.add(current);
    const response = await send(current, options, deadline - Date.now());
    const { statusCode: status, headers } = response;
    if (REDIRECT_STATUSES.has(status)) {
      discard(response.body);
      const next = redirectTarget(current, header(headers, 'location'));
      if (visited.has(next)) throw new PermanentFetchError('redirect-loop', `redirect loop: ${current} → ${next}`);
      if (hop >= options.maxRedirects) throw new PermanentFetchError('too-many-redirects', `more than ${options.maxRedirects} redirects`);
      current = next;
      continue;
    }
    const validators = { etag: header(headers, 'etag'), lastModified: header(headers, 'last-modified') };
    if (status === 304) {
      discard(response.body);
      return { kind: 'not-modified', finalUrl: current, status: 304, ...validators };
    }
    if (status < 200 || status >= 300) {
      discard(response.body);
      throw statusError(status, header(headers, 'retry-after'), Date.now());
    }
    let codings: string[];
    try {
      codings = parseContentEncoding(header(headers, 'content-encoding'));
    } catch (error) {
      discard(response.body);
      throw error;
    }
    return streamingBody(response.body, codings, current, status, header(headers, 'content-type'), validators, options.maxBytes, bodyDeadline);
  }
}

function streamingBody(
  body: Dispatcher.ResponseData['body'],
  codings: string[],
  finalUrl: string,
  status: number,
  contentType: string | null,
  validators: { etag: string | null; lastModified: string | null },
  maxBytes: number,
  deadline: number,
): SourceBody {
  let received = 0;
  const hash = createHash('sha256');
  let digest: string | null = null;
  async function* raw(): AsyncGenerator<Buffer> {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.byteLength;
      if (received > maxBytes) throw new PermanentFetchError('too-large', `source larger than ${maxBytes} bytes`);
      if (Date.now() > deadline) throw new RetryableFetchError('timeout', 'source body not complete by the deadline');
      yield chunk;
    }
  }
  async function* text(): AsyncGenerator<string> {
    let decoded = 0;
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of ungzipFileBody(decodeContent(raw(), codings))) {
        decoded += chunk.byteLength;
        if (decoded > maxBytes) {
          const ratio = received > 0 ? decoded / received : 0;
          if (ratio > BOMB_COMPRESSION_RATIO) {
            throw new PermanentFetchError('decompression-bomb', `source inflates past ${maxBytes} bytes from ${received} bytes`);
          }
          throw new PermanentFetchError('too-large', `decompressed source larger than ${maxBytes} bytes`);
        }
        hash.update(chunk);
        const piece = decoder.decode(chunk, { stream: true });
        if (piece !== '') yield piece;
      }
      const rest = decoder.decode();
      if (rest !== '') yield rest;
      digest = hash.digest('hex');
    } catch (error) {
      discard(body);
      throw toFetchError(error);
    }
  }
  return {
    kind: 'body',
    finalUrl,
    status,
    contentType,
    ...validators,
    text: text(),
    bytesReceived: () => received,
    contentHash: () => {
      if (digest === null) throw new Error('contentHash() before the body was read to the end');
      return digest;
    },
    cancel: () => discard(body),
  };
}

/** HTTP Content-Encoding decoding, streamed (zlib's backpressure keeps it from running ahead). */
async function* decodeContent(chunks: AsyncIterable<Buffer>, codings: string[]): AsyncGenerator<Buffer> {
  let stream: AsyncIterable<Buffer> = chunks;
  for (const coding of codings) stream = throughZlib(stream, decoderFor(coding));
  yield* stream;
}

/** A body that is itself a gzip file (its first bytes say so) is un-gzipped; others pass as they are. */
async function* ungzipFileBody(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  const first = Buffer.concat(head);
  async function* replay(): AsyncGenerator<Buffer> {
    if (first.byteLength > 0) yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const gzipped = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  yield* gzipped ? throughZlib(replay(), zlib.createGunzip()) : replay();
}

function decoderFor(coding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress {
  if (coding === 'br') return zlib.createBrotliDecompress();
  if (coding === 'deflate') return zlib.createInflate();
  return zlib.createGunzip();
}

async function* throughZlib(source: AsyncIterable<Buffer>, decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress): AsyncGenerator<Buffer> {
  const feeding = (async () => {
    try {
      for await (const chunk of source) {
        if (!decoder.write(chunk)) await new Promise<void>((resolve) => decoder.once('drain', resolve));
        if (decoder.destroyed) return;
      }
      decoder.end();
    } catch (error) {
      decoder.destroy(error as Error);
    }
  })();
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (error) {
    throw new PermanentFetchError('bad-encoding', `corrupt compressed source: ${(error as Error).message}`, { cause: error });
  } finally {
    decoder.destroy();
    await feeding;
  }
}

async function send(url: string, options: FetchSourceOptions, remainingMs: number): Promise<Dispatcher.ResponseData> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: ACCEPT_HEADER,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const remaining = Math.max(1, remainingMs);
  try {
    const response = request(url, {
      method: 'GET',
      dispatcher: options.dispatcher,
      headers,
      headersTimeout: remaining,
      // Between two chunks: a server that stops sending is cut off even inside a long read.
      bodyTimeout: options.timeoutMs,
    });
    if (options.onRequestSent) {
      response.catch(() => {});
      await options.onRequestSent();
    }
    return await response;
  } catch (error) {
    throw toFetchError(error);
  }
}

function redirectTarget(from: string, location: string | null): string {
  if (location === null || location.trim() === '') throw new PermanentFetchError('bad-redirect', `redirect from ${from} without a Location header`);
  try {
    return canonicalizeUrl(new URL(location.trim(), from).href);
  } catch (error) {
    throw new PermanentFetchError('invalid-url', `redirect to ${location} refused: ${(error as Error).message}`);
  }
}



function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** Read a whole source body as one string (feeds and section pages: small, parsed at once). */
export async function readSourceText(body: SourceBody): Promise<string> {
  let out = '';
  for await (const piece of body.text) out += piece;
  return out;
}
