/**
 * fetchPage against the fault server's routes, through the guarded agent (loopback allowed
 * explicitly): each fault ends in the typed outcome the fetch worker records, and each good
 * page comes back decoded. The last case checks the server helper itself (other loopback
 * addresses, closing with responses still open).
 */
import { request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, PoliteDelayError } from '../../src/fetch/fetch-errors.ts';
import { fetchPage, type FetchPageOptions, type FetchPageResult } from '../../src/fetch/fetch-page.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import {
  LATIN1_TEXT,
  NOT_MODIFIED_ETAG,
  NOT_MODIFIED_LAST_MODIFIED,
  OK_TITLE,
  RETRY_AFTER_SECONDS,
  startFaultServer,
  WIN1256_TEXT,
  type FaultServer,
} from '../helpers/fault-server.ts';

const MAX_BYTES = 10 * 1024 * 1024;

let server: FaultServer;
let dispatcher: Dispatcher;

beforeAll(async () => {
  server = await startFaultServer();
  dispatcher = createGuardedAgent({ allowPrivateNetworks: false, allowedRanges: ['127.0.0.0/8'], connectTimeoutMs: 2000 });
});
afterAll(async () => {
  await dispatcher.close();
  await server.close();
});

function fetchPath(path: string, options: Partial<FetchPageOptions> = {}): Promise<FetchPageResult> {
  return fetchPage(server.url(path), { dispatcher, userAgent: 'ArticleIngest/1.0 (test)', timeoutMs: 5000, maxBodyBytes: MAX_BYTES, maxRedirects: 5, ...options });
}

async function page(path: string, options: Partial<FetchPageOptions> = {}) {
  const result = await fetchPath(path, options);
  if (result.kind !== 'page') throw new Error(`expected a page, got ${result.kind}`);
  return result;
}

async function failure(path: string, options: Partial<FetchPageOptions> = {}): Promise<FetchError> {
  try {
    await fetchPath(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('fetchPage on faulty servers', () => {
  it('/ok is a page, decoded, with its final URL and timing', async () => {
    const result = await page('/ok');
    expect(result).toMatchObject({ status: 200, encoding: 'utf-8', finalUrl: server.url('/ok') });
    expect(result.html).toContain(`<h1>${OK_TITLE}</h1>`);
    expect(result.fetchMs).toBeGreaterThanOrEqual(0);
    expect(server.requests.at(-1)).toMatchObject({ path: '/ok', host: `127.0.0.1:${server.port}` });
  });

  it('slow headers and a trickling body are retryable timeouts, within the whole-request deadline', async () => {
    expect(await failure('/slow-headers?ms=3000', { timeoutMs: 800 })).toMatchObject({ kind: 'retryable', reason: 'timeout' });
    const started = Date.now();
    expect(await failure('/trickle', { timeoutMs: 1200 })).toMatchObject({ kind: 'retryable', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a 500 is retryable; 429 and 503 with Retry-After (seconds or date) delay the host', async () => {
    expect(await failure('/500')).toMatchObject({ kind: 'retryable', reason: 'http-500' });
    for (const path of ['/503-retry-after', '/429-retry-after', '/503-retry-after-date', '/429-retry-after-date']) {
      const error = await failure(path);
      expect(error, path).toBeInstanceOf(PoliteDelayError);
      expect(error, path).toMatchObject({ kind: 'delay', reason: 'rate-limited' });
      expect(error.retryAfterMs, path).toBeGreaterThan(0);
      expect(error.retryAfterMs, path).toBeLessThanOrEqual(RETRY_AFTER_SECONDS * 1000);
    }
  });

  it('a reset before or during the body is a retryable connection reset', async () => {
    expect(await failure('/reset')).toMatchObject({ kind: 'retryable', reason: 'connection-reset' });
    expect(await failure('/reset-mid-body')).toMatchObject({ kind: 'retryable', reason: 'connection-reset' });
  });

  it('follows redirects up to the limit, detects loops, refuses a redirect to the metadata address', async () => {
    expect((await page('/redirect-chain/3')).finalUrl).toBe(server.url('/ok'));
    expect(await failure('/redirect-chain/3', { maxRedirects: 2 })).toMatchObject({ kind: 'permanent', reason: 'too-many-redirects' });
    expect(await failure('/redirect-loop')).toMatchObject({ kind: 'permanent', reason: 'redirect-loop' });
    expect(await failure('/redirect-metadata')).toMatchObject({ kind: 'permanent', reason: 'forbidden-address' });
  });

  it('stops a 200 MB body and a gzip bomb early, without buffering them', async () => {
    const before = process.memoryUsage().rss;
    expect(await failure('/big')).toMatchObject({ kind: 'permanent', reason: 'too-large' });
    expect(await failure('/gzip-bomb')).toMatchObject({ kind: 'permanent', reason: 'decompression-bomb' });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses what is not HTML before reading it; an empty page is a page with no text', async () => {
    expect(await failure('/pdf')).toMatchObject({ kind: 'permanent', reason: 'not-html' });
    expect((await page('/empty')).html).toBe('');
  });

  it('decodes legacy charsets from the meta tag, and malformed markup', async () => {
    expect(await page('/win1256')).toMatchObject({ encoding: 'windows-1256', html: expect.stringContaining(WIN1256_TEXT) });
    expect(await page('/latin1')).toMatchObject({ encoding: 'windows-1252', html: expect.stringContaining(LATIN1_TEXT) });
    expect((await page('/malformed')).html).toContain('Third paragraph after stray tags');
  });

  it('sends the validators and reports 304 as not modified', async () => {
    const fresh = await page('/not-modified');
    expect(fresh.etag).toBe(NOT_MODIFIED_ETAG);
    expect((await fetchPath('/not-modified', { etag: NOT_MODIFIED_ETAG })).kind).toBe('not-modified');
    expect((await fetchPath('/not-modified', { lastModified: NOT_MODIFIED_LAST_MODIFIED })).kind).toBe('not-modified');
    expect((await fetchPath('/not-modified', { etag: '"other"' })).kind).toBe('page');
  });

  it('calls onRequestSent for every hop of a redirect chain', async () => {
    let sent = 0;
    await page('/redirect-chain/2', { onRequestSent: async () => void (sent += 1) });
    expect(sent).toBe(3);
  });
});

describe('the fault server helper', () => {
  it('listens on another loopback address and closes without hanging on open responses', async () => {
    const other = await startFaultServer({ host: '127.0.0.2' });
    expect(other.url('/ok')).toBe(`http://127.0.0.2:${other.port}/ok`);
    const trickling = await request(other.url('/trickle'), { dispatcher });
    const slow = request(other.url('/slow-headers?ms=20000'), { dispatcher }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(trickling.body.text()).rejects.toThrow();
    await slow;
  });
});
