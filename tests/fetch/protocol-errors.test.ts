/**
 * Servers that do not speak HTTP/1.1 properly end as permanent `protocol` failures (failed at
 * the first attempt, never retried), while a connection cut short stays a retryable reset.
 * Each case is a raw TCP server on loopback sending exactly the bytes of the fault.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { FetchError, toFetchError } from '../../src/fetch/fetch-errors.ts';
import { fetchPage } from '../../src/fetch/fetch-page.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import { decideFailure } from '../../src/queue/failure-policy.ts';
import { httpReply, startRawHttpServer, type RawHttpServer, type RawReply } from '../helpers/raw-http-server.ts';

const HTML = { 'content-type': 'text/html; charset=utf-8' };
const PAGE = '<html><body><p>An article paragraph.</p></body></html>';
const gzipped = zlib.gzipSync(PAGE);

/** Each fault, answered on a connection the server then closes (end) or keeps open. */
const PROTOCOL_FAULTS: Record<string, RawReply> = {
  '/invalid-chunk-size': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'transfer-encoding': 'chunked' }, 'zz\r\nhello\r\n0\r\n\r\n'),
    then: 'end',
  },
  '/invalid-chunk-size-mid-body': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'transfer-encoding': 'chunked' }, '5\r\nhello\r\nnot-hex\r\nhello\r\n0\r\n\r\n'),
    then: 'keep-open',
  },
  '/invalid-status-line': { bytes: httpReply('HTTP/1.1 abc OK', HTML, PAGE), then: 'end' },
  '/not-http': { bytes: Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'), then: 'end' },
  '/not-http-kept-open': { bytes: Buffer.from('220 mail.example ESMTP ready\r\n'), then: 'keep-open' },
  '/length-and-chunked': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': '5', 'transfer-encoding': 'chunked' }, '5\r\nhello\r\n0\r\n\r\n'),
    then: 'end',
  },
  '/length-and-chunked-kept-open': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': '40', 'transfer-encoding': 'chunked' }, '5\r\nhello\r\n0\r\n\r\n'),
    then: 'keep-open',
  },
};

const OTHER_FAULTS: Record<string, RawReply> = {
  // Declares gzip twice, compressed once: the second decoding fails (a corrupt encoding).
  '/gzip-gzip': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-encoding': 'gzip, gzip', 'content-length': String(gzipped.length) }, gzipped),
    then: 'end',
  },
  // Declares gzip twice and is compressed twice: a valid (if odd) response.
  '/gzip-gzip-valid': {
    bytes: (() => {
      const twice = zlib.gzipSync(gzipped);
      return httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-encoding': 'gzip, gzip', 'content-length': String(twice.length) }, twice);
    })(),
    then: 'end',
  },
  // Half the promised body, then the connection closes: cut short, worth another try.
  '/truncated-body': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': String(PAGE.length * 2), connection: 'close' }, PAGE),
    then: 'end',
  },
  '/truncated-kept-alive': {
    bytes: httpReply('HTTP/1.1 200 OK', { ...HTML, 'content-length': String(PAGE.length * 2) }, PAGE),
    then: 'end',
  },
  // Nothing at all before the connection goes.
  '/closed-without-reply': { bytes: Buffer.alloc(0), then: 'destroy' },
};

let server: RawHttpServer;
let dispatcher: Dispatcher;

beforeAll(async () => {
  server = await startRawHttpServer({ ...PROTOCOL_FAULTS, ...OTHER_FAULTS });
  dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 5_000 });
});

afterAll(async () => {
  await dispatcher?.close();
  await server?.close();
});

async function fetchError(path: string): Promise<FetchError> {
  const error = await fetchPage(server.url(path), {
    dispatcher,
    userAgent: 'protocol-test',
    timeoutMs: 10_000,
    maxBodyBytes: 1_000_000,
    maxRedirects: 0,
  }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, path).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('protocol errors', () => {
  it.each(Object.keys(PROTOCOL_FAULTS))('%s is a permanent protocol failure, failed at the first attempt', async (path) => {
    const error = await fetchError(path);
    expect({ path, kind: error.kind, reason: error.reason }).toEqual({ path, kind: 'permanent', reason: 'protocol' });
    const decision = decideFailure(error, { attemptNumber: 1, maxAttempts: 4, rateLimitDelays: 0 });
    expect(decision).toMatchObject({ action: 'fail', reason: 'protocol' });
    expect(server.hits.get(path)).toBe(1);
  });

  it('Content-Encoding "gzip, gzip" on a body compressed once is a permanent bad-encoding failure', async () => {
    const error = await fetchError('/gzip-gzip');
    expect({ kind: error.kind, reason: error.reason }).toEqual({ kind: 'permanent', reason: 'bad-encoding' });
  });

  it('Content-Encoding "gzip, gzip" on a body compressed twice is decoded', async () => {
    const page = await fetchPage(server.url('/gzip-gzip-valid'), {
      dispatcher, userAgent: 'protocol-test', timeoutMs: 10_000, maxBodyBytes: 1_000_000, maxRedirects: 0,
    });
    expect(page.kind === 'page' && page.html).toBe(PAGE);
  });

  it.each(['/truncated-body', '/truncated-kept-alive', '/closed-without-reply'])(
    '%s (a connection cut short) stays a retryable connection-reset',
    async (path) => {
      const error = await fetchError(path);
      expect({ path, kind: error.kind, reason: error.reason }).toEqual({ path, kind: 'retryable', reason: 'connection-reset' });
    },
  );
});

describe('toFetchError', () => {
  it('knows an HTTP parser error by its HPE_ code or its class name', () => {
    const coded = Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { code: 'HPE_INVALID_CHUNK_SIZE' });
    expect(toFetchError(coded)).toMatchObject({ kind: 'permanent', reason: 'protocol' });
    const named = Object.assign(new Error('Response does not match the HTTP/1.1 protocol (Invalid status code)'), { name: 'HTTPParserError' });
    expect(toFetchError(new TypeError('fetch failed', { cause: named }))).toMatchObject({ kind: 'permanent', reason: 'protocol' });
  });

  it('reads a content-length mismatch by where it happened', () => {
    const mismatch = Object.assign(new Error('Response body length does not match content-length header'), {
      code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
    });
    expect(toFetchError(mismatch, 'response-head')).toMatchObject({ kind: 'permanent', reason: 'protocol' });
    expect(toFetchError(mismatch, 'body')).toMatchObject({ kind: 'retryable', reason: 'connection-reset' });
  });
});
